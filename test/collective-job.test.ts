/**
 * The collective job (src/core/app/jobs/collective-job.ts): `xpusim collective`, `xpusim estimate`
 * on a `kind: op` scenario with a collective op, and a library call give the same numbers.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { sweepSizes } from "../src/core/app/jobs/collective-job.js";
import { estimateCollective } from "../src/core/network/estimate-collective.js";
import { loadSystem } from "../src/node/system-catalog.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

afterEach(() => vi.restoreAllMocks());

function scenario(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "xpusim-coll-")), "s.yaml");
  writeFileSync(file, text);
  return file;
}

describe("collective job", () => {
  it("sweeps sizes ×factor from min to max inclusive", () => {
    expect(sweepSizes({ min_bytes: 8, max_bytes: 64 })).toEqual([8, 16, 32, 64]);
    expect(sweepSizes({ min_bytes: 1024, max_bytes: 2 ** 20, factor: 32 })).toEqual([1024, 32768, 1048576]);
    expect(() => sweepSizes({ min_bytes: 64, max_bytes: 8 })).toThrow(/below the minimum/);
  });

  it("equals the network model called directly", () => {
    const r = JOBS.collective.run({ system: "dgx-h100", op: "all_reduce", sizes_bytes: [2 ** 20, 2 ** 30], ranks: 16 }, nodeCatalog());
    const direct = estimateCollective(loadSystem("dgx-h100"), "all_reduce", 2 ** 30, 16);
    expect(r.results[1]!.time_s).toBe(direct.time_s);
    expect(r.placement.domains).toBe(2);
    expect(r.system.library).toBe("nccl");
  });

  it("refuses a request naming both or neither of system and chip", () => {
    expect(() => JOBS.collective.run({ op: "all_reduce", sizes_bytes: [8] }, nodeCatalog())).toThrow(/exactly one of a system and a chip/);
    expect(() => JOBS.collective.run({ system: "dgx-h100", chip: "nvidia-h100-sxm", op: "all_reduce" }, nodeCatalog())).toThrow(/exactly one/);
  });

  it("estimate on a kind: op collective scenario gives what `xpusim collective` gives", async () => {
    const cases = [
      { hw: "chip: nvidia-h100-sxm, count: 8", flags: ["--chip", "nvidia-h100-sxm"], op: "all_reduce", bytes: 1048576, ranks: 8 },
      { hw: "chip: nvidia-h100-sxm, count: 16, system: dgx-h100", flags: ["--system", "dgx-h100"], op: "all_gather", bytes: 268435456, ranks: 16 },
      { hw: "chip: tpu-v5e, count: 256, system: tpu-v5e-pod", flags: ["--system", "tpu-v5e-pod"], op: "reduce_scatter", bytes: 1 << 30, ranks: 256 },
    ];
    for (const c of cases) {
      const file = scenario(`kind: op\nhardware: { ${c.hw} }\nworkload:\n  op: { type: collective, op: ${c.op}, bytes: ${c.bytes}, ranks: ${c.ranks} }\n`);
      const est = await runCli("estimate", file, "--json");
      expect(est.code, est.err).toBe(0);
      const cli = await runCli("collective", ...c.flags, "--op", c.op, "--bytes", String(c.bytes), "--ranks", String(c.ranks), "--json");
      expect(cli.code, cli.err).toBe(0);
      const e = JSON.parse(est.out);
      const d = JSON.parse(cli.out);
      expect(e.kind).toBe("collective");
      expect(e).toEqual(d);
      expect(e.results[0].time_s).toBeGreaterThan(0);
      const table = await runCli("estimate", file);
      expect(table.out).toMatch(/busbw \(GB\/s\)/);
    }
  });

  it("MoE dispatch from a scenario (top_k, tokens_per_rank) and from the CLI (--top-k, --tokens) agree; DeepEP's EP16 dispatch takes 118 µs", async () => {
    const file = scenario(
      "kind: op\nhardware: { chip: nvidia-h100-sxm, system: dgx-h800, count: 16 }\nworkload:\n  op: { type: collective, op: ep_dispatch, bytes: 7569408, ranks: 16, top_k: 8, tokens_per_rank: 128 }\n",
    );
    const est = await runCli("estimate", file, "--json");
    expect(est.code, est.err).toBe(0);
    const cli = await runCli("collective", "--system", "dgx-h800", "--op", "ep_dispatch", "--bytes", "7569408", "--ranks", "16", "--top-k", "8", "--tokens", "128", "--json");
    expect(cli.code, cli.err).toBe(0);
    const e = JSON.parse(est.out);
    expect(e).toEqual(JSON.parse(cli.out));
    expect(e.results[0].protocol).toBe("DeepEP low-latency");
    expect(e.results[0].time_s * 1e6).toBeCloseTo(118, -1);
    const bad = await runCli("collective", "--system", "dgx-h800", "--op", "ep_dispatch", "--bytes", "1MiB", "--ranks", "16", "--ep-mode", "fast");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/ep_mode.*normal or low_latency/s);
  });

  it("a collective scenario needs hardware.count to cover its ranks", async () => {
    const file = scenario("kind: op\nhardware: { chip: nvidia-h100-sxm, count: 4 }\nworkload:\n  op: { type: collective, op: all_reduce, bytes: 1024, ranks: 8 }\n");
    const r = await runCli("estimate", file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/workload\.op\.ranks: a collective over 8 ranks needs hardware\.count ≥ 8, got 4/);
  });
});
