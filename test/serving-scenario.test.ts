import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS, parseScenario, runScenario, type ServingJobResult } from "../src/core/app/index.js";
import type { InferenceEstimate } from "../src/core/estimate/estimate-inference.js";
import { resolveServingConfig } from "../src/core/serving/serving-config.js";
import { simulate } from "../src/core/serving/simulator.js";
import { linearStepCost } from "../src/core/serving/step-cost.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import type { ServingSummary } from "../src/core/serving/serving-summary.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

/** `kind: serving` through the scenario contract: hand-computable cases, queueing invariants, errors with field paths. */
const catalog = nodeCatalog();
const HW = { chip: "nvidia-h100-sxm" };
const MODEL = { model: "llama-3.1-8b" };

/** A run where requests completed: every latency field is present. */
type Served = ServingJobResult & Required<ServingSummary>;

function served(r: unknown): Served {
  const s = r as ServingJobResult;
  if (s.kind !== "serving" || s.ttft_mean_s === undefined || s.e2e_latency_mean_s === undefined) throw new Error("expected a serving result with completed requests");
  return s as Served;
}

function serving(fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Served {
  return served(runScenario(parseScenario({ kind: "serving", hardware: HW, workload: MODEL, ...extra, serving: { seed: 1, ...fields } }), catalog));
}

function inference(batch: number, input: number, output: number): InferenceEstimate {
  const r = runScenario(parseScenario({ kind: "inference", hardware: HW, workload: MODEL, inference: { batch, input_tokens: input, output_tokens: output } }), catalog);
  return r as InferenceEstimate;
}

function errorPath(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof XpusimError) return e.diagnostics.map((d) => d.path).join(" | ");
    throw e;
  }
  throw new Error("expected an XpusimError");
}

