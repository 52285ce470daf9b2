import { describe, expect, it } from "vitest";
import { estimateInference } from "../src/core/estimate/estimate-inference.js";
import { evaluateGraph } from "../src/core/estimate/evaluate-graph.js";
import { simulateServing } from "../src/core/serving/simulate-serving.js";
import { linearStepCost } from "../src/core/serving/step-cost.js";
import type { ServingRequest } from "../src/core/serving/request.js";
import { generateWorkload } from "../src/core/serving/workload-gen.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import type { Distribution } from "../src/core/serving/metrics.js";

/** The serving simulator with engine-priced steps: agreement with the single-batch estimator and queueing invariants. */
const model = loadModel("llama-3.1-8b");
const ctx = contextFor(loadChip("nvidia-h100-sxm"));
const P = DEFAULT_PRECISION;

function prefillTime(tokens: number): number {
  return evaluateGraph(buildWorkload(model, { batch: 1, new_tokens: tokens, context_tokens: tokens, phase: "prefill", lm_head_tokens: "last" }, P), ctx).time_s;
}

describe("one request alone", () => {
  for (const interpolate of [false, true]) {
    it(`TTFT = its prefill graph time and TPOT = the estimator's decode step time (${interpolate ? "interpolated" : "exact"} step cost)`, () => {
      const r = simulateServing(model, ctx, P, { engine: "vllm" }, [{ arrival_s: 0, input_len: 1024, output_len: 256 }], { interpolate });
      const est = estimateInference({ model, precision: P, batch: 1, input_tokens: 1024, output_tokens: 256, chips: 1, tp: 1, pp: 1 }, ctx);
      const m = r.metrics!;
      // Prefill of 1024 tokens is a grid point: exact in both modes.
      expect(m.ttft_s.mean / prefillTime(1024)).toBeCloseTo(1, 9);
      expect(m.ttft_s.mean / est.ttft_s).toBeCloseTo(1, 9);
      // Decode steps at contexts 1025..1279; the estimator integrates the same range with Simpson's rule.
      expect(Math.abs(m.tpot_s.mean / est.tpot_s - 1)).toBeLessThan(0.005);
      expect(Math.abs(m.e2e_s.mean / est.e2e_latency_s - 1)).toBeLessThan(0.005);
      expect(m.preemptions).toBe(0);
    });
  }
});

function monotone(d: Distribution): void {
  expect(d.p50).toBeLessThanOrEqual(d.p90);
  expect(d.p90).toBeLessThanOrEqual(d.p99);
  expect(d.p99).toBeLessThanOrEqual(d.max);
}

