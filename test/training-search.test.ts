import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "./helpers/run-cli.js";
import { estimateTraining, type TrainingEstimate, type TrainingRequest, trainingPricer } from "../src/core/estimate/estimate-training.js";
import { divisors, searchTrainingLayouts } from "../src/core/search/training-search.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";

const h100 = contextFor(loadChip("nvidia-h100-sxm"));
const a100 = contextFor(loadChip("nvidia-a100-sxm-80gb"));
const dgxH = loadSystem("dgx-h100");
const dgxA = loadSystem("dgx-a100");
const llama8b = loadModel("llama-3.1-8b");
const llama70b = loadModel("llama-3.1-70b");

/** Every numeric leaf of two estimates agrees to 1e-9 relative; everything else is equal. */
function expectSameEstimate(a: TrainingEstimate, b: TrainingEstimate): void {
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (typeof x === "number" && typeof y === "number") {
      const scale = Math.max(Math.abs(x), Math.abs(y));
      if (scale > 0) expect(Math.abs(x - y) / scale, path).toBeLessThanOrEqual(1e-9);
      else expect(y, path).toBe(x);
      return;
    }
    if (x && typeof x === "object") {
      expect(Object.keys(y as object).sort(), path).toEqual(Object.keys(x).sort());
      for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    expect(y, path).toEqual(x);
  };
  walk(a, b, "estimate");
}

const base = { precision: DEFAULT_PRECISION, ep: 1, cp: 1 } as const;
const layouts: Array<[TrainingRequest, typeof h100, { execution?: "eager" }]> = [
  [{ ...base, model: llama70b, global_batch: 256, seq_len: 4096, recompute: "full", chips: 64, tp: 4, pp: 4, dp: 4, zero: 0, microbatch: 2, sp: false, interleave: 1, system: dgxH }, h100, {}],
  [{ ...base, model: llama8b, global_batch: 64, seq_len: 4096, recompute: "none", chips: 8, tp: 1, pp: 1, dp: 8, zero: 3, microbatch: 2, system: dgxH, tokens: 1e12 }, h100, {}],
  [{ ...base, model: llama8b, global_batch: 32, seq_len: 1024, recompute: "selective", chips: 16, tp: 2, pp: 2, dp: 4, zero: 1, microbatch: 2, sp: true, interleave: 2, system: dgxA, flash_attention: false, dropout: true, overlap_grad_reduce: false }, a100, { execution: "eager" }],
  [{ ...base, model: llama8b, global_batch: 32, seq_len: 1024, recompute: "selective", chips: 16, tp: 4, pp: 4, dp: 1, zero: 0, microbatch: 4, sp: true, interleave: 4, system: dgxA, flash_attention: false, dropout: true }, a100, { execution: "eager" }],
];

describe("training pricer (cached block pricing)", () => {
  it("prices any sequence of layouts exactly as a fresh estimateTraining does (1e-9 relative)", () => {
    // One shared pricer per workload, layouts in an order that reuses and interleaves its caches.
    const shared = new Map<string, ReturnType<typeof trainingPricer>>();
    const order = [0, 1, 2, 3, 0, 2, 1, 3];
    for (const i of order) {
      const [req, ctx, opts] = layouts[i]!;
      const key = `${req.model.id}|${ctx.chip.id}|${req.seq_len}|${String(req.flash_attention)}|${String(req.dropout)}|${req.system?.id}|${opts.execution ?? ""}`;
      let p = shared.get(key);
      if (!p) {
        p = trainingPricer(req, ctx, opts);
        shared.set(key, p);
      }
      expectSameEstimate(estimateTraining(req, ctx, opts), p.estimate(req));
    }
  });

  it("charges ZeRO-3 the weight all-gathers before each micro-batch's forward and backward", () => {
    const [req] = layouts[1]!;
    const z1 = estimateTraining({ ...req, zero: 1 }, h100);
    const z3 = estimateTraining(req, h100);
    expect(z3.step_breakdown_s.data_parallel_exposed).toBeGreaterThanOrEqual(z1.step_breakdown_s.data_parallel_exposed);
    expect(z3.step_breakdown_s.data_parallel_exposed).toBeLessThanOrEqual(z1.step_breakdown_s.data_parallel_exposed + 2 * z3.microbatches_per_step * 1);
    const noOverlap = estimateTraining({ ...req, overlap_grad_reduce: false }, h100);
    const z1NoOverlap = estimateTraining({ ...req, zero: 1, overlap_grad_reduce: false }, h100);
    // Without overlap, ZeRO-3 pays 2·m all-gathers of the shard-gathered weights on top of ZeRO-1's RS + AG.
    const extra = noOverlap.step_breakdown_s.data_parallel_exposed - z1NoOverlap.step_breakdown_s.data_parallel_exposed;
    const perGather = extra / (2 * z3.microbatches_per_step);
    // An all-gather of 16 GB of bf16 weights over 8 H100 on NVLink: 16e9·7/8 / (450e9·0.822) ≈ 38 ms.
    expect(perGather).toBeGreaterThan(0.03);
    expect(perGather).toBeLessThan(0.06);
  });
});