describe("kind: serving, hand-computable cases (Llama 3.1 8B, H100, vLLM preset)", () => {
  it("one request alone = the static inference estimate of the same batch-1 request", () => {
    const r = serving({ arrival: "offline", requests: 1, input_tokens: 1024, output_tokens: 256 });
    const est = inference(1, 1024, 256);
    // Prefill of 1024 tokens is a grid point of the step cost: the same graph, the same time.
    expect(r.ttft_mean_s / est.ttft_s).toBeCloseTo(1, 9);
    expect(r.ttft_p99_s / est.ttft_s).toBeCloseTo(1, 9);
    // Decode: 255 steps at contexts 1025..1279 vs the estimator's Simpson integral of the same range.
    expect(Math.abs(r.tpot_mean_s / est.tpot_s - 1)).toBeLessThan(0.005);
    expect(Math.abs(r.e2e_latency_p50_s / est.e2e_latency_s - 1)).toBeLessThan(0.005);
    expect(r.requests_per_s).toBeCloseTo(1 / r.e2e_latency_p50_s, 9);
    expect(r.output_tokens_per_s).toBeCloseTo(256 / r.e2e_latency_p50_s, 6);
    expect(r.bound).toBe("load");
    expect(r.fits).toBe(true);
    expect(r.memory_per_chip_bytes).toBeLessThanOrEqual(r.memory_capacity_bytes);
    // vLLM takes 90 % of the device: weights + activations + runtime + KV blocks ≤ 0.9 × 80 GB, within one block.
    expect(r.memory_per_chip_bytes).toBeGreaterThan(0.9 * r.memory_capacity_bytes - r.memory.bytes_per_block);
    expect(r.energy_j! / r.average_power_w!).toBeCloseTo(r.metrics!.energy!.span_s, 9);
  });

  it("offline throughput = the batch-limited steady state: waves of max_num_seqs, prefill + (out − 1) decode steps", () => {
    // 8 sequences per step, 32 identical requests: four waves, each one batch-8 prefill then 63 decode steps.
    const r = serving({ arrival: "offline", requests: 32, input_tokens: 128, output_tokens: 64 }, { software: { engine: "vllm", max_num_seqs: 8 } });
    const est = inference(8, 128, 64);
    const wave = est.ttft_s + 63 * est.tpot_s;
    expect(Math.abs(r.output_tokens_per_s / ((8 * 64) / wave) - 1)).toBeLessThan(0.01);
    expect(Math.abs(r.requests_per_s / (8 / wave) - 1)).toBeLessThan(0.01);
    // Each request is in one wave: its E2E is its wave's length; its queue delay the waves before it.
    expect(Math.abs(r.e2e_latency_p50_s / (2.5 * wave) - 1)).toBeLessThan(0.02);
    expect(r.bound).toBe("max_num_seqs");
  });

  it("replicas multiply throughput under offline load", () => {
    const sv = { arrival: "offline", requests: 32, input_tokens: 128, output_tokens: 64 };
    const one = serving(sv, { software: { max_num_seqs: 8 } });
    const two = serving(sv, { software: { max_num_seqs: 8 }, parallelism: { replicas: 2 } });
    expect(two.chips).toBe(2);
    expect(two.replicas).toBe(2);
    expect(two.output_tokens_per_s / one.output_tokens_per_s).toBeCloseTo(2, 6);
    expect(two.requests_per_s / one.requests_per_s).toBeCloseTo(2, 6);
    expect(two.memory_per_chip_bytes).toBe(one.memory_per_chip_bytes);
  });

  it("Little's law holds for a Poisson run: mean in system = arrival rate × mean latency", () => {
    const rate = 6;
    const r = serving({ arrival: "poisson", rate_per_s: rate, requests: 1500, input_tokens: { mean: 512, dist: "uniform", min: 256, max: 768 }, output_tokens: { mean: 128, dist: "normal", std: 32, min: 16 } });
    const m = r.metrics!;
    // Measured rate: exact identity of the bookkeeping (∫N dt = Σ E2E).
    expect(m.mean_requests_in_system / (r.requests_per_s * r.e2e_latency_mean_s)).toBeCloseTo(1, 6);
    // Offered rate: within the sampling noise of 1500 Poisson arrivals (±2.6 % at 1σ).
    expect(Math.abs(m.mean_requests_in_system / (rate * r.e2e_latency_mean_s) - 1)).toBeLessThan(0.08);
    expect(Math.abs(r.requests_per_s / rate - 1)).toBeLessThan(0.08);
  });

  it("constant arrivals are evenly spaced: one every 1/rate", () => {
    const r = serving({ arrival: "constant", rate_per_s: 2, requests: 11, input_tokens: 256, output_tokens: 8 });
    // 11 requests over 5 s of arrivals plus the last one's latency.
    expect(r.metrics!.duration_s).toBeCloseTo(5 + r.metrics!.e2e_s.max, 2);
    expect(r.ttft_p99_s / r.ttft_p50_s).toBeCloseTo(1, 3);
  });

  it("seeds make runs reproducible; another seed another run", () => {
    const sv = { arrival: "poisson", rate_per_s: 5, requests: 200, input_tokens: { mean: 600, dist: "lognormal", cv: 0.6 }, output_tokens: 100 };
    const a = serving(sv);
    const b = serving(sv);
    const c = serving({ ...sv, seed: 2 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.ttft_mean_s).not.toBe(a.ttft_mean_s);
  });
});

describe("closed loop", () => {
  const config = resolveServingConfig({ engine: "vllm" });
  const tenMs = linearStepCost({ base_s: 0.01 });
  const run = (n: number, concurrency: number, output = 5) =>
    simulate(
      Array.from({ length: n }, (_, i) => ({ arrival_s: 0, input_len: 100 + (i % 7) * 50, output_len: output + (i % 3) })),
      config,
      { step: tenMs, pool: { instances: 1, num_blocks: 10_000 }, max_model_len: 100_000, closed_loop: { concurrency } },
    );

  it("never has more than N requests in flight, and has N while requests remain", () => {
    const N = 4;
    const t = run(40, N);
    for (let i = 0; i < 40; i++) {
      const at = t.arrival_s[i]!;
      let inFlight = 0;
      for (let j = 0; j < 40; j++) if (t.arrival_s[j]! <= at && t.finish_s[j]! > at) inFlight++;
      expect(inFlight).toBeLessThanOrEqual(N);
      if (i < 40 - N) expect(inFlight).toBe(N);
    }
    // Request k ≥ N goes out when an earlier one finishes.
    for (let k = N; k < 40; k++) expect(Array.from(t.finish_s.slice(0, k)).includes(t.arrival_s[k]!)).toBe(true);
  });

  it("identical requests with a constant step: waves of N, each prefill + (out − 1) decode steps", () => {
    const t = simulate(Array.from({ length: 20 }, () => ({ arrival_s: 0, input_len: 100, output_len: 5 })), config, {
      step: tenMs,
      pool: { instances: 1, num_blocks: 10_000 },
      max_model_len: 100_000,
      closed_loop: { concurrency: 4 },
    });
    // 5 waves of 4, each 5 steps of 10 ms.
    expect(t.end_time_s).toBeCloseTo(0.25, 12);
    for (let i = 0; i < 20; i++) expect(t.finish_s[i]! - t.arrival_s[i]!).toBeCloseTo(0.05, 12);
  });

  it("through the scenario: concurrency bounds the mean in system, and requests are released as others finish", () => {
    const r = serving({ arrival: "closed", concurrency: 8, requests: 64, input_tokens: 512, output_tokens: 64 });
    const m = r.metrics!;
    expect(r.requests.completed).toBe(64);
    expect(m.mean_requests_in_system).toBeLessThanOrEqual(8);
    expect(m.mean_requests_in_system).toBeGreaterThan(7);
    // Closed loop: throughput = N / mean latency (Little's law with the clients' own rate).
    expect(r.requests_per_s / (m.mean_requests_in_system / r.e2e_latency_mean_s)).toBeCloseTo(1, 6);
    expect(r.notes.some((n) => n.includes("closed loop: 8 clients"))).toBe(true);
  });
});

describe("trace files", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpusim-serving-"));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const scenarioIn = (file: string, fields: Record<string, unknown>) =>
    served(runScenario(parseScenario({ kind: "serving", hardware: HW, workload: MODEL, serving: fields }), nodeCatalog(join(dir, "scenario.yaml"))));

  it("lengths without arrival times take the arrival process; times in the trace are used when no process is named", () => {
    write("lengths.jsonl", ['{"input_len": 1024, "output_len": 256}', '{"input_len": 1024, "output_len": 256}'].join("\n"));
    const offline = scenarioIn("lengths.jsonl", { arrival: "offline", input_tokens: "lengths.jsonl", output_tokens: "lengths.jsonl" });
    expect(offline.requests.completed).toBe(2);
    expect(offline.metrics!.queue_delay_s.max).toBe(0);
    write("timed.jsonl", ['{"arrival_s": 0, "input_len": 1024, "output_len": 256}', '{"arrival_s": 100, "input_len": 1024, "output_len": 256}'].join("\n"));
    const timed = scenarioIn("timed.jsonl", { input_tokens: "timed.jsonl", output_tokens: "timed.jsonl" });
    const alone = serving({ arrival: "offline", requests: 1, input_tokens: 1024, output_tokens: 256 });
    // 100 s apart: each runs alone.
    expect(timed.ttft_p99_s).toBeCloseTo(alone.ttft_mean_s, 9);
    expect(timed.metrics!.duration_s).toBeCloseTo(100 + alone.e2e_latency_p50_s, 6);
  });

  it("a trace without times and without an arrival process is an error at serving.arrival", () => {
    write("bare.jsonl", '{"input_len": 10, "output_len": 5}\n');
    expect(errorPath(() => scenarioIn("bare.jsonl", { input_tokens: "bare.jsonl", output_tokens: "bare.jsonl" }))).toBe("serving.arrival");
    expect(errorPath(() => scenarioIn("bare.jsonl", { arrival: "offline", input_tokens: "bare.jsonl", output_tokens: 5 }))).toBe("serving.output_tokens");
  });
});

