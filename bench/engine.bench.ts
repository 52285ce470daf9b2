/**
 * Engine speed: a whole forward pass of Llama 3.1 405B (prefill 2048 tokens and one decode step)
 * priced op by op on one chip, and a full inference estimate (prefill + Simpson-integrated decode).
 * Ratios are against a baseline run in the same process: summing the graph's FLOPs (pure
 * arithmetic, no cost model), so machine speed cancels out. Target: a forward pass well under 10 ms.
 */
import { Bench } from "tinybench";
import { estimateInference } from "../src/core/estimate/estimate-inference.js";
import { evaluateGraph } from "../src/core/estimate/evaluate-graph.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import { opFlops } from "../src/core/workload/op-metrics.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

export async function engineBench(): Promise<Array<{ name: string; mean_ms: number; ratio_to_baseline: number }>> {
  const model = loadModel("llama-3.1-405b");
  const ctx = contextFor(loadChip("nvidia-h100-sxm"));
  const prefillShape = { batch: 1, new_tokens: 2048, context_tokens: 2048, phase: "prefill" as const };
  const graph = buildWorkload(model, prefillShape, DEFAULT_PRECISION);
  let sink = 0;
  const bench = new Bench({ time: 500, warmupTime: 100 });
  bench
    .add("baseline: sum graph FLOPs", () => {
      for (const b of graph.blocks) for (const op of b.ops) sink += opFlops(op) * b.repeat;
    })
    .add("405B prefill forward pass (build + price)", () => {
      sink += evaluateGraph(buildWorkload(model, prefillShape, DEFAULT_PRECISION), ctx).time_s;
    })
    .add("405B decode step (build + price)", () => {
      sink += evaluateGraph(buildWorkload(model, { batch: 8, new_tokens: 1, context_tokens: 4096, phase: "decode" }, DEFAULT_PRECISION), ctx).time_s;
    })
    .add("405B inference estimate (prefill + 3 decode points)", () => {
      sink += estimateInference({ model, precision: DEFAULT_PRECISION, batch: 8, input_tokens: 2048, output_tokens: 256, chips: 1, tp: 1, pp: 1 }, ctx).e2e_latency_s;
    });
  await bench.run();
  if (sink === 42) console.log(""); // keep results alive
  const meanMs = (i: number): number => {
    const r = bench.tasks[i]!.result as { period?: number } | undefined;
    if (!r || typeof r.period !== "number") throw new Error(`benchmark "${bench.tasks[i]!.name}" did not complete`);
    return r.period;
  };
  const base = meanMs(0);
  return bench.tasks.map((t, i) => ({ name: t.name, mean_ms: meanMs(i), ratio_to_baseline: meanMs(i) / base }));
}
