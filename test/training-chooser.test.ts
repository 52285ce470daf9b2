/**
 * One chooser for every unset training knob (search/training-defaults.ts): micro-batch, interleave,
 * sp, ZeRO stage and recompute left unset are chosen the same way whichever front end asks — a
 * scenario (`estimate`), `train` flags, `JOBS.training` or `compare --training` — and given values
 * are never changed.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import type { TrainingEstimate, TrainingJobRequest } from "../src/core/app/jobs/training-job.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "xpusim-chooser-"));
const catalog = nodeCatalog();

async function json(...argv: string[]): Promise<TrainingEstimate> {
  const r = await runCli(...argv, "--json");
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as TrainingEstimate;
}

/** Llama-3.1-8B on 8 H100 (one DGX), global batch 64 of 4096 tokens, every layout knob unset. */
const LLAMA_8X_H100: TrainingJobRequest = {
  model: "llama-3.1-8b",
  chip: "nvidia-h100-sxm",
  system: "dgx-h100",
  chips: 8,
  precision: { compute: "bf16" },
  global_batch: 64,
  seq_len: 4096,
  // No execution or stack stated: the default stack (megatron-core) decides, as for the scenario and the flags.
};

describe("unset knobs: the same choice from every front end", () => {
  it("Llama-3.1-8B × 8 H100: scenario, train flags and JOBS.training agree, ZeRO and recompute chosen and reported", async () => {
    const file = join(dir, "llama-8x.yaml");
    writeFileSync(file, "kind: training\nhardware: { chip: nvidia-h100-sxm, count: 8, system: dgx-h100 }\nworkload: { model: llama-3.1-8b }\ntraining: { global_batch: 64, seq_len: 4096 }\n");
    const viaScenario = await json("estimate", file);
    const viaFlags = await json("train", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--chips", "8", "--system", "dgx-h100", "--global-batch", "64", "--seq", "4096");
    const viaJob = JSON.parse(JSON.stringify(JOBS.training.run(LLAMA_8X_H100, catalog)));
    expect(viaFlags).toEqual(viaScenario);
    expect(viaJob).toEqual(viaScenario);
    expect(viaScenario.fits).toBe(true);
    expect(viaScenario.chosen_defaults?.map((c) => c.field)).toEqual(["dp", "microbatch", "zero", "recompute"]);
    for (const c of viaScenario.chosen_defaults!.slice(1)) expect(c.why).toMatch(/^unset: the fastest layout that fits of \d+ tried/);
    // The choice is the fastest fitting layout: no explicit ZeRO × recompute × micro-batch beats it.
    for (const zero of [0, 1, 2, 3]) {
      for (const recompute of ["none", "selective", "full"] as const) {
        for (const microbatch of [1, 2, 4, 8]) {
          const e = JOBS.training.run({ ...LLAMA_8X_H100, zero, recompute, microbatch }, catalog);
          if (e.fits) expect(e.step_time_s).toBeGreaterThanOrEqual(viaScenario.step_time_s);
        }
      }
    }
  });

  it("the old per-front-end defaults (flags ZeRO-1 + selective, scenario ZeRO-0 + none) fit neither; the chosen layout does", () => {
    const best = JOBS.training.run(LLAMA_8X_H100, catalog);
    const oldFlags = JOBS.training.run({ ...LLAMA_8X_H100, zero: 1, recompute: "selective" }, catalog);
    const oldScenario = JOBS.training.run({ ...LLAMA_8X_H100, zero: 0, recompute: "none" }, catalog);
    expect([oldScenario.fits, oldFlags.fits, best.fits]).toEqual([false, false, true]);
    expect(best.layout).toMatchObject({ zero: 2, recompute: "none" });
  });

  it("compare --training's row is the training job's answer on one chip (fitting and not)", async () => {
    for (const [model, seq] of [["gpt2-1.5b", "1024"], ["llama-3.1-8b", "2048"]] as const) {
      const r = await runCli("compare", "--model", model, "--chips", "nvidia-h100-sxm", "--training", "--batch", "64", "--json");
      const row = (JSON.parse(r.out) as Array<TrainingEstimate & { microbatch_chosen?: number }>)[0]!;
      const t = (await runCli("train", "--model", model, "--chip", "nvidia-h100-sxm", "--global-batch", "64", "--seq", seq, "--json")).out;
      const train = JSON.parse(t) as TrainingEstimate;
      expect(row.step_time_s).toBe(train.step_time_s);
      expect(row.layout).toEqual(train.layout);
      expect(row.fits).toBe(train.fits);
      expect(row.chosen_defaults).toEqual(train.chosen_defaults);
      expect(row.microbatch_chosen).toBe(train.layout.microbatch);
    }
  });
});

describe("the recompute choice, hand-checked", () => {
  // Llama-3.1-8B, seq 4096, micro-batch 1, ZeRO-2, no FlashAttention: the attention scores are kept
  // for backward unless recomputed — 2 bytes × 32 heads × 4096² × 32 layers = 34.36 GB, the gap
  // between recompute none (86.9 GB, over the H100's 80 GB) and selective (52.6 GB, fits).
  const given = { ...LLAMA_8X_H100, tp: 1, pp: 1, zero: 2, microbatch: 1, interleave: 1, sp: false, flash_attention: false };
  it("none does not fit, selective does: the chooser takes selective and says why", () => {
    const none = JOBS.training.run({ ...given, recompute: "none" }, catalog);
    const selective = JOBS.training.run({ ...given, recompute: "selective" }, catalog);
    expect(none.memory_per_chip_bytes - selective.memory_per_chip_bytes).toBeCloseTo(2 * 32 * 4096 ** 2 * 32, -6);
    expect([none.fits, selective.fits]).toEqual([false, true]);
    const chosen = JOBS.training.run(given, catalog);
    expect(chosen.layout.recompute).toBe("selective");
    expect(chosen.step_time_s).toBe(selective.step_time_s);
    const why = chosen.chosen_defaults?.find((c) => c.field === "recompute");
    expect(why?.value).toBe("selective");
    expect(why?.why).toMatch(/lightest that fits; none does not fit \(86\.9 GB of 80\.0 GB per chip\)/);
  });
});

describe("given values are never changed", () => {
  it("a layout that does not fit stays as given, and nothing is reported as chosen", () => {
    const layout = { tp: 1, pp: 1, dp: 8, ep: 1, cp: 1, zero: 0, recompute: "none", microbatch: 4, interleave: 1, sp: false } as const;
    const e = JOBS.training.run({ ...LLAMA_8X_H100, ...layout }, catalog);
    expect(e.fits).toBe(false);
    expect(e.layout).toEqual(layout);
    expect(e.chosen_defaults ?? []).toEqual([]);
  });

  it("a given ZeRO stage is kept while the unset knobs are chosen around it", () => {
    const e = JOBS.training.run({ ...LLAMA_8X_H100, zero: 0 }, catalog);
    expect(e.layout.zero).toBe(0);
    expect(e.chosen_defaults?.map((c) => c.field)).toEqual(["dp", "microbatch", "recompute"]);
    // ZeRO-0 holds 16 bytes of state per parameter per chip: nothing fits, the closest is reported.
    expect(e.fits).toBe(false);
    expect(e.chosen_defaults?.find((c) => c.field === "recompute")?.why).toMatch(/nothing fits in memory: the closest/);
  });
});

describe("ZeRO stage near-ties go to the lower stage", () => {
  it("GPT-2 1.5B on 8 H100 (every stage fits): the chosen stage is the lowest within 0.5% of the fastest", () => {
    const req: TrainingJobRequest = { ...LLAMA_8X_H100, model: "gpt2-1.5b", seq_len: 1024 };
    const chosen = JOBS.training.run(req, catalog);
    expect(chosen.fits).toBe(true);
    const { zero: _z, ...rest } = chosen.layout;
    const byStage = [0, 1, 2, 3].map((zero) => JOBS.training.run({ ...req, ...rest, recompute: rest.recompute as TrainingJobRequest["recompute"], zero }, catalog));
    expect(byStage.every((e) => e.fits)).toBe(true);
    const fastest = Math.min(...byStage.map((e) => e.step_time_s));
    const lowestNearTie = byStage.findIndex((e) => e.step_time_s <= fastest * 1.005);
    expect(chosen.layout.zero).toBe(lowestNearTie);
    expect(chosen.step_time_s).toBe(byStage[lowestNearTie]!.step_time_s);
  });
});