describe("bad combinations name the field", () => {
  const tok = { input_tokens: 128, output_tokens: 16, requests: 4 };
  it.each([
    [{ arrival: "poisson", ...tok }, {}, "serving.rate_per_s"],
    [{ arrival: "constant", ...tok }, {}, "serving.rate_per_s"],
    [{ arrival: "offline", rate_per_s: 3, ...tok }, {}, "serving.rate_per_s"],
    [{ arrival: "closed", ...tok }, {}, "serving.concurrency"],
    [{ arrival: "poisson", rate_per_s: 1, concurrency: 4, ...tok }, {}, "serving.concurrency"],
    [{ input_tokens: 128, output_tokens: 16, arrival: "offline" }, {}, "serving.requests"],
    [{ ...tok }, {}, "serving.arrival"],
    [{ arrival: "offline", ...tok, input_tokens: { mean: 100, dist: "uniform", min: 50 } }, {}, "serving.input_tokens.max"],
    [{ arrival: "offline", ...tok, input_tokens: { mean: 100, dist: "uniform", min: 50, max: 100 } }, {}, "serving.input_tokens.mean"],
    [{ arrival: "offline", ...tok, output_tokens: { mean: 100, dist: "normal" } }, {}, "serving.output_tokens.std"],
    [{ arrival: "offline", ...tok, output_tokens: { mean: 100, dist: "lognormal" } }, {}, "serving.output_tokens.cv"],
    [{ arrival: "offline", ...tok, output_tokens: { mean: 100, min: 3 } }, {}, "serving.output_tokens.dist"],
    [{ arrival: "bursty", ...tok }, {}, "serving.arrival"],
    [{ arrival: "offline", ...tok }, { parallelism: { pp: 2 } }, "parallelism.pp"],
    [{ arrival: "offline", ...tok }, { parallelism: { dp: 2 } }, "parallelism.dp"],
    [{ arrival: "offline", ...tok }, { hardware: { chip: "nvidia-h100-sxm", count: 3 }, parallelism: { replicas: 2 } }, "hardware.count"],
  ] as const)("%j %j → %s", (sv, extra, path) => {
    expect(errorPath(() => serving(sv as Record<string, unknown>, extra as Record<string, unknown>))).toBe(path);
  });

  it("replicas and a serving section belong to kind: serving", () => {
    const inf = { kind: "inference", hardware: HW, workload: MODEL, inference: { batch: 1, input_tokens: 8, output_tokens: 2 } };
    expect(errorPath(() => runScenario(parseScenario({ ...inf, parallelism: { replicas: 2 } }), catalog))).toBe("parallelism.replicas");
    expect(errorPath(() => runScenario(parseScenario({ ...inf, serving: { input_tokens: 1, output_tokens: 1 } }), catalog))).toBe("serving");
    expect(errorPath(() => runScenario(parseScenario({ kind: "serving", hardware: HW, workload: MODEL }), catalog))).toBe("serving");
  });

  it("an unknown software id is noted and the vllm preset used; an engine preset id selects it", () => {
    const sv = { arrival: "offline", requests: 2, input_tokens: 128, output_tokens: 8 };
    const other = serving(sv, { software: "sglang-0.4" });
    expect(other.engine).toBe("vllm");
    expect(other.notes[0]).toMatch(/software "sglang-0.4" is not a serving engine preset/);
    expect(serving(sv, { software: "trtllm" }).engine).toBe("tensorrt-llm");
    expect(serving(sv, { software: { engine: "vllm", version: "0.8" } }).notes[0]).toMatch(/software.version is not a serving engine setting/);
  });

  it("the serving job answers kind: serving", () => {
    expect(JOBS.serving.scenarioKinds).toEqual(["serving"]);
  });
});