describe("training layout search", () => {
  const req = { model: llama70b, precision: DEFAULT_PRECISION, seq_len: 4096, chips: 64, global_batch: 128, system: dgxH, top: Infinity, tokens: 1e12 };
  const r = searchTrainingLayouts(req, h100);

  it("returns only valid, fitting layouts whose degrees multiply to the chips", () => {
    expect(r.feasible).toBeGreaterThan(10);
    expect(r.top).toHaveLength(r.feasible);
    for (const e of r.top) {
      const l = e.layout;
      expect(l.tp * l.pp * l.dp * l.cp).toBe(64);
      expect(64 % l.tp).toBe(0);
      expect(l.tp).toBeLessThanOrEqual(8);
      expect(64 % l.tp).toBe(0);
      expect(l.pp * l.interleave).toBeLessThanOrEqual(80); // 80 layers; stages may be uneven

      expect(128 % (l.dp * l.microbatch)).toBe(0);
      expect(l.sp).toBe(l.tp > 1);
      expect(e.fits).toBe(true);
      expect(e.memory_per_chip_bytes).toBeLessThanOrEqual(80e9);
      expect(Number.isFinite(e.step_time_s)).toBe(true);
      if (l.zero >= 2) expect(l.pp).toBe(1);
    }
  });

  it("ranks the best layout at or below every other one, and each agrees with estimateTraining", () => {
    const best = r.best!;
    for (const e of r.top) expect(best.step_time_s).toBeLessThanOrEqual(e.step_time_s);
    for (let i = 1; i < r.top.length; i++) expect(r.top[i - 1]!.step_time_s).toBeLessThanOrEqual(r.top[i]!.step_time_s);
    const l = best.layout;
    const fresh = estimateTraining({ model: llama70b, precision: DEFAULT_PRECISION, seq_len: 4096, chips: 64, global_batch: 128, system: dgxH, tokens: 1e12, ep: 1, cp: 1, tp: l.tp, pp: l.pp, dp: l.dp, sp: l.sp, zero: l.zero, microbatch: l.microbatch, interleave: l.interleave, recompute: l.recompute as TrainingRequest["recompute"] }, h100);
    expectSameEstimate(fresh, best);
    expect(best.cost_usd).toBeCloseTo(best.chip_hours! * 2.5, 6);
  });

  it("counts every rejection with a reason and examples", () => {
    const reasons = r.rejections.map((x) => x.reason);
    expect(reasons).toContain("does not fit in memory");
    expect(reasons).toContain("tp exceeds the scale-up domain"); // 64 heads: tp 16, 32, 64
    expect(reasons).toContain("parallel degrees do not divide the chip count"); // pp = 5, 10, …
    expect(r.rejections.find((x) => x.reason === "tp exceeds the scale-up domain")!.count).toBe(3);
    for (const x of r.rejections) {
      expect(x.count).toBeGreaterThan(0);
      expect(x.examples.length).toBeGreaterThan(0);
      expect(x.examples.length).toBeLessThanOrEqual(3);
    }
    const memory = r.rejections.find((x) => x.reason === "does not fit in memory")!;
    expect(r.evaluated).toBe(r.feasible + memory.count);
  });

  it("is deterministic", () => {
    const again = searchTrainingLayouts(req, h100);
    expect(JSON.stringify(again)).toBe(JSON.stringify(r));
  });

  it("finds nothing for a 405B model on 8 small chips and says what comes closest", () => {
    const small = searchTrainingLayouts({ model: loadModel("llama-3.1-405b"), precision: DEFAULT_PRECISION, seq_len: 2048, chips: 8, global_batch: 8, system: loadSystem("dgx-a100") }, contextFor(loadChip("nvidia-a100-sxm-40gb")));
    expect(small.feasible).toBe(0);
    expect(small.best).toBeUndefined();
    expect(small.top).toHaveLength(0);
    expect(small.closest).toBeDefined();
    // 405.9e9 params × 18 B / 8 chips ≈ 913 GB per chip against 40 GB: short by more than 800 GB at best.
    expect(small.closest!.shortfall_bytes).toBeGreaterThan(800e9);
    expect(small.notes.join(" ")).toMatch(/no layout fits: the closest .*short by/);
  });

  it("reports impossible chip counts and batches as rejections, never NaN", () => {
    const odd = searchTrainingLayouts({ ...req, chips: 7, global_batch: 7 }, h100);
    expect(odd.feasible).toBe(0);
    expect(odd.rejections.map((x) => x.reason)).toContain("parallel degrees do not divide the chip count");
    const batch = searchTrainingLayouts({ ...req, chips: 64, global_batch: 3 }, h100);
    expect(batch.rejections.map((x) => x.reason)).toContain("global batch not divisible by dp");
    expect(() => searchTrainingLayouts({ ...req, global_batch: 0 }, h100)).toThrow(/global batch must be a positive integer/);
  });

  it("ranks by cost with an explicit price, ordering as step time on a fixed chip count", () => {
    const c = searchTrainingLayouts({ ...req, top: 5, rank_by: "cost", usd_per_chip_hour: 4 }, h100);
    expect(c.rank_by).toBe("cost");
    expect(c.top.map((e) => e.layout)).toEqual(r.top.slice(0, 5).map((e) => e.layout));
    expect(c.best!.cost_usd).toBeCloseTo(c.best!.chip_hours! * 4, 6);
  });

  it("lists divisors in ascending order", () => {
    expect(divisors(126)).toEqual([1, 2, 3, 6, 7, 9, 14, 18, 21, 42, 63, 126]);
    expect(divisors(64)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(divisors(1)).toEqual([1]);
  });
});

const cli = runCli;

afterEach(() => vi.restoreAllMocks());

describe("xpusim train / scale", () => {
  const common = ["--model", "llama-3.1-70b", "--chip", "nvidia-h100-sxm", "--chips", "64", "--global-batch", "128", "--seq", "4096"];

  it("train prints one layout's breakdown, and its JSON matches estimateTraining", async () => {
    // Every layout knob given: unset they are chosen (training-jobs.test.ts, training-chooser.test.ts).
    const fixed = ["--tp", "8", "--pp", "2", "--microbatch", "1", "--interleave", "1", "--sp", "--zero", "1", "--recompute", "selective", "--tokens", "1T"];
    const t = await cli("train", ...common, ...fixed);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/tp 8 · pp 2 · dp 4 · sp/);
    expect(t.out).toMatch(/pipeline bubble/);
    expect(t.out).toMatch(/time to train/);
    const j = JSON.parse((await cli("train", ...common, ...fixed, "--json")).out) as TrainingEstimate;
    // train with no stack stated runs the default megatron-core stack: eager execution (fused attention, no dropout, overlapped DP reduction).
    const e = estimateTraining({ model: llama70b, precision: DEFAULT_PRECISION, global_batch: 128, seq_len: 4096, recompute: "selective", chips: 64, tp: 8, pp: 2, dp: 4, ep: 1, cp: 1, zero: 1, microbatch: 1, interleave: 1, sp: true, system: dgxH, tokens: 1e12 }, h100, { execution: "eager" });
    expect(j.step_time_s).toBeCloseTo(e.step_time_s, 12);
    expect(j.time_to_train_s).toBeCloseTo(e.time_to_train_s!, 6);
    for (const k of ["step_time_s", "tokens_per_s", "model_flops_per_s_per_chip", "mfu", "hfu", "memory_breakdown_bytes", "chip_hours", "cost_usd", "energy_j"]) expect(j).toHaveProperty(k);
    const csv = (await cli("train", ...common, "--tp", "8", "--csv")).out.split("\n");
    expect(csv[0]).toContain("step_time_s");
    expect(csv[0]).toContain("memory_breakdown_bytes.activations");
  });

  it("train gives a clear error for a layout that does not divide", async () => {
    const r = await cli("train", ...common, "--tp", "3");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tp·pp·dp·cp|does not divide/);
    const b = await cli("train", ...common, "--tp", "8", "--microbatch", "3");
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/not divisible by dp × microbatch/);
    const s = await cli("train", ...common, "--system", "dgx-h1000");
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/unknown system "dgx-h1000"/);
    const tok = await cli("train", ...common, "--tokens", "lots");
    expect(tok.code).toBe(2);
  });

  it("train --search prints the ranked table and the rejection summary", async () => {
    const t = await cli("train", ...common, "--search", "--top", "3");
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/layouts priced, \d+ fit/);
    expect(t.out).toMatch(/rejected:/);
    expect(t.out).toMatch(/does not fit in memory/);
    const j = JSON.parse((await cli("train", ...common, "--search", "--top", "3", "--json")).out);
    expect(j.top).toHaveLength(3);
    expect(j.top[0].step_time_s).toBeLessThanOrEqual(j.top[2].step_time_s);
  });

  it("scale gives the best layout and efficiency per chip count, with reasons where nothing fits", async () => {
    const r = await cli("scale", "--model", "llama-3.1-70b", "--chip", "nvidia-h100-sxm", "--chips", "8:64", "--global-batch", "128", "--seq", "4096", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { points: Array<{ chips: number; fits: boolean; reason?: string; scaling_efficiency?: number; tokens_per_s?: number }> };
    expect(j.points.map((p) => p.chips)).toEqual([8, 16, 32, 64]);
    expect(j.points[0]!.fits).toBe(false);
    expect(j.points[0]!.reason).toMatch(/no layout fits/);
    const first = j.points.find((p) => p.fits)!;
    expect(first.scaling_efficiency).toBe(1);
    for (const p of j.points.filter((x) => x.fits)) expect(p.scaling_efficiency).toBeCloseTo(p.tokens_per_s! / p.chips / (first.tokens_per_s! / first.chips), 12);
    const weak = await cli("scale", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--chips", "8,16", "--weak", "--batch-per-chip", "2");
    expect(weak.code).toBe(0);
    expect(weak.out).toMatch(/weak scaling/);
    const bad = await cli("scale", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--weak", "--global-batch", "8");
    expect(bad.code).toBe(2);
  });
});
