import type { CompareRow } from "./jobs/compare-job.js";

/**
 * The order of a comparison: inference by aggregate throughput (generated tokens/s, else
 * samples/s), highest first; training by step time, shortest first. Chips that do not fit follow
 * those that do, in the same order; chips that cannot run come last, in the order given.
 */
export function rankCompareRows(rows: CompareRow[], mode: "inference" | "training"): CompareRow[] {
  // [group, key]: group 0 fits, 1 does not fit, 2 cannot run; smaller key first within a group.
  const rank = (r: CompareRow): [number, number] => {
    if (!r.ok) return [2, 0];
    if (mode === "training") return [r.training!.fits ? 0 : 1, r.training!.step_time_s];
    const inf = r.inference!;
    return [inf.fits ? 0 : 1, -(inf.output_tokens_per_s || inf.samples_per_s)];
  };
  return [...rows].sort((a, b) => {
    const [ga, ka] = rank(a);
    const [gb, kb] = rank(b);
    return ga - gb || ka - kb;
  });
}
