import { describe, expect, it } from "vitest";
import { linearStepCost } from "../src/core/serving/step-cost.js";
import { simulateServing, type SimulateServingOptions } from "../src/core/serving/simulate-serving.js";
import type { ServingRequest } from "../src/core/serving/request.js";
import type { ServingConfigInput } from "../src/core/serving/serving-config.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

/**
 * The discrete-event loop with a hand-checkable step cost injected: every number below is worked
 * out by hand from the scheduling rules (simulator.ts).
 */
const model = loadModel("llama-3.1-8b");
const ctx = contextFor(loadChip("nvidia-h100-sxm"));
const tenMs = linearStepCost({ base_s: 0.01 });

function run(requests: ServingRequest[], config: ServingConfigInput, opts: SimulateServingOptions = {}) {
  const r = simulateServing(model, ctx, DEFAULT_PRECISION, { engine: "vllm", ...config }, requests, { step_cost: tenMs, ...opts });
  expect(r.feasible).toBe(true);
  return r;
}

const req = (arrival_s: number, input_len: number, output_len: number): ServingRequest => ({ arrival_s, input_len, output_len });

describe("serving simulator with a constant 10 ms step", () => {
  it("one request alone: TTFT = one prefill step, TPOT = ITL = one decode step", () => {
    const r = run([req(0, 100, 5)], {});
    const m = r.metrics!;
    expect(m.ttft_s.mean).toBeCloseTo(0.01, 12);
    expect(m.tpot_s.mean).toBeCloseTo(0.01, 12);
    expect(m.itl_s.count).toBe(4);
    expect(m.itl_s.max).toBeCloseTo(0.01, 12);
    expect(m.e2e_s.mean).toBeCloseTo(0.05, 12);
    expect(m.steps).toBe(5);
    expect(m.queue_delay_s.mean).toBe(0);
    expect(m.throughput.output_tokens_per_s).toBeCloseTo(5 / 0.05, 9);
  });

  it("max_num_seqs 1 serialises three simultaneous requests: exact queueing delays", () => {
    // r0 runs steps [0,10),[10,20),[20,30) ms; r1 starts at 30 ms, r2 at 60 ms.
    const r = run([req(0, 100, 3), req(0, 100, 3), req(0, 100, 3)], { max_num_seqs: 1 });
    const m = r.metrics!;
    expect(m.queue_delay_s.mean).toBeCloseTo(0.03, 12); // (0 + 30 + 60) / 3 ms
    expect(m.ttft_s.mean).toBeCloseTo(0.04, 12); // (10 + 40 + 70) / 3 ms
    expect(m.ttft_s.p50).toBeCloseTo(0.04, 12);
    expect(m.ttft_s.p90).toBeCloseTo(0.064, 12); // numpy linear: 40 + 0.8 · 30
    expect(m.ttft_s.p99).toBeCloseTo(0.0694, 12); // 40 + 0.98 · 30
    expect(m.e2e_s.max).toBeCloseTo(0.09, 12);
    expect(m.duration_s).toBeCloseTo(0.09, 12);
    expect(m.throughput.requests_per_s).toBeCloseTo(3 / 0.09, 9);
    expect(m.tpot_s.mean).toBeCloseTo(0.01, 12);
  });

  it("continuous batching: two requests share every step", () => {
    const r = run([req(0, 100, 3), req(0, 200, 3)], {});
    const m = r.metrics!;
    expect(m.steps).toBe(3);
    expect(m.ttft_s.max).toBeCloseTo(0.01, 12);
    expect(m.e2e_s.max).toBeCloseTo(0.03, 12);
    expect(m.mean_batch_size).toBe(2);
  });

  it("a late arrival joins the running batch at the next step boundary", () => {
    // r0: steps at 0, 10, 20, 30 ms (output 4). r1 arrives at 15 ms, admitted at the 20 ms step.
    const r = run([req(0, 100, 4), req(0.015, 100, 2)], {});
    const m = r.metrics!;
    expect(m.queue_delay_s.max).toBeCloseTo(0.005, 12);
    expect(m.ttft_s.max).toBeCloseTo(0.015, 12); // scheduled at 20, token at 30 → 15 ms after arrival
    expect(m.e2e_s.max).toBeCloseTo(0.04, 12);
    expect(m.steps).toBe(4);
  });

  it("chunked prefill splits a prompt over the token budget", () => {
    // 1000 tokens with a 256-token budget: chunks 256, 256, 256, 232 → first token after 4 steps.
    const r = run([req(0, 1000, 2)], { max_num_batched_tokens: 256 });
    expect(r.metrics!.ttft_s.mean).toBeCloseTo(0.04, 12);
    expect(r.metrics!.e2e_s.mean).toBeCloseTo(0.05, 12);
  });

  it("without chunked prefill a prompt longer than the budget is rejected, not hung", () => {
    const r = run([req(0, 1000, 2), req(0, 100, 2)], { max_num_batched_tokens: 256, chunked_prefill: false });
    expect(r.requests.rejected).toBe(1);
    expect(r.requests.completed).toBe(1);
    expect(r.requests.rejected_examples[0]).toMatch(/exceeds max_num_batched_tokens 256/);
  });

  it("per-token step cost: TTFT = base + tokens × per-token time", () => {
    const cost = linearStepCost({ base_s: 0.001, per_prefill_token_s: 1e-5, per_decode_seq_s: 1e-4 });
    const r = simulateServing(model, ctx, DEFAULT_PRECISION, { engine: "vllm" }, [req(0, 1000, 3)], { step_cost: cost });
    expect(r.metrics!.ttft_s.mean).toBeCloseTo(0.011, 12);
    expect(r.metrics!.tpot_s.mean).toBeCloseTo(0.0011, 12);
  });

  it("rejects requests longer than max_model_len", () => {
    const r = run([req(0, 1000, 100), req(0, 10, 10)], { max_model_len: 512 });
    expect(r.requests.rejected).toBe(1);
    expect(r.requests.rejected_examples[0]).toMatch(/max_model_len 512/);
  });
});

