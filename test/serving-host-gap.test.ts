import { describe, expect, it } from "vitest";
import { hostGapOf, hostTimeS, stepWithHostS, withHostGap } from "../src/core/serving/host-gap.js";
import { createStepBatch, linearStepCost } from "../src/core/serving/step-cost.js";
import { simulateServing } from "../src/core/serving/simulate-serving.js";
import type { ServingRequest } from "../src/core/serving/request.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

/** A step of 2 decodes + 1 prefill chunk of 100 tokens: 3 scheduled sequences. */
function batch() {
  const b = createStepBatch(8);
  b.chunks = 1;
  b.chunk_tokens[0] = 100;
  b.decodes = 2;
  b.decode_context_sum = 300;
  return b;
}

describe("serving host gap (host-gap.ts)", () => {
  // GPU: 1 ms + 10 µs per prefill token + 0.5 ms per decode = 1 + 1 + 1 = 3 ms; 400 W busy, 100 W idle, 2 chips.
  const gpu = linearStepCost({ base_s: 1e-3, per_prefill_token_s: 1e-5, per_decode_seq_s: 5e-4, busy_power_w: 400, idle_power_w: 100, chips: 2 });

  it("hand-computed step: host = 0.5 ms + 3 × 0.5 ms = 2 ms; not overlapped 3 + 2 = 5 ms, overlapped max(3, 2) = 3 ms", () => {
    const b = batch();
    expect(gpu.stepTimeS(b)).toBeCloseTo(3e-3, 15);
    const host = { per_step_s: 5e-4, per_sequence_s: 5e-4 };
    expect(hostTimeS(b, { ...host, overlapped: false })).toBeCloseTo(2e-3, 15);
    const serial = withHostGap(gpu, { ...host, overlapped: false });
    expect(serial.stepTimeS(b)).toBeCloseTo(5e-3, 15);
    // energy: 400 W × 2 chips × 3 ms busy + 100 W × 2 chips × 2 ms waiting = 2.4 + 0.4 J
    expect(serial.stepEnergyJ!(b)).toBeCloseTo(2.8, 12);
    const overlapped = withHostGap(gpu, { ...host, overlapped: true });
    expect(overlapped.stepTimeS(b)).toBeCloseTo(3e-3, 15);
    expect(overlapped.stepEnergyJ!(b)).toBeCloseTo(2.4, 12);
    // overlapped, host longer than the GPU: 0.5 ms + 3 × 2 ms = 6.5 ms > 3 ms; the chips wait 3.5 ms
    const cpuBound = withHostGap(gpu, { per_step_s: 5e-4, per_sequence_s: 2e-3, overlapped: true });
    expect(cpuBound.stepTimeS(b)).toBeCloseTo(6.5e-3, 15);
    expect(cpuBound.stepEnergyJ!(b)).toBeCloseTo(2.4 + 100 * 2 * 3.5e-3, 12);
  });

  it("invariants: a host gap never makes a step faster, and energy ≥ busy power × GPU time", () => {
    const b = batch();
    for (const gpuS of [0, 1e-4, 3e-3, 0.2]) {
      for (const hostS of [0, 1e-4, 3e-3, 0.2]) {
        for (const ov of [true, false]) expect(stepWithHostS(gpuS, hostS, ov)).toBeGreaterThanOrEqual(Math.max(gpuS, hostS));
      }
    }
    for (const per of [0, 1e-5, 1e-3]) {
      for (const overlapped of [true, false]) {
        const m = withHostGap(gpu, { per_step_s: per, per_sequence_s: per, overlapped });
        expect(m.stepTimeS(b)).toBeGreaterThanOrEqual(gpu.stepTimeS(b));
        expect(m.stepEnergyJ!(b)).toBeGreaterThanOrEqual(gpu.stepEnergyJ!(b) - 1e-12);
      }
    }
  });

  it("config fields: absent means no host gap; negative is an error with the field", () => {
    expect(hostGapOf({})).toBeUndefined();
    expect(hostGapOf({ host_per_sequence_s: 1e-5 })).toEqual({ per_step_s: 0, per_sequence_s: 1e-5, overlapped: false });
    expect(() => withHostGap(gpu, { per_step_s: -1, per_sequence_s: 0, overlapped: false })).toThrow(/host_per_step_s/);
  });

  it("in the simulator: one request of 1 prompt + 3 outputs with a 10 ms GPU step and a 5 ms serial host gap takes 4 × 15 ms, and energy ≥ busy power × busy time", () => {
    const model = loadModel("llama-3.1-8b");
    const ctx = contextFor(loadChip("nvidia-h100-sxm"));
    const tenMs = linearStepCost({ base_s: 0.01, busy_power_w: 500, idle_power_w: 80 });
    const reqs: ServingRequest[] = [{ arrival_s: 0, input_len: 10, output_len: 4 }];
    const plain = simulateServing(model, ctx, DEFAULT_PRECISION, { engine: "vllm" }, reqs, { step_cost: tenMs });
    const gapped = simulateServing(model, ctx, DEFAULT_PRECISION, { engine: "vllm", host_per_step_s: 0.005, host_overlapped: false }, reqs, { step_cost: tenMs });
    expect(plain.metrics!.e2e_s.mean).toBeCloseTo(0.04, 12);
    expect(gapped.metrics!.e2e_s.mean).toBeCloseTo(0.06, 12);
    expect(gapped.metrics!.ttft_s.mean).toBeCloseTo(0.015, 12);
    const e = gapped.metrics!.energy!;
    expect(e.total_j).toBeGreaterThanOrEqual(500 * 0.04 - 1e-9);
    expect(e.total_j).toBeCloseTo(500 * 0.04 + 80 * 0.02, 9);
    const overlapped = simulateServing(model, ctx, DEFAULT_PRECISION, { engine: "vllm", host_per_step_s: 0.005, host_overlapped: true }, reqs, { step_cost: tenMs });
    expect(overlapped.metrics!.e2e_s.mean).toBeCloseTo(0.04, 12);
  });
});
