import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWith } from "../src/core/spec/validate.js";
import { measuredFileSchema } from "../src/core/validate/measured-point.js";
import { runValidation } from "../src/core/validate/run-validation.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";
import { VALIDATION_FIXTURE_DIR } from "./helpers/validation-fixtures.js";
import { estimateTraining, type TrainingRequest } from "../src/core/estimate/estimate-training.js";
import { estimateTrainingWithDefaults } from "../src/core/estimate/training-defaults.js";
import { dataParallelComm, type DataParallelLayout } from "../src/core/estimate/training/data-parallel-comm.js";
import { bucketed, shardedPassTime } from "../src/core/estimate/training/sharded-layer-comm.js";
import type { Sum } from "../src/core/estimate/training/stage-sums.js";
import { emptyBoundTimes } from "../src/core/estimate/evaluate-graph.js";
import type { System } from "../src/core/network/build-system.js";
import type { LayoutNetwork } from "../src/core/parallel/network-context.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";

describe("ZeRO-3 / FSDP per-layer pass (hand-computed)", () => {
  it("hides every gather but the first when a layer's compute outlasts it (prefetch 1)", () => {
    // 4 layers, 1 s of compute each, 0.5 s gathers: 0.5 + 3·max(0.5, 1) + 1 = 4.5 s.
    const t = shardedPassTime({ layers: 4, compute_s: 1, gather_s: 0.5, reduce_scatter_s: 0 }, 1);
    expect(t.time_s).toBeCloseTo(4.5, 12);
    expect(t.exposed_s).toBeCloseTo(0.5, 12);
    expect(t.hidden_s).toBeCloseTo(1.5, 12);
  });

  it("exposes what a gather takes beyond the compute of the layer in flight (partly hidden)", () => {
    // 1.5 s gathers behind 1 s layers: 1.5 + 3·1.5 + 1 = 7 s; 4 s of compute, 3 s exposed, 3 of the 6 s hidden.
    const t = shardedPassTime({ layers: 4, compute_s: 1, gather_s: 1.5, reduce_scatter_s: 0 }, 1);
    expect(t.time_s).toBeCloseTo(7, 12);
    expect(t.exposed_s).toBeCloseTo(3, 12);
    expect(t.hidden_s).toBeCloseTo(3, 12);
  });

  it("exposes every gather without prefetching (each waits for the layer that needs it)", () => {
    const t = shardedPassTime({ layers: 4, compute_s: 1, gather_s: 0.5, reduce_scatter_s: 0 }, 0);
    expect(t.time_s).toBeCloseTo(6, 12);
    expect(t.exposed_s).toBeCloseTo(2, 12);
    expect(t.hidden_s).toBeCloseTo(0, 12);
  });

  it("shares the stream between the backward's gathers and reduce-scatters, the last reduce-scatter exposed", () => {
    // 2 s layers, 0.5 s gather + 0.5 s reduce-scatter: 0.5 + 3·max(1, 2) + 2 + 0.5 = 9 s, 1 s exposed.
    const t = shardedPassTime({ layers: 4, compute_s: 2, gather_s: 0.5, reduce_scatter_s: 0.5 }, 1);
    expect(t.time_s).toBeCloseTo(9, 12);
    expect(t.exposed_s).toBeCloseTo(1, 12);
    // Network-bound: 0.5 + 3·(0.5 + 0.5) + 0.2 + 0.5 with 0.2 s layers.
    expect(shardedPassTime({ layers: 4, compute_s: 0.2, gather_s: 0.5, reduce_scatter_s: 0.5 }, 1).time_s).toBeCloseTo(4.2, 12);
  });

  it("splits a collective into buckets, each paying its latency", () => {
    const c = (bytes: number) => 1e-3 + bytes / 1e9;
    expect(bucketed(c, 250e6, 100e6)).toBeCloseTo(3 * (1e-3 + 250e6 / 3 / 1e9), 12);
    expect(bucketed(c, 250e6, undefined)).toBeCloseTo(c(250e6), 12);
    expect(bucketed(c, 250e6, 1e9)).toBeCloseTo(c(250e6), 12);
  });
});

/** A network whose every data-parallel collective takes 1 ms + bytes / (1 GB/s), and 10 % interference. */
const net: LayoutNetwork = {
  tp: () => 0,
  dp: (_op, bytes) => (bytes > 0 ? 1e-3 + bytes / 1e9 : 0),
  pp: () => 0,
  ep: () => 0,
  edp: (_op, bytes) => (bytes > 0 ? 1e-3 + bytes / 1e9 : 0),
  cp: () => 0,
  dp_interference: 0.1,
  system: {} as System,
};

