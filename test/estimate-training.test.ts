import { describe, expect, it } from "vitest";
import { savedActivationBytes, trainingActivationBytes } from "../src/core/workload/activation-memory.js";
import { estimateTraining, type TrainingRequest } from "../src/core/estimate/estimate-training.js";
import { buildWorkload, modelParams } from "../src/core/workload/build-workload.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";
import { gptFromDims } from "../src/node/validation-resolvers.js";

const gpt2 = loadModel("gpt2-1.5b");
const a100 = contextFor(loadChip("nvidia-a100-sxm-80gb"));
const req: TrainingRequest = {
  model: gpt2, precision: DEFAULT_PRECISION, global_batch: 8, seq_len: 1024, recompute: "none",
  chips: 1, tp: 1, pp: 1, dp: 1, ep: 1, cp: 1, zero: 0, microbatch: 4,
};

describe("training estimate", () => {
  it("keeps Megatron's 18 bytes per parameter: bf16 weights, fp32 main gradients, Adam 12 B; ZeRO divides them", () => {
    const e = estimateTraining(req, a100);
    const P = modelParams(gpt2).params_total;
    expect(e.memory_breakdown_bytes.weights).toBe(2 * P);
    expect(e.memory_breakdown_bytes.gradients).toBe(4 * P);
    expect(e.memory_breakdown_bytes.optimizer).toBe(12 * P);
    const z3 = estimateTraining({ ...req, chips: 4, dp: 4, zero: 3, global_batch: 16, system: loadSystem("dgx-a100") }, a100);
    // ZeRO-3 also holds the gathered weights of the layer computing and the one prefetched (2 of 48 layers).
    expect(z3.memory_breakdown_bytes.weights).toBeCloseTo((2 * P) / 4 + (2 * 2 * P) / 48, 3);
    expect(z3.memory_breakdown_bytes.gradients).toBeCloseTo((4 * P) / 4, 3);
    expect(z3.memory_breakdown_bytes.optimizer).toBeCloseTo((12 * P) / 4, 3);
  });

  it("reproduces Korthikanti's per-layer activations for a GPT layer with FlashAttention: 32·s·b·h + fp32 LSE", () => {
    // h=6144, a=64 (the 22B model of Korthikanti et al. Table 5), s=2048, b=1, no dropout.
    const m = gptFromDims("22B", { h: 6144, L: 48, heads: 64, ffn: 24576 });
    const g = buildWorkload(m, { batch: 1, new_tokens: 2048, context_tokens: 2048, phase: "forward" }, DEFAULT_PRECISION);
    const layer = g.blocks.find((b) => b.repeat === 48)!;
    const perLayer = layer.ops.reduce((s, op) => s + savedActivationBytes(op), 0);
    const s = 2048, h = 6144, a = 64;
    expect(perLayer).toBe(32 * s * h + a * s * 4);
    const act = trainingActivationBytes(g);
    expect(act.largest_block).toBe(perLayer);
  });

  it("counts model FLOPs as forward + backward ≈ 6·N·tokens and HFU > MFU with full recomputation", () => {
    const e = estimateTraining(req, a100);
    const tokens = 8 * 1024;
    const N = modelParams(gpt2).params_total;
    // 6N per token plus attention (12·L·s·h per token for causal) and the LM head; within 15 %.
    expect(e.model_flops_per_step / (6 * N * tokens)).toBeGreaterThan(1);
    expect(e.model_flops_per_step / (6 * N * tokens)).toBeLessThan(1.25);
    expect(e.mfu).toBeGreaterThan(0.2);
    expect(e.mfu).toBeLessThanOrEqual(1);
    const full = estimateTraining({ ...req, recompute: "full" }, a100);
    expect(full.hfu).toBeGreaterThan(full.mfu);
    expect(full.step_time_s).toBeGreaterThan(e.step_time_s);
    expect(full.memory_breakdown_bytes.activations).toBeLessThan(e.memory_breakdown_bytes.activations / 4);
    expect(full.model_flops_per_step).toBeCloseTo(e.model_flops_per_step, 0);
  });

  it("sums its step-time parts and derives throughput from them", () => {
    const e = estimateTraining(req, a100);
    const b = e.step_breakdown_s;
    expect(b.forward + b.backward + b.recompute + b.optimizer + b.communication_exposed + b.pipeline_bubble).toBeCloseTo(e.step_time_s, 12);
    expect(e.microbatches_per_step).toBe(2);
    expect(e.tokens_per_s).toBeCloseTo((8 * 1024) / e.step_time_s, 6);
    expect(b.backward / b.forward).toBeGreaterThan(1.6);
    expect(b.backward / b.forward).toBeLessThan(2.6);
  });

  it("gives time, chip-hours and cost for a token budget", () => {
    const e = estimateTraining({ ...req, tokens: 1e9 }, a100);
    const steps = 1e9 / (8 * 1024);
    expect(e.time_to_train_s).toBeCloseTo(steps * e.step_time_s, 6);
    expect(e.chip_hours).toBeCloseTo(e.time_to_train_s! / 3600, 9);
  });

  it("rejects layouts it cannot price, with the reason", () => {
    expect(() => estimateTraining({ ...req, global_batch: 6 }, a100)).toThrow(/not divisible by dp × microbatch = 4/);
    expect(() => estimateTraining({ ...req, tp: 5, chips: 5 }, a100)).toThrow(/need a system/);
    expect(() => estimateTraining({ ...req, tp: 3, chips: 3, system: loadSystem("dgx-a100") }, a100)).toThrow(/does not divide the 25 attention heads/);
    expect(() => estimateTraining({ ...req, tp: 2, chips: 4, system: loadSystem("dgx-a100") }, a100)).toThrow(/does not equal the chip count 4/);
  });
});

