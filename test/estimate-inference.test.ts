import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { estimateInference, type InferenceRequest } from "../src/core/estimate/estimate-inference.js";
import { kvCacheBytesPerToken, modelParams } from "../src/core/workload/build-workload.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { chipFromObject, loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

const llama8b = loadModel("llama-3.1-8b");
const h100 = contextFor(loadChip("nvidia-h100-sxm"));
const base: InferenceRequest = { model: llama8b, precision: DEFAULT_PRECISION, batch: 8, input_tokens: 1024, output_tokens: 128, chips: 1, tp: 1, pp: 1 };

describe("inference estimate", () => {
  it("accounts memory to the byte: weights, KV cache, activations, runtime", () => {
    const e = estimateInference(base, h100);
    const P = modelParams(llama8b).params_total;
    expect(P).toBe(8_030_261_248);
    expect(e.memory_breakdown_bytes.weights).toBe(P * 2);
    // Llama 3.1 8B: 32 layers × 8 KV heads × 128 × 2 (K and V) × 2 bytes = 131,072 B per token.
    expect(kvCacheBytesPerToken(llama8b, "bf16")).toBe(131072);
    expect(e.memory_breakdown_bytes.kv_cache).toBe(8 * (1024 + 128) * 131072);
    const m = e.memory_breakdown_bytes;
    expect(e.memory_per_chip_bytes).toBe(m.weights + m.kv_cache + m.activations + m.other);
    expect(e.fits).toBe(true);
    expect(e.shortfall_bytes).toBe(0);
  });

  it("decode at batch 1 streams the weights: TPOT is at least weights / peak bandwidth and not far above", () => {
    const e = estimateInference({ ...base, batch: 1 }, h100);
    const floor = (modelParams(llama8b).params_total * 2) / 3.35e12;
    expect(e.tpot_s).toBeGreaterThan(floor);
    expect(e.tpot_s).toBeLessThan(floor * 1.6);
    expect(e.phases.decode!.bound).toBe("memory");
    expect(e.phases.prefill.bound).toBe("compute");
  });

  it("follows the serving conventions: e2e = ttft + (out-1)·tpot; throughput = batch·out / e2e", () => {
    const e = estimateInference(base, h100);
    expect(e.e2e_latency_s).toBeCloseTo(e.ttft_s + 127 * e.tpot_s, 12);
    expect(e.output_tokens_per_s).toBeCloseTo((8 * 128) / e.e2e_latency_s, 9);
    expect(e.energy_j).toBeGreaterThan(0);
    expect(e.energy_per_output_token_j).toBeCloseTo(e.energy_j! / (8 * 128), 12);
  });

  it("is never slower with more memory bandwidth, and TPOT grows with context", () => {
    const fast = contextFor(chipFromObject({ id: "h100-fast-hbm", extends: "nvidia-h100-sxm", memory: { main: { bandwidth: "6.7 TB/s" } } }));
    const a = estimateInference(base, h100);
    const b = estimateInference(base, fast);
    expect(b.tpot_s).toBeLessThan(a.tpot_s);
    expect(b.ttft_s).toBeLessThanOrEqual(a.ttft_s);
    const long = estimateInference({ ...base, input_tokens: 8192 }, h100);
    expect(long.tpot_s).toBeGreaterThan(a.tpot_s);
  });

  it("reports a model that does not fit as a result with the shortfall", () => {
    const e = estimateInference({ ...base, model: loadModel("llama-3.1-70b"), batch: 1 }, h100);
    expect(e.fits).toBe(false);
    expect(e.shortfall_bytes).toBe(e.memory_per_chip_bytes - 80e9);
    expect(e.warnings.join()).toMatch(/does not fit/);
  });

  it("runs data-parallel replicas exactly and refuses tensor parallelism with a reason", () => {
    const one = estimateInference(base, h100);
    const two = estimateInference({ ...base, batch: 16, chips: 2 }, h100);
    expect(two.replicas).toBe(2);
    expect(two.output_tokens_per_s).toBeCloseTo(2 * one.output_tokens_per_s, 6);
    expect(() => estimateInference({ ...base, chips: 2, tp: 2 }, h100)).toThrow(XpusimError);
    expect(() => estimateInference({ ...base, batch: 3, chips: 2 }, h100)).toThrow(/does not divide/);
  });

  it("gives samples/s for a CNN and no token metrics", () => {
    const e = estimateInference({ ...base, model: loadModel("resnet-50"), batch: 64, input_tokens: 1, output_tokens: 0 }, h100);
    expect(e.output_tokens_per_s).toBe(0);
    expect(e.samples_per_s).toBeCloseTo(64 / e.e2e_latency_s, 9);
    expect(e.memory_breakdown_bytes.kv_cache).toBe(0);
  });
});