function stage(fwd: number, bwd: number): Sum {
  return { fwd, bwd, rec: 0, tp: 0, ep: 0, cp: 0, energy: 0, params: 1e9, expertParams: 0, act: 0, actSel: 0, actInput: 0, largest: 0, bounds: emptyBoundTimes() };
}

describe("data-parallel communication by ZeRO stage (hand-computed on a 1 GB/s, 1 ms network)", () => {
  // 1e9 bf16 parameters = 2 GB over 8 layers: 250 MB a layer, 0.251 s a gather or reduce-scatter.
  const params = { rank: 1e9, dense: 1e9, expert: 0 };
  const layout: DataParallelLayout = { dp: 8, cp: 1, ep: 1, zero: 3, m: 1, overlap: true, bucket_bytes: undefined, layers: 8, prefetch: 1, backward_gathers: 1, overlap_param_gather: false };

  it("ZeRO-3 comm-bound: forward 0.251 + 7·0.251 + 0.1, backward 0.251 + 7·0.502 + 0.2 + 0.251", () => {
    const c = dataParallelComm(net, params, 2, layout, stage(0.8, 1.6));
    const fwd = 0.251 + 7 * 0.251 + 0.1 - 0.8;
    const bwd = 0.251 + 7 * 0.502 + 0.2 + 0.251 - 1.6;
    expect(c.exposed_s).toBeCloseTo(fwd + bwd, 9);
    expect(c.reduce_s).toBeCloseTo(8 * 3 * 0.251, 9);
    expect(c.overlap_slowdown_s).toBeCloseTo((8 * 3 * 0.251 - fwd - bwd) * 0.1, 9);
  });

  it("ZeRO-3 compute-bound: only each pass's first gather and the last reduce-scatter show", () => {
    const c = dataParallelComm(net, params, 2, layout, stage(8, 16));
    expect(c.exposed_s).toBeCloseTo(0.251 + 0.251 + 0.251, 9);
  });

  it("ZeRO-3 with m micro-batches gathers for each; the tail reduce-scatters but the last hide behind the next forward", () => {
    const one = dataParallelComm(net, params, 2, layout, stage(8, 16));
    const four = dataParallelComm(net, params, 2, { ...layout, m: 4 }, stage(8, 16));
    expect(four.reduce_s).toBeCloseTo(4 * one.reduce_s, 9);
    expect(four.exposed_s).toBeCloseTo(4 * 2 * 0.251 + 0.251, 9);
  });

  it("ZeRO-3 regathering for the backward after a full recompute (DeepSpeed) streams two gathers a layer there", () => {
    // Backward: 2·0.251 + 7·max(0.753, 2) + 2 + 0.251 − 16 = 0.753 exposed; compute-bound otherwise as before.
    const c = dataParallelComm(net, params, 2, { ...layout, backward_gathers: 2 }, stage(8, 16));
    expect(c.exposed_s).toBeCloseTo(0.251 + 2 * 0.251 + 0.251, 9);
    expect(c.reduce_s).toBeCloseTo(8 * 4 * 0.251, 9);
    // Comm-bound: the backward streams 0.753 s a layer behind 0.2 s of compute.
    const b = dataParallelComm(net, params, 2, { ...layout, backward_gathers: 2 }, stage(0.8, 1.6));
    const fwd = 0.251 + 7 * 0.251 + 0.1 - 0.8;
    const bwd = 0.502 + 7 * 0.753 + 0.2 + 0.251 - 1.6;
    expect(b.exposed_s).toBeCloseTo(fwd + bwd, 9);
  });

  it("ZeRO-3 without overlap serialises every collective; buckets smaller than a layer pay more latency", () => {
    const c = dataParallelComm(net, params, 2, { ...layout, overlap: false }, stage(8, 16));
    expect(c.exposed_s).toBeCloseTo(8 * 3 * 0.251, 9);
    expect(c.overlap_slowdown_s).toBeCloseTo(0, 12);
    const b = dataParallelComm(net, params, 2, { ...layout, overlap: false, bucket_bytes: 100e6 }, stage(8, 16));
    expect(b.exposed_s).toBeCloseTo(8 * 3 * 3 * (1e-3 + 250e6 / 3 / 1e9), 9);
  });

  it("ZeRO-1 reduce-scatters once behind the backward; the post-step all-gather shows unless overlapped with the next forward", () => {
    const z1 = { ...layout, zero: 1, m: 4 };
    // 2 GB reduce-scatter 2.001 s behind a 16 s backward: the last 25 MB bucket (0.026 s) shows; the 2.001 s all-gather after the step shows.
    const c = dataParallelComm(net, params, 2, z1, stage(8, 16));
    expect(c.exposed_s).toBeCloseTo(0.026 + 2.001, 9);
    const o = dataParallelComm(net, params, 2, { ...z1, overlap_param_gather: true }, stage(8, 16));
    expect(o.exposed_s).toBeCloseTo(0.026 + 0.026, 9);
    // ZeRO-2 reduce-scatters every micro-batch's gradients.
    const z2 = dataParallelComm(net, params, 2, { ...z1, zero: 2 }, stage(8, 16));
    expect(z2.exposed_s).toBeCloseTo(4 * 0.026 + 2.001, 9);
    expect(z2.reduce_s).toBeCloseTo(4 * 2.001 + 2.001, 9);
  });

  it("ZeRO-0 all-reduces once, the last bucket exposed", () => {
    const c = dataParallelComm(net, params, 2, { ...layout, zero: 0 }, stage(8, 16));
    expect(c.reduce_s).toBeCloseTo(2.001, 9);
    expect(c.exposed_s).toBeCloseTo(0.026, 9);
  });
});