describe("paged KV cache: admission, preemption, capacity", () => {
  // 10 blocks of 16 tokens; four requests of 30 + 30 tokens need 4 blocks each at the end.
  const four = [req(0, 30, 30), req(0, 30, 30), req(0, 30, 30), req(0, 30, 30)];

  it("on-demand allocation preempts (recompute) when decodes run out of blocks, and still finishes everything", () => {
    const r = run(four, {}, { num_blocks_override: 10 });
    const m = r.metrics!;
    expect(r.requests.completed).toBe(4);
    expect(m.preemptions).toBeGreaterThan(0);
    expect(m.kv.blocks_total).toBe(10);
    expect(m.kv.blocks_peak).toBeLessThanOrEqual(10);
    expect(m.kv.peak_utilization).toBeLessThanOrEqual(1);
    for (const u of m.kv.series.peak_utilization) expect(u).toBeLessThanOrEqual(1);
  });

  it("reserve-full admission (TensorRT-LLM GUARANTEED_NO_EVICT) never preempts; two run at a time", () => {
    // ⌈60/16⌉ = 4 blocks each → two fit in 10 blocks. Each pair: 1 prefill step + 29 decode steps.
    const r = run(four, { kv_admission: "reserve-full" }, { num_blocks_override: 10 });
    const m = r.metrics!;
    expect(m.preemptions).toBe(0);
    expect(m.kv.blocks_peak).toBe(8);
    expect(m.e2e_s.max).toBeCloseTo(0.6, 12);
    expect(m.ttft_s.max).toBeCloseTo(0.31, 12);
  });

  it("a request that can never fit in the KV cache is rejected up front (max_model_len is capped to the cache)", () => {
    const r = run([req(0, 200, 10), req(0, 100, 10)], {}, { num_blocks_override: 10 });
    expect(r.max_model_len).toBe(160);
    expect(r.notes.join("\n")).toMatch(/max_model_len lowered to 160/);
    expect(r.requests.rejected).toBe(1);
    expect(r.requests.completed).toBe(1);
    expect(r.requests.rejected_examples[0]).toMatch(/exceeds max_model_len 160/);
  });

  it("no memory left for KV is an infeasible result, not an exception", () => {
    const big = loadModel("llama-3.1-70b");
    const r = simulateServing(big, ctx, DEFAULT_PRECISION, { engine: "vllm" }, [req(0, 10, 10)]);
    expect(r.feasible).toBe(false);
    expect(r.infeasible_reason).toMatch(/no memory left for the KV cache/);
    expect(r.metrics).toBeUndefined();
  });
});

