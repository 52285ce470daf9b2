/**
 * Host gaps of a serving engine (src/core/estimate/inference-host-gaps.ts): with a share f of each
 * engine iteration computing, every pass takes 1/f as long and the chips wait the rest at idle power.
 * Hand-computed against the same estimate without gaps.
 */
import { describe, expect, it } from "vitest";
import { estimateInference } from "../src/core/estimate/estimate-inference.js";
import type { InferenceRequest } from "../src/core/estimate/inference-request.js";
import { powerOfEstimate } from "../src/core/power/estimate-power.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";

const h100 = contextFor(loadChip("nvidia-h100-sxm"));
const model = loadModel("llama-3.1-8b");
const precision = { compute: "bf16", weights: "bf16", activations: "bf16", kv_cache: "bf16" } as const;
const req: InferenceRequest = { model, precision, batch: 8, input_tokens: 512, output_tokens: 128, chips: 1, tp: 1, pp: 1 };

describe("serving-engine host gaps", () => {
  const base = estimateInference(req, h100);
  const half = estimateInference({ ...req, engine_gpu_busy_fraction: 0.5 }, h100);

  it("doubles every pass at f = 0.5: TTFT, TPOT and end-to-end latency; halves the throughput", () => {
    expect(half.ttft_s).toBeCloseTo(2 * base.ttft_s, 12);
    expect(half.tpot_s).toBeCloseTo(2 * base.tpot_s, 12);
    expect(half.e2e_latency_s).toBeCloseTo(2 * base.e2e_latency_s, 12);
    expect(half.output_tokens_per_s).toBeCloseTo(base.output_tokens_per_s / 2, 9);
    expect(half.phases.decode!.host_s).toBeCloseTo(base.phases.decode!.time_s, 12);
    expect(half.phases.prefill.host_s).toBeCloseTo(base.phases.prefill.time_s, 12);
  });

  it("adds idle power × the wait to the energy (121.7 W, the H100's idle with a CUDA context)", () => {
    expect(h100.chip.power.idle_w).toBe(121.7);
    expect(half.energy_j! - base.energy_j!).toBeCloseTo(121.7 * base.e2e_latency_s, 6);
    expect(half.average_power_w!).toBeLessThan(base.average_power_w!);
  });

  it("is the plain estimate at f = 1 and refuses a share outside (0, 1]", () => {
    const one = estimateInference({ ...req, engine_gpu_busy_fraction: 1 }, h100);
    expect(one.e2e_latency_s).toBe(base.e2e_latency_s);
    expect(one.energy_j).toBe(base.energy_j);
    expect(() => estimateInference({ ...req, engine_gpu_busy_fraction: 0 }, h100)).toThrow(/\(0, 1\]/);
    expect(() => estimateInference({ ...req, engine_gpu_busy_fraction: 1.5 }, h100)).toThrow(/\(0, 1\]/);
  });

  it("shows in the power model as waiting at idle power: the same energy per token as the estimate", () => {
    const run = (e: typeof base) => powerOfEstimate({ ctx: h100, model, precision, inference: e }, {}, undefined).analysis!;
    const a = run(half);
    const b = run(base);
    // Energy = power × time: the gaps lower the average power and raise the energy per token.
    expect(a.average_power_w).toBeLessThan(b.average_power_w);
    expect(a.energy_per_unit_j).toBeGreaterThan(b.energy_per_unit_j);
    // The added energy per token is idle power × the added time per token.
    const addedPerToken = (121.7 * base.e2e_latency_s) / (base.output_tokens_per_s * base.e2e_latency_s);
    expect(a.energy_per_unit_j - b.energy_per_unit_j).toBeCloseTo(addedPerToken, 4);
  });

  it("is read from the catalog for the engine versions it covers (vLLM below 0.6: 38 % busy)", () => {
    const r = validationResolvers();
    expect(r.engineHost!("vLLM 0.5.4")?.gpu_busy_fraction).toBe(0.38);
    expect(r.engineHost!("vllm v0.5.3 (AsyncLLMEngine)")?.gpu_busy_fraction).toBe(0.38);
    expect(r.engineHost!("vLLM 0.6.0")).toBeUndefined();
    expect(r.engineHost!("vLLM 0.11.1")).toBeUndefined();
    expect(r.engineHost!("vLLM")).toBeUndefined();
  });
});
