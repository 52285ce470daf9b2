/**
 * Infeasible answers (does not fit, no layout fits) exit 3 from estimate, run and train, the answer
 * printed as usual and the reason on stderr; and `estimate` prints a training result exactly as
 * `train` does (chosen defaults, expert- and context-parallel lines included).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { infeasibleReason, searchInfeasibleReason, type TrainingSearchResult } from "../src/core/app/index.js";
import { runCli } from "./helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "xpusim-infeasible-"));
function scenario(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Mixtral with ep 4 and cp 2, micro-batch and sp left open: fits on 64 H100s with ZeRO-1 and full recompute. */
const MOE_FITS = scenario(
  "moe-fits.yaml",
  `kind: training
hardware: { chip: nvidia-h100-sxm, count: 64, system: dgx-h100 }
workload: { model: mixtral-8x7b }
precision: { compute: bf16 }
parallelism: { tp: 2, pp: 1, dp: 16, ep: 4, cp: 2, zero: 1 }
training: { global_batch: 64, seq_len: 8192, recompute: full }
`,
);
/** The same model on 16 chips without ZeRO: Adam state alone is far beyond 80 GB. */
const MOE_TOO_BIG = scenario(
  "moe-too-big.yaml",
  `kind: training
hardware: { chip: nvidia-h100-sxm, count: 16, system: dgx-h100 }
workload: { model: mixtral-8x7b }
precision: { compute: bf16 }
parallelism: { tp: 2, pp: 1, dp: 4, ep: 2, cp: 2, zero: 0 }
training: { global_batch: 64, seq_len: 8192, recompute: none }
`,
);
/** Llama 3.1 70B in bf16 on one 80 GB H100: 141 GB of weights alone. */
const INFERENCE_TOO_BIG = scenario(
  "infer-too-big.yaml",
  `kind: inference
hardware: { chip: nvidia-h100-sxm, count: 1 }
workload: { model: llama-3.1-70b }
precision: { compute: bf16 }
inference: { batch: 1, input_tokens: 1024, output_tokens: 16 }
`,
);

const DOES_NOT_FIT = /^infeasible: does not fit in memory: needs \S+ [kMGT]?B per chip, has 80\.0 GB \(short by \S+ [kMGT]?B\)\n$/;

describe("estimate prints a training result as train does", () => {
  it("same text, chosen defaults and EP/CP lines included", async () => {
    const e = await runCli("estimate", MOE_FITS);
    const t = await runCli("train", MOE_FITS);
    expect([e.code, t.code]).toEqual([0, 0]);
    expect(e.out).toBe(t.out);
    const lines = (s: string) => s.split("\n").filter((l) => /^chosen: |expert-parallel|context-parallel/.test(l));
    expect(lines(e.out)).toEqual(lines(t.out));
    expect(e.out).toMatch(/^chosen: microbatch = \d+ — /m);
    expect(e.out).toMatch(/^chosen: sp = (true|false) — /m);
    expect(e.out).toMatch(/^ {4}expert-parallel .*\(all-to-alls\)$/m);
    expect(e.out).toMatch(/^ {4}context-parallel .*\(ring attention, exposed\)$/m);
    expect(e.out).toMatch(/layout {15}tp 2 · cp 2 · pp 1 · dp 16 · ep 4 /);
  });

  it("and the same JSON", async () => {
    const e = JSON.parse((await runCli("estimate", MOE_FITS, "--json")).out);
    const t = JSON.parse((await runCli("train", MOE_FITS, "--json")).out);
    expect(e).toEqual(t);
    expect(e.chosen_defaults.map((c: { field: string }) => c.field).sort()).toEqual(["microbatch", "sp"]);
  });
});

describe("infeasible answers exit 3, printed as usual", () => {
  it("estimate: a training scenario that does not fit (table and JSON)", async () => {
    const t = await runCli("estimate", MOE_TOO_BIG);
    expect(t.code).toBe(3);
    expect(t.out).toMatch(/memory per chip .* — does NOT fit \(short by/);
    expect(t.err).toMatch(DOES_NOT_FIT);
    const j = await runCli("estimate", MOE_TOO_BIG, "--json");
    expect(j.code).toBe(3);
    const r = JSON.parse(j.out);
    expect(r.fits).toBe(false);
    expect(r.shortfall_bytes).toBeCloseTo(r.memory_per_chip_bytes - 80e9, -3);
  });

  it("estimate: an inference scenario that does not fit", async () => {
    const j = await runCli("estimate", INFERENCE_TOO_BIG, "--json");
    expect(j.code).toBe(3);
    expect(JSON.parse(j.out).fits).toBe(false);
    expect(j.err).toMatch(DOES_NOT_FIT);
  });

  it("train: one layout that does not fit", async () => {
    const r = await runCli("train", "--model", "llama-3.1-70b", "--chip", "nvidia-h100-sxm", "--json");
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out).fits).toBe(false);
    expect(r.err).toMatch(DOES_NOT_FIT);
    const csv = await runCli("train", "--model", "llama-3.1-70b", "--chip", "nvidia-h100-sxm", "--csv");
    expect(csv.code).toBe(3);
    expect(csv.out.split("\n")[0]).toMatch(/(^|,)fits(,|$)/);
  });

  it("train --search: no layout fits", async () => {
    const r = await runCli("train", "--search", "--model", "llama-3.1-405b", "--chip", "nvidia-t4", "--chips", "8", "--dtype", "fp16", "--json");
    expect(r.code).toBe(3);
    const j = JSON.parse(r.out);
    expect(j.feasible).toBe(0);
    expect(r.err).toBe(`infeasible: no layout is feasible: ${j.evaluated} priced, none fits (most rejected: does not fit in memory, ${j.rejections.find((x: { reason: string }) => x.reason === "does not fit in memory").count}×)\n`);
  });

  it("feasible answers exit 0 with nothing on stderr", async () => {
    for (const argv of [
      ["estimate", "examples/gpt3-training.yaml"],
      ["estimate", "examples/llama-inference.yaml", "--json"],
      ["estimate", "examples/gemm-h100.yaml"],
      ["run", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--seq", "512", "--json"],
      ["train", "--search", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--chips", "8", "--json"],
    ]) {
      const r = await runCli(...argv);
      expect([r.code, r.err], argv.join(" ")).toEqual([0, ""]);
    }
  });
});

describe("the infeasibility verdict (core/app)", () => {
  it("says why a result does not fit, and nothing for one that does or has no memory verdict", () => {
    const verdict = { fits: false, memory_per_chip_bytes: 100e9, memory_capacity_bytes: 80e9, shortfall_bytes: 20e9 };
    expect(infeasibleReason(verdict)).toBe("does not fit in memory: needs 100 GB per chip, has 80.0 GB (short by 20.0 GB)");
    expect(infeasibleReason({ ...verdict, fits: true, shortfall_bytes: 0 })).toBeUndefined();
    expect(infeasibleReason({ kind: "op", latency_s: 1e-3 })).toBeUndefined();
  });

  it("names a search's commonest rejection when no layout is feasible", () => {
    const search = { evaluated: 12, feasible: 0, rejections: [{ reason: "tp exceeds the scale-up domain", count: 3, examples: [] }, { reason: "does not fit in memory", count: 9, examples: [] }] };
    expect(searchInfeasibleReason(search as unknown as TrainingSearchResult)).toBe("no layout is feasible: 12 priced, none fits (most rejected: does not fit in memory, 9×)");
    expect(searchInfeasibleReason({ ...search, feasible: 1 } as unknown as TrainingSearchResult)).toBeUndefined();
  });
});