describe("bad input", () => {
  it("non-LLM models and malformed requests are clear errors", () => {
    expect(() => simulateServing(loadModel("resnet-50"), ctx, DEFAULT_PRECISION, {}, [req(0, 1, 1)])).toThrow(/needs a decoder LLM/);
    expect(() => simulateServing(model, ctx, DEFAULT_PRECISION, {}, [req(0, 0, 1)])).toThrow(/requests\[0\]\.input_len/);
    expect(() => simulateServing(model, ctx, DEFAULT_PRECISION, {}, [req(Number.NaN, 1, 1)])).toThrow(/arrival_s/);
    expect(() => simulateServing(model, ctx, DEFAULT_PRECISION, { max_num_seqs: 0 }, [req(0, 1, 1)])).toThrow(/max_num_seqs/);
    expect(() => simulateServing(model, ctx, DEFAULT_PRECISION, { engine: "vlm" }, [req(0, 1, 1)])).toThrow(/did you mean "vllm"/);
  });
});

describe("robustness: random configs and workloads never hang, crash or lose requests", () => {
  it("every request completes or is rejected with a reason; KV stays within capacity", async () => {
    const { createRng } = await import("../src/core/serving/random.js");
    const { generateWorkload } = await import("../src/core/serving/workload-gen.js");
    const rng = createRng(2024);
    for (let k = 0; k < 60; k++) {
      const disagg = rng.next() < 0.3;
      const config: ServingConfigInput = {
        engine: rng.next() < 0.5 ? "vllm" : "tensorrt-llm",
        max_num_batched_tokens: rng.int(16, 4096),
        max_num_seqs: rng.int(1, 300),
        block_size: [1, 8, 16, 32, 64][rng.int(0, 4)]!,
        chunked_prefill: rng.next() < 0.6,
        kv_admission: rng.next() < 0.5 ? "on-demand" : "reserve-full",
        scheduling_policy: rng.next() < 0.7 ? "fcfs" : "shortest-prompt-first",
        ...(disagg ? { disaggregation: { prefill_instances: rng.int(1, 3), decode_instances: rng.int(1, 3), kv_transfer_bytes_per_s: 1e10 } } : {}),
      };
      const reqs = generateWorkload({
        requests: rng.int(1, 300),
        rate_per_s: rng.next() < 0.2 ? Infinity : rng.next() * 200 + 0.1,
        input: { kind: "uniform", min: 1, max: rng.int(1, 3000) },
        output: { kind: "uniform", min: 1, max: rng.int(1, 600) },
        seed: k,
      });
      const cost = linearStepCost({ base_s: 0.002, per_prefill_token_s: 1e-6, per_decode_seq_s: 2e-5 });
      const r = simulateServing(model, ctx, DEFAULT_PRECISION, config, reqs, { step_cost: cost, num_blocks_override: rng.int(1, 400), slo: { ttft_s: 0.5 } });
      expect(r.requests.completed + r.requests.rejected).toBe(reqs.length);
      const m = r.metrics!;
      expect(m.kv.blocks_peak).toBeLessThanOrEqual(m.kv.blocks_total);
      if (r.requests.completed > 0) {
        for (const d of [m.ttft_s, m.e2e_s, m.queue_delay_s]) {
          expect(Number.isFinite(d.mean)).toBe(true);
          expect(d.p50).toBeLessThanOrEqual(d.p99);
        }
        expect(m.goodput!.requests_per_s).toBeLessThanOrEqual(m.throughput.requests_per_s);
      }
      if (config.kv_admission === "reserve-full") expect(m.preemptions).toBe(0);
    }
  });

  it("an empty request list gives empty metrics, not NaN throughput", () => {
    const r = run([], {});
    expect(r.requests.completed).toBe(0);
    expect(r.metrics!.throughput.requests_per_s).toBe(0);
    expect(r.metrics!.ttft_s.count).toBe(0);
  });
});
