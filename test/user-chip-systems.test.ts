/**
 * A user-defined chip from a file gets a default system in every multi-chip use, as catalog chips do
 * (issue #8): one that `extends:` a catalog chip is placed in the vendor's system with the same
 * fabric; one written from scratch gets a generic node built from its own scale-up link, with the
 * assumption stated as a caveat. Checked through train --chips 8, serve --tp 2, collective and
 * compare --tp 2, and against the catalog chip it extends.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultSystemFor } from "../src/node/system-catalog.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { runCli } from "./helpers/run-cli.js";

afterEach(() => vi.restoreAllMocks());

let extended = "";
let scratch = "";

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "xpusim-user-chip-"));
  extended = join(dir, "my-h100.yaml");
  writeFileSync(extended, "id: my-h100\nextends: nvidia-h100-sxm\nname: My H100 variant\n");
  scratch = join(dir, "scratch.yaml");
  writeFileSync(
    scratch,
    [
      "id: scratch-acc",
      "name: Scratch accelerator",
      "vendor: Acme",
      "kind: npu",
      "family: generic-systolic",
      'process: { node: "7 nm" }',
      "clock: { boost: 1.5 GHz }",
      "compute:",
      "  units: 4",
      "  unit_name: core",
      "  matrix: { kind: systolic, count: 4, shape: { rows: 128, cols: 128 }, macs_per_cycle: { bf16: 65536, int8: 131072 } }",
      "memory:",
      "  main: { type: HBM3, capacity: 96 GiB, bandwidth: 3 TB/s }",
      "interconnect:",
      "  scale_up: { name: AcmeLink, links: 6, bandwidth_per_direction: 300 GB/s }",
      "",
    ].join("\n"),
  );
});

const json = async (...argv: string[]) => {
  const r = await runCli(...argv, "--json");
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};

describe("default system of a user chip file", () => {
  it("an extending chip is swapped into the vendor's system with the same fabric", () => {
    const s = defaultSystemFor(loadChip(extended), 8);
    expect(s.id).toBe("dgx-h100-my-h100");
    expect(s.chip_id).toBe("my-h100");
    expect(s.scale_up.bandwidth_per_direction_bytes_per_s).toBe(defaultSystemFor(loadChip("nvidia-h100-sxm"), 8).scale_up.bandwidth_per_direction_bytes_per_s);
    expect(s.scale_out).toBeDefined();
    expect(s.caveats.join(" ")).toMatch(/my-h100 placed in dgx-h100/);
  });

  it("a scratch chip gets a generic node from its own link, with the assumption stated", () => {
    const s = defaultSystemFor(loadChip(scratch), 8);
    expect(s.id).toBe("generic-scratch-acc");
    expect(s.scale_up.name).toBe("AcmeLink");
    expect(s.scale_up.bandwidth_per_direction_bytes_per_s).toBe(300e9);
    expect(s.scale_up.domain_size).toBe(8);
    expect(s.caveats.join(" ")).toMatch(/generic system.*assumed: up to 8 chips fully connected through AcmeLink \(6 links, 300 GB\/s per direction\).*no scale-out network/);
  });

  it("train --chips 8 runs and matches the catalog chip it copies", async () => {
    const mine = await json("train", "--chip", extended, "--model", "llama-3.1-8b", "--chips", "8", "--global-batch", "64");
    const base = await json("train", "--chip", "nvidia-h100-sxm", "--model", "llama-3.1-8b", "--chips", "8", "--global-batch", "64");
    expect(mine.system).toBe("dgx-h100-my-h100");
    expect(mine.step_time_s).toBeCloseTo(base.step_time_s, 9);
    const s = await json("train", "--chip", scratch, "--model", "llama-3.1-8b", "--chips", "8", "--global-batch", "64");
    expect(s.system).toBe("generic-scratch-acc");
    expect(s.step_time_s).toBeGreaterThan(0);
  });

  it("serve --tp 2 runs on both", async () => {
    for (const chip of [extended, scratch]) {
      const r = await json("serve", "--chip", chip, "--model", "llama-3.1-8b", "--tp", "2", "--requests", "20");
      expect(r.feasible).toBe(true);
      expect(r.chips).toBe(2);
      expect(r.requests.completed).toBe(20);
    }
  });

  it("collective --chip runs on the derived system", async () => {
    const mine = await json("collective", "--chip", extended, "--bytes", "1GiB");
    const base = await json("collective", "--system", "dgx-h100", "--bytes", "1GiB");
    expect(mine.system.chip).toBe("my-h100");
    expect(mine.results[0].time_s).toBeCloseTo(base.results[0].time_s, 12);
    const s = await json("collective", "--chip", scratch, "--bytes", "1GiB");
    expect(s.system.id).toBe("generic-scratch-acc");
    expect(s.ranks).toBe(8);
    // ring all-reduce of 1 GiB on 8 ranks moves 2·7/8 of it through each 300 GB/s link (derated): ≥ that time.
    expect(s.results[0].time_s).toBeGreaterThan((2 * 7 / 8) * 2 ** 30 / 300e9);
  });

  it("compare --tp 2 ranks a user chip instead of listing it under 'cannot run'", async () => {
    const r = await runCli("compare", "--model", "llama-3.1-8b", "--chips", `nvidia-h100-sxm,${extended},${scratch}`, "--tp", "2");
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/cannot run/);
    expect(r.out).toMatch(/my-h100/);
    expect(r.out).toMatch(/scratch-acc/);
  });
});