describe("xpusim serve is a front end to the same request", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpusim-serve-vs-estimate-"));
  const base = ["serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--requests", "60", "--input", "300-900", "--output", "64", "--seed", "3", "--json"];
  const estimate = async (sv: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const file = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ kind: "serving", hardware: HW, workload: MODEL, ...extra, serving: { requests: 60, input_tokens: { mean: 600, dist: "uniform", min: 300, max: 900 }, output_tokens: 64, seed: 3, ...sv } }));
    const r = await runCli("estimate", file, "--json");
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as ServingJobResult;
  };

  it("Poisson at a rate: the same numbers", async () => {
    const s = await runCli(...base, "--rate", "5/s");
    expect(s.code).toBe(0);
    const served = JSON.parse(s.out) as ServingJobResult;
    const est = await estimate({ arrival: "poisson", rate_per_s: 5 });
    expect(est.metrics).toEqual(served.metrics);
    expect(est.ttft_p90_s).toBe(served.ttft_p90_s);
    expect(est.output_tokens_per_s).toBe(served.output_tokens_per_s);
  });

  it("a model whose weights leave no room for a KV cache: fits false, the reason on stderr, exit 3", async () => {
    const file = join(dir, "too-big.json");
    writeFileSync(file, JSON.stringify({ kind: "serving", hardware: HW, workload: { model: "llama-3.1-70b" }, serving: { arrival: "offline", requests: 4, input_tokens: 128, output_tokens: 8 } }));
    const r = await runCli("estimate", file, "--json");
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no memory left for the KV cache/);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j.fits).toBe(false);
    expect(j.memory_per_chip_bytes as number).toBeGreaterThan(j.memory_capacity_bytes as number);
    expect(j).not.toHaveProperty("ttft_p50_s");
  });

  it("closed loop (--concurrency) and offline (--rate inf): the same numbers", async () => {
    const closed = JSON.parse((await runCli(...base, "--concurrency", "6")).out) as ServingJobResult;
    expect(closed.notes.some((n) => n.startsWith("closed loop: 6 clients"))).toBe(true);
    expect((await estimate({ arrival: "closed", concurrency: 6 })).metrics).toEqual(closed.metrics);
    const offline = JSON.parse((await runCli(...base, "--rate", "inf", "--replicas", "2")).out) as ServingJobResult;
    expect(offline.chips).toBe(2);
    const est = await estimate({ arrival: "offline" }, { parallelism: { replicas: 2 } });
    expect(est.metrics).toEqual(offline.metrics);
    expect(est.chips).toBe(2);
  });
});