describe("ZeRO-3 on a real system (invariants)", () => {
  const h100 = contextFor(loadChip("nvidia-h100-sxm"));
  const dgxH = loadSystem("dgx-h100");
  const llama8b = loadModel("llama-3.1-8b");
  const base: TrainingRequest = { model: llama8b, precision: DEFAULT_PRECISION, global_batch: 64, seq_len: 1024, recompute: "full", chips: 32, tp: 1, pp: 1, dp: 32, ep: 1, cp: 1, zero: 3, microbatch: 2, system: dgxH };

  it("never gets slower with more scale-out bandwidth", () => {
    // The NICs at 1/4, 1/2 and 1× their rate (at 1× the ring is bounded by NVLink as much as by the NICs).
    const so = dgxH.scale_out!;
    const withNics = (k: number): System => ({ ...dgxH, scale_out: { ...so, nic_rate_bytes_per_s: k * so.nic_rate_bytes_per_s, per_chip_bandwidth_bytes_per_s: k * so.per_chip_bandwidth_bytes_per_s } });
    const t = [0.25, 0.5, 1].map((k) => estimateTraining({ ...base, system: withNics(k) }, h100));
    expect(t[0]!.step_time_s).toBeGreaterThan(t[1]!.step_time_s);
    expect(t[1]!.step_time_s).toBeGreaterThanOrEqual(t[2]!.step_time_s);
    expect(t[0]!.step_breakdown_s.data_parallel_exposed).toBeGreaterThan(t[2]!.step_breakdown_s.data_parallel_exposed);
  });

  it("never gets slower with a deeper prefetch", () => {
    const t = [0, 1, 2, 4].map((k) => estimateTraining({ ...base, zero_prefetch_layers: k }, h100).step_time_s);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeLessThanOrEqual(t[i - 1]!);
    expect(t[0]!).toBeGreaterThan(t[1]!);
    // Each prefetched layer is one more gathered layer in memory.
    const m1 = estimateTraining({ ...base, zero_prefetch_layers: 1 }, h100).memory_breakdown_bytes.weights;
    const m2 = estimateTraining({ ...base, zero_prefetch_layers: 2 }, h100).memory_breakdown_bytes.weights;
    expect(m2).toBeGreaterThan(m1);
  });

  it("regathers for the backward only under full recompute when asked (DeepSpeed), never faster", () => {
    const kept = estimateTraining(base, h100);
    const regather = estimateTraining({ ...base, zero_recompute_regather: true }, h100);
    expect(regather.step_time_s).toBeGreaterThan(kept.step_time_s);
    const sel = { ...base, recompute: "selective" as const };
    expect(estimateTraining({ ...sel, zero_recompute_regather: true }, h100).step_time_s).toBe(estimateTraining(sel, h100).step_time_s);
  });

  it("loses throughput per GPU as GPUs are added at a fixed global batch (Narayanan et al. 2021 Table 2's shape)", () => {
    // 64 sequences on 16, 32, 64 GPUs (4 nodes and up): micro-batch 4, 2, 1, one micro-batch a step.
    const perGpu = [16, 32, 64].map((n) => {
      const e = estimateTraining({ ...base, chips: n, dp: n, microbatch: 64 / n }, h100);
      return e.tokens_per_s / n;
    });
    expect(perGpu[1]!).toBeLessThan(perGpu[0]!);
    expect(perGpu[2]!).toBeLessThan(perGpu[1]!);
    // ZeRO-1 on the same GPUs holds far better: its communication does not grow as the micro-batch shrinks.
    const z1 = estimateTraining({ ...base, chips: 64, dp: 64, microbatch: 1, zero: 1 }, h100);
    expect(z1.tokens_per_s / 64).toBeGreaterThan(perGpu[2]!);
  });

  it("chooses the micro-batch when unset and reports it", () => {
    const { microbatch: _mb, ...open } = base;
    const e = estimateTrainingWithDefaults(open, h100);
    const chosen = e.chosen_defaults?.find((c) => c.field === "microbatch");
    expect(chosen?.value).toBe(e.layout.microbatch);
    expect(chosen?.why).toMatch(/fastest layout that fits/);
    // A given micro-batch is kept.
    expect(estimateTrainingWithDefaults(base, h100).layout.microbatch).toBe(2);
  });
});

