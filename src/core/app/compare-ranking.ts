import type { CompareRow } from "./jobs/compare-job.js";

/**
 * The order of a comparison: inference by aggregate throughput (generated tokens/s, else
 * samples/s), highest first; training by step time, shortest first. Chips that do not fit follow
 * those that do, in the same order; chips that cannot run come last.
 */
export function rankCompareRows(rows: CompareRow[], mode: "inference" | "training"): CompareRow[] {
  const key = (r: CompareRow): number => {
    if (!r.ok) return Number.POSITIVE_INFINITY;
    if (mode === "training") return r.training!.fits ? r.training!.step_time_s : 1e30 + r.training!.step_time_s;
    const inf = r.inference!;
    const throughput = inf.output_tokens_per_s || inf.samples_per_s;
    return inf.fits ? -throughput : 1e30 - throughput;
  };
  return [...rows].sort((a, b) => key(a) - key(b));
}