describe("queueing behaviour (Llama 3.1 8B, H100, vLLM preset)", () => {
  const mixed = (rate: number, requests: number, seed = 3): ServingRequest[] =>
    generateWorkload({ requests, rate_per_s: rate, input: { kind: "uniform", min: 200, max: 2000 }, output: { kind: "uniform", min: 50, max: 400 }, seed });

  it("at a low rate TTFT is the unloaded prefill time", () => {
    // Mean gap 20 s ≫ a request's ~1.5 s lifetime: almost every request runs alone.
    const reqs = generateWorkload({ requests: 200, rate_per_s: 0.05, input: 1024, output: 256, seed: 2 });
    const m = simulateServing(model, ctx, P, { engine: "vllm" }, reqs).metrics!;
    expect(m.ttft_s.p50 / prefillTime(1024)).toBeCloseTo(1, 6);
    expect(m.queue_delay_s.p50).toBe(0);
  });

  it("overloaded, TTFT grows with time (queueing), the analytical prefill time does not", () => {
    const reqs = generateWorkload({ requests: 2000, rate_per_s: 60, input: 1024, output: 256, seed: 1 });
    const r = simulateServing(model, ctx, P, { engine: "vllm" }, reqs);
    const m = r.metrics!;
    // Later arrivals wait longer: the queue builds up at ~60 − 23 requests/s.
    expect(m.ttft_s.p99).toBeGreaterThan(20 * prefillTime(1024));
    expect(m.ttft_s.p50).toBeGreaterThan(5 * prefillTime(1024));
    expect(m.throughput.requests_per_s).toBeLessThan(40);
    const series = m.kv.series;
    const firstWaiting = series.waiting[1]!;
    const lateWaiting = series.waiting[Math.floor(series.waiting.length * 0.4)]!;
    expect(lateWaiting).toBeGreaterThan(firstWaiting + 100);
  });

  it("near capacity, TTFT and TPOT rise well above their unloaded values (what analytical tools miss)", () => {
    const m = simulateServing(model, ctx, P, { engine: "vllm" }, mixed(18, 2000)).metrics!;
    const unloaded = simulateServing(model, ctx, P, { engine: "vllm" }, mixed(0.05, 200)).metrics!;
    expect(m.ttft_s.mean / unloaded.ttft_s.mean).toBeGreaterThan(1.5);
    expect(m.tpot_s.mean / unloaded.tpot_s.mean).toBeGreaterThan(2);
  });

  it("invariants: monotone percentiles, goodput ≤ throughput, KV within capacity, Little's law", () => {
    const rate = 15;
    const r = simulateServing(model, ctx, P, { engine: "vllm" }, mixed(rate, 3000), { slo: { ttft_s: 0.1, tpot_s: 0.015 } });
    const m = r.metrics!;
    for (const d of [m.ttft_s, m.tpot_s, m.itl_s, m.e2e_s, m.queue_delay_s]) monotone(d);
    expect(m.goodput!.requests_per_s).toBeLessThanOrEqual(m.throughput.requests_per_s);
    expect(m.goodput!.slo_attainment).toBeGreaterThan(0);
    expect(m.goodput!.slo_attainment).toBeLessThan(1);
    expect(m.kv.blocks_peak).toBeLessThanOrEqual(m.kv.blocks_total);
    expect(m.kv.peak_utilization).toBeLessThanOrEqual(1);
    expect(m.kv.mean_utilization).toBeLessThanOrEqual(m.kv.peak_utilization);
    // Little: L = λ·W with the offered rate (not a tautology: λ is the generator's, L is integrated).
    expect(Math.abs(m.mean_requests_in_system / (rate * m.e2e_s.mean) - 1)).toBeLessThan(0.05);
    // TTFT ≤ E2E per request implies it for the means; TTFT ≥ queue delay.
    expect(m.ttft_s.mean).toBeLessThanOrEqual(m.e2e_s.mean);
    expect(m.ttft_s.mean).toBeGreaterThan(m.queue_delay_s.mean);
  });

  it("is deterministic for a fixed seed", () => {
    const a = simulateServing(model, ctx, P, { engine: "vllm" }, mixed(12, 800, 9), { slo: { ttft_s: 0.2 } });
    const b = simulateServing(model, ctx, P, { engine: "vllm" }, mixed(12, 800, 9), { slo: { ttft_s: 0.2 } });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = simulateServing(model, ctx, P, { engine: "vllm" }, mixed(12, 800, 10), { slo: { ttft_s: 0.2 } });
    expect(c.metrics!.ttft_s.mean).not.toBe(a.metrics!.ttft_s.mean);
  });

  it("preemption happens when KV is short and every request still completes", () => {
    const reqs = generateWorkload({ requests: 300, rate_per_s: Infinity, input: 512, output: 512, seed: 4 });
    const r = simulateServing(model, ctx, P, { engine: "vllm" }, reqs, { num_blocks_override: 2000 });
    const m = r.metrics!;
    expect(m.preemptions).toBeGreaterThan(0);
    expect(r.requests.completed).toBe(300);
    expect(m.kv.blocks_peak).toBeLessThanOrEqual(2000);
    expect(m.kv.peak_utilization).toBeGreaterThan(0.95);
  });
});

describe("disaggregated prefill/decode", () => {
  it("one request: TTFT = prefill step; the second token waits for the KV transfer (hand-checked)", () => {
    const bw = 1e9;
    const r = simulateServing(
      model,
      ctx,
      P,
      { engine: "vllm", disaggregation: { prefill_instances: 1, decode_instances: 1, kv_transfer_bytes_per_s: bw, kv_transfer_latency_s: 0.001 } },
      [{ arrival_s: 0, input_len: 1000, output_len: 4 }],
      { step_cost: linearStepCost({ base_s: 0.01 }) },
    );
    const transfer = 0.001 + (1000 * 131072) / bw; // Llama 3.1 8B: 128 KiB of KV per token in bf16
    const m = r.metrics!;
    expect(r.chips).toBe(2);
    expect(m.ttft_s.mean).toBeCloseTo(0.01, 12);
    expect(m.itl_s.max).toBeCloseTo(transfer + 0.01, 12);
    expect(m.e2e_s.mean).toBeCloseTo(0.01 + transfer + 3 * 0.01, 12);
  });

  it("removes prefill–decode interference: lower TPOT tail than one aggregated chip at the same load", () => {
    const reqs = generateWorkload({ requests: 1500, rate_per_s: 12, input: { kind: "uniform", min: 200, max: 2000 }, output: { kind: "uniform", min: 50, max: 400 }, seed: 5 });
    const agg = simulateServing(model, ctx, P, { engine: "vllm" }, reqs).metrics!;
    const dis = simulateServing(model, ctx, P, { engine: "vllm", disaggregation: { prefill_instances: 1, decode_instances: 1 } }, reqs);
    expect(dis.notes.join(" ")).toMatch(/NVLink 4/);
    expect(dis.metrics!.tpot_s.p90).toBeLessThan(agg.tpot_s.p90);
    expect(dis.metrics!.itl_s.p99).toBeLessThan(agg.itl_s.p99);
    expect(dis.requests.completed).toBe(1500);
  });
});