describe("uneven pipeline stages", () => {
  it("lets pp not divide the layers, paced by the stage holding ceil(L/pp) layers", () => {
    // 48 layers: pp = 5 gives stages of 10,10,10,9,9 layers; pp = 6 gives 8 each.
    const m = gptFromDims("22B", { h: 6144, L: 48, heads: 64, ffn: 24576 });
    const sys = loadSystem("dgx-a100");
    const base = { model: m, precision: DEFAULT_PRECISION, global_batch: 20, seq_len: 2048, recompute: "full" as const, tp: 8, dp: 1, ep: 1, cp: 1, zero: 0, microbatch: 1, system: sys };
    const five = estimateTraining({ ...base, chips: 40, pp: 5 }, a100);
    const six = estimateTraining({ ...base, chips: 48, pp: 6 }, a100);
    const sum = (e: typeof five) => e.step_breakdown_s.forward + e.step_breakdown_s.backward;
    // Per micro-batch work of the slowest stage: 10 layers (pp 5) against 8 (pp 6), same m = 20.
    expect(sum(five) / sum(six)).toBeGreaterThan(1.18);
    expect(sum(five) / sum(six)).toBeLessThan(1.3);
    expect(() => estimateTraining({ ...base, chips: 392, pp: 49 }, a100)).toThrow(/exceeds the 48 layers/);
  });
});

describe("overlapped data-parallel reduction", () => {
  it("hides the reduction behind the backward but pays the interference the library data gives (15 % on NVLink)", () => {
    const sys = loadSystem("dgx-a100");
    const base = { ...req, chips: 8, dp: 8, global_batch: 32, system: sys };
    const on = estimateTraining({ ...base, overlap_grad_reduce: true }, a100);
    const off = estimateTraining({ ...base, overlap_grad_reduce: false }, a100);
    const exposedOff = off.step_breakdown_s.data_parallel_exposed;
    expect(exposedOff).toBeGreaterThan(0);
    // With overlap: exposed + hidden = the whole reduction; the hidden part costs 15 % of itself in compute.
    const hidden = exposedOff - on.step_breakdown_s.data_parallel_exposed;
    expect(on.step_breakdown_s.overlap_slowdown).toBeCloseTo(0.15 * hidden, 12);
    expect(on.step_time_s).toBeLessThan(off.step_time_s);
    expect(off.step_breakdown_s.overlap_slowdown).toBe(0);
    // The last gradient bucket is reduced after the backward ends: always exposed, smaller with smaller buckets.
    expect(on.step_breakdown_s.data_parallel_exposed).toBeGreaterThan(0);
    const small = estimateTraining({ ...base, overlap_grad_reduce: true, grad_bucket_bytes: 1e6 }, a100);
    expect(small.step_breakdown_s.data_parallel_exposed).toBeLessThan(on.step_breakdown_s.data_parallel_exposed);
  });
});
