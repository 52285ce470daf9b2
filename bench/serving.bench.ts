/**
 * Serving-simulator speed: 10,000 requests of Llama 3.1 8B on one H100 behind the vLLM preset,
 * simulated end to end (KV sizing, engine-priced steps, discrete-event loop, metrics). Ratios are
 * against a baseline in the same process — generating the 10,000 requests alone — so machine speed
 * cancels out. Target: each 10,000-request simulation well under 1 s.
 *
 * Cases: a light load (1 request/s: ~1.3 million small iterations, the loop's worst case), near
 * capacity (20/s), everything at t = 0 (KV-bound, with preemptions), and disaggregated 1:1. The
 * step-cost cache is warm after the first iteration (tinybench warm-up), as in a rate sweep; the
 * "cold" case builds a fresh step cost every time, graph evaluations included.
 */
import { Bench } from "tinybench";
import { simulateServing } from "../src/core/serving/simulate-serving.js";
import { engineStepCost } from "../src/core/serving/step-cost.js";
import { generateWorkload } from "../src/core/serving/workload-gen.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

export interface BenchRow {
  name: string;
  mean_ms: number;
  ratio_to_baseline: number;
}

export async function servingBench(): Promise<BenchRow[]> {
  const model = loadModel("llama-3.1-8b");
  const ctx = contextFor(loadChip("nvidia-h100-sxm"));
  const N = 10_000;
  const mixed = { input: { kind: "uniform" as const, min: 100, max: 3000 }, output: { kind: "uniform" as const, min: 20, max: 500 } };
  const light = generateWorkload({ requests: N, rate_per_s: 1, input: 1024, output: 256, seed: 1 });
  const near = generateWorkload({ requests: N, rate_per_s: 20, ...mixed, seed: 1 });
  const burst = generateWorkload({ requests: N, rate_per_s: Infinity, ...mixed, seed: 1 });
  let sink = 0;
  const run = (reqs: typeof light, config: Parameters<typeof simulateServing>[3] = { engine: "vllm" }, fresh = false) => () => {
    const r = simulateServing(model, ctx, DEFAULT_PRECISION, config, reqs, fresh ? { step_cost: engineStepCost(model, ctx, DEFAULT_PRECISION) } : {});
    sink += r.metrics?.ttft_s.mean ?? 0;
  };
  const bench = new Bench({ time: 0, iterations: 3, warmupIterations: 1, warmupTime: 0 });
  bench
    .add("baseline: generate 10,000 requests", () => {
      sink += generateWorkload({ requests: N, rate_per_s: 20, ...mixed, seed: 2 }).length;
    })
    .add("10k requests, 1/s (1.3 M iterations)", run(light))
    .add("10k requests, 20/s, mixed lengths", run(near))
    .add("10k requests at t = 0 (KV-bound, preemptions)", run(burst))
    .add("10k requests, 20/s, disaggregated 1:1", run(near, { engine: "vllm", disaggregation: { prefill_instances: 1, decode_instances: 1 } }))
    .add("10k requests, 20/s, cold step-cost cache", run(near, { engine: "vllm" }, true));
  await bench.run();
  if (sink === 42) console.log("");
  const meanMs = (i: number): number => {
    const r = bench.tasks[i]!.result as { period?: number; latency?: { mean?: number } } | undefined;
    const v = r?.period ?? r?.latency?.mean;
    if (typeof v !== "number") throw new Error(`benchmark "${bench.tasks[i]!.name}" did not complete`);
    return v;
  };
  const base = meanMs(0);
  return bench.tasks.map((t, i) => ({ name: t.name, mean_ms: meanMs(i), ratio_to_baseline: meanMs(i) / base }));
}

/** Prints the rows; used by bench/run.ts and when this file is run directly. */
export function printServingBench(rows: readonly BenchRow[]): void {
  console.log("serving simulator (Llama 3.1 8B on nvidia-h100-sxm, vLLM preset)");
  for (const r of rows) console.log(`  ${r.name.padEnd(52)} ${r.mean_ms.toFixed(1).padStart(10)} ms   ×${r.ratio_to_baseline.toFixed(1)} baseline`);
  const worst = Math.max(...rows.slice(1).map((r) => r.mean_ms));
  console.log(`\nslowest 10,000-request simulation: ${worst.toFixed(0)} ms (target: under 1000 ms)`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "\0")) {
  printServingBench(await servingBench());
}
