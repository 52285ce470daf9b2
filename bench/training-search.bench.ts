/**
 * Training layout search speed: every valid layout of Llama 3.1 405B on 16,384 H100 (dgx-h100),
 * global batch 2048 × 8192 tokens (Llama 3's 16M-token batch), priced and ranked. Ratios are
 * against a baseline run in the same process: one single-layout estimate (`estimateTraining`,
 * which prices every sharded op once), so machine speed cancels out. Target: the full search < 1 s.
 */
import { Bench } from "tinybench";
import { estimateTraining } from "../src/core/estimate/estimate-training.js";
import { searchTrainingLayouts, type TrainingSearchRequest } from "../src/core/search/training-search.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";

export interface TrainingSearchBenchRow {
  name: string;
  mean_ms: number;
  ratio_to_baseline: number;
  /** Layouts priced per run (search rows only). */
  layouts?: number;
  /** The first search of the process, caches cold (first search row only). */
  cold_ms?: number;
}

export async function trainingSearchBench(): Promise<TrainingSearchBenchRow[]> {
  const model = loadModel("llama-3.1-405b");
  const ctx = contextFor(loadChip("nvidia-h100-sxm"));
  const system = loadSystem("dgx-h100");
  const search: TrainingSearchRequest = { model, precision: DEFAULT_PRECISION, seq_len: 8192, chips: 16384, global_batch: 2048, system, tokens: 15e12 };
  const wide: TrainingSearchRequest = { ...search, global_batch: 16384 };
  // First runs in this process (cost-model caches cold), timed once.
  const t0 = performance.now();
  const first = searchTrainingLayouts(search, ctx);
  const coldMs = performance.now() - t0;
  const layouts = { search: first.evaluated, wide: searchTrainingLayouts(wide, ctx).evaluated };
  let sink = 0;
  const bench = new Bench({ time: 1000, warmupTime: 100 });
  bench
    .add("baseline: one 405B layout (estimateTraining)", () => {
      sink += estimateTraining({ model, precision: DEFAULT_PRECISION, global_batch: 2048, seq_len: 8192, recompute: "selective", chips: 16384, tp: 8, pp: 1, dp: 2048, ep: 1, cp: 1, zero: 1, microbatch: 1, sp: true, system }, ctx).step_time_s;
    })
    .add("405B on 16,384 H100: full search, batch 2048", () => {
      sink += searchTrainingLayouts(search, ctx).evaluated;
    })
    .add("405B on 16,384 H100: full search, batch 16384", () => {
      sink += searchTrainingLayouts(wide, ctx).evaluated;
    });
  await bench.run();
  if (sink === 42) console.log("");
  const meanMs = (i: number): number => {
    const r = bench.tasks[i]!.result as { period?: number } | undefined;
    if (!r || typeof r.period !== "number") throw new Error(`benchmark "${bench.tasks[i]!.name}" did not complete`);
    return r.period;
  };
  const base = meanMs(0);
  return bench.tasks.map((t, i) => ({
    name: t.name,
    mean_ms: meanMs(i),
    ratio_to_baseline: meanMs(i) / base,
    ...(i === 1 ? { layouts: layouts.search, cold_ms: coldMs } : i === 2 ? { layouts: layouts.wide } : {}),
  }));
}

export function printTrainingSearchBench(rows: TrainingSearchBenchRow[]): void {
  console.log("training layout search (Llama 3.1 405B, 16,384 × nvidia-h100-sxm on dgx-h100, seq 8192)");
  for (const r of rows) console.log(`  ${r.name.padEnd(52)} ${r.mean_ms.toFixed(2).padStart(10)} ms   ×${r.ratio_to_baseline.toFixed(1)} baseline${r.layouts !== undefined ? `   (${r.layouts} layouts priced)` : ""}${r.cold_ms !== undefined ? `; first run ${r.cold_ms.toFixed(1)} ms` : ""}`);
  const worst = Math.max(...rows.slice(1).map((r) => Math.max(r.mean_ms, r.cold_ms ?? 0)));
  console.log(`  slowest full search ${worst.toFixed(1)} ms (target: < 1000 ms)`);
}
