import { describe, expect, it } from "vitest";
import { estimateInference, kvShareTp, weightsPerChipBytes } from "../src/core/estimate/estimate-inference.js";
import { evaluateGraph } from "../src/core/estimate/evaluate-graph.js";
import { estimateCollective } from "../src/core/network/estimate-collective.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { buildWorkload, kvCacheBytes, modelParams } from "../src/core/workload/build-workload.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";

const bf16 = { compute: "bf16", weights: "bf16", activations: "bf16", kv_cache: "bf16" } as const;
const chip = loadChip("nvidia-h100-sxm");
const ctx = contextFor(chip);
const dgx = loadSystem("dgx-h100");
const llama8b = loadModel("llama-3.1-8b");

const req = (tp: number, pp = 1, extra: Record<string, unknown> = {}) => ({
  model: llama8b,
  precision: bf16,
  batch: 1,
  input_tokens: 512,
  output_tokens: 64,
  chips: tp * pp,
  tp,
  pp,
  ...(tp * pp > 1 ? { system: dgx } : {}),
  ...extra,
});

describe("tensor-parallel inference", () => {
  it("TP = 1 is the single-chip estimate: TTFT = the prefill graph, weights = all parameters", () => {
    const e = estimateInference(req(1), ctx);
    const g = buildWorkload(llama8b, { batch: 1, new_tokens: 512, context_tokens: 512, phase: "prefill", lm_head_tokens: "last" }, bf16);
    expect(e.ttft_s).toBe(evaluateGraph(g, ctx).time_s);
    expect(e.memory_breakdown_bytes.weights).toBe(modelParams(llama8b).params_total * 2);
    expect(e.memory_breakdown_bytes.kv_cache).toBe(kvCacheBytes(llama8b, 576, "bf16", 1));
    expect(e.communication).toBeUndefined();
    expect(e.phases.prefill.comm_s).toBeUndefined();
  });

  it("counts 2 all-reduces per layer: 32 layers × 2 + embedding all-reduce + logits all-gather = 66 per pass", () => {
    const e = estimateInference(req(2), ctx);
    expect(e.communication).toEqual({ tp_collectives_per_layer: 2, tp_collectives_per_pass: 66, system: "dgx-h100" });
  });

  it("splits weights and KV over the TP group; GQA caches replicate once tp exceeds kv_heads", () => {
    const total = modelParams(llama8b).params_total * 2;
    expect(weightsPerChipBytes(llama8b, bf16, 2, 1)).toBe(total / 2);
    expect(weightsPerChipBytes(llama8b, bf16, 8, 1)).toBe(total / 8);
    // 8 KV heads: tp 2 → 4 heads per chip (1/2); tp 16 → 1 head per chip (1/8, replicated 2×).
    expect(kvShareTp(llama8b, 2)).toBe(0.5);
    expect(kvShareTp(llama8b, 16)).toBe(1 / 8);
    const e1 = estimateInference(req(1), ctx);
    const e2 = estimateInference(req(2), ctx);
    expect(e2.memory_breakdown_bytes.kv_cache).toBeCloseTo(e1.memory_breakdown_bytes.kv_cache / 2, 0);
    expect(e2.memory_breakdown_bytes.weights).toBe(e1.memory_breakdown_bytes.weights / 2);
  });

  it("decode all-reduces are latency-bound, so TP = 2 decode is well short of 2× faster at batch 1", () => {
    // One decode token of hidden 4096 in bf16: 8 KiB per all-reduce.
    const ar = estimateCollective(dgx, "all_reduce", 4096 * 2, 2);
    expect(ar.bound).toBe("overhead");
    expect(ar.latency_s).toBeGreaterThan(ar.transfer_s);
    const e1 = estimateInference(req(1), ctx);
    const e2 = estimateInference(req(2), ctx);
    const speedup = e1.tpot_s / e2.tpot_s;
    expect(speedup).toBeGreaterThan(1.2);
    expect(speedup).toBeLessThan(1.9);
    // 66 collectives per step, each ≥ the 8 KiB all-reduce's latency.
    expect(e2.phases.decode!.comm_s! / e2.phases.decode!.steps).toBeGreaterThan(64 * ar.latency_s);
  });

  it("pipeline stages run one after another: a pass costs the stages summed plus p2p; weights halve", () => {
    const e1 = estimateInference(req(1), ctx);
    const p2 = estimateInference(req(1, 2), ctx);
    expect(p2.ttft_s).toBeGreaterThan(e1.ttft_s);
    expect(p2.ttft_s).toBeLessThan(e1.ttft_s * 1.1);
    expect(p2.memory_breakdown_bytes.weights).toBeLessThan(e1.memory_breakdown_bytes.weights * 0.6);
    expect(p2.memory_breakdown_bytes.kv_cache).toBeCloseTo(e1.memory_breakdown_bytes.kv_cache / 2, 0);
  });

  it("max batch and context that fit are the edge of `fits`", () => {
    const big = loadModel("llama-3.1-70b");
    const base = { model: big, precision: bf16, input_tokens: 2048, output_tokens: 256, chips: 2, tp: 2, pp: 1, system: dgx };
    const e = estimateInference({ ...base, batch: 1 }, ctx);
    const maxB = e.max_batch_that_fits!;
    expect(maxB).toBeGreaterThan(1);
    expect(estimateInference({ ...base, batch: maxB, fit_search: false }, ctx).fits).toBe(true);
    expect(estimateInference({ ...base, batch: maxB + 1, fit_search: false }, ctx).fits).toBe(false);
    // 70B on 2 × 80 GB: one sequence cannot reach 128K (KV + prefill activations); the edge is exact.
    const L = e.max_context_that_fits!;
    expect(L).toBeGreaterThan(2304);
    expect(L).toBeLessThan((big as { max_context: number }).max_context);
    expect(estimateInference({ ...base, batch: 1, input_tokens: L - 256, fit_search: false }, ctx).fits).toBe(true);
    expect(estimateInference({ ...base, batch: 1, input_tokens: L - 255, fit_search: false }, ctx).fits).toBe(false);
    // 8B on 2 chips holds one sequence of the full 128K: the answer is capped at the model's maximum.
    expect(estimateInference(req(2), ctx).max_context_that_fits).toBe((llama8b as { max_context: number }).max_context);
  });

  it("prices a deployment from the chip's cloud $/hour", () => {
    const e = estimateInference(req(2), ctx);
    const cph = chip.cost.cloud_usd_per_hour!;
    expect(e.usd_per_million_tokens).toBeCloseTo(((2 * cph) / 3600 / e.output_tokens_per_s) * 1e6, 9);
  });

  it("refuses a context beyond the model's maximum, tp that splits no heads, and TP without a system", () => {
    const ctxErr = () => estimateInference({ ...req(1), input_tokens: (llama8b as { max_context: number }).max_context, output_tokens: 10 }, ctx);
    expect(ctxErr).toThrow(XpusimError);
    expect(ctxErr).toThrow(new RegExp(`maximum context of llama-3.1-8b, ${(llama8b as { max_context: number }).max_context}`));
    expect(() => estimateInference(req(3), ctx)).toThrow(/does not divide the 32 attention heads/);
    expect(() => estimateInference({ ...req(2), system: undefined }, ctx)).toThrow(/need a system/);
  });
});