describe("validation points: layouts a tuned stack would run where the source is silent", () => {
  const fixture = JSON.parse(readFileSync(join(VALIDATION_FIXTURE_DIR, "real-world-units.json"), "utf8")) as Array<{ id: string }>;
  const pick = (ids: string[]) => fixture.filter((p) => ids.includes(p.id));
  const s = runValidation(parseWith(measuredFileSchema, pick(["rw-opt-175b-992gpu-tflops", "rw-llama-65b-2048gpu-tokens-per-gpu"])), validationResolvers());
  const byId = Object.fromEntries(s.results.map((r) => [r.id, r]));

  it("OPT-175B (FSDP, tp 8, 992 A100): the micro-batch is chosen (all 8 sequences a GPU in one), within 15 % of the 147 TFLOP/s", () => {
    const r = byId["rw-opt-175b-992gpu-tflops"]!;
    expect(r.assumptions.join(" ")).toMatch(/microbatch not stated: 8 chosen/);
    // Micro-batch 1 regathered the weights 8 times a step: 60 TFLOP/s before the per-layer model, 47 with it.
    expect(Math.abs(r.error!)).toBeLessThan(0.15);
  });

  it("LLaMA-65B (tp 8, 2048 A100): stage 0 does not fit, so the lowest ZeRO stage that does is chosen and reported", () => {
    const r = byId["rw-llama-65b-2048gpu-tokens-per-gpu"]!;
    expect(r.assumptions.join(" ")).toMatch(/zero not stated: 1 chosen \(unset: stage 0 does not fit/);
    // The point states fused attention and nothing else, so the rest is the modern default stack
    // (megatron-core: no dropout, DP reduction overlapped): +28 % today, the known over-prediction of
    // modern-stack LLM training (docs/accuracy.md); the bound keeps it from growing.
    expect(r.error!).toBeGreaterThan(0);
    expect(r.error!).toBeLessThan(0.32);
  });
});

describe("ZeRO-3 without model parallelism at a fixed batch (validation/measured-zero.json, Narayanan et al. 2021 Table 2)", () => {
  const points = JSON.parse(readFileSync("validation/measured-zero.json", "utf8")) as unknown[];
  const s = runValidation(parseWith(measuredFileSchema, points), validationResolvers());
  const tflops = (id: string) => s.results.find((r) => r.id === id)!.predicted!;

  it("predicts every point, and throughput per GPU falls as GPUs are added for both models, as published", () => {
    expect(s.results.every((r) => r.status === "ok")).toBe(true);
    const gpt = [384, 768, 1536].map((n) => tflops(`train-narayanan-175b-${n}gpu-zero3`));
    const mt = [640, 1120, 2240].map((n) => tflops(`train-narayanan-530b-${n}gpu-zero3`));
    for (const series of [gpt, mt]) {
      expect(series[1]!).toBeLessThan(series[0]!);
      expect(series[2]!).toBeLessThan(series[1]! * 0.5);
    }
  });
});
