/**
 * Ranks of one factor among the chips assessed: 1 = best, direction-aware; equal values (within a
 * relative 1e-9) share a rank and the next rank skips (competition ranking: 1, 1, 3); a null value is
 * unranked (null), never counted as 0.
 */
export const RANK_TIE_RELATIVE = 1e-9;

export function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= RANK_TIE_RELATIVE * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
}

export function rankValues(values: readonly (number | null)[], better: "higher" | "lower"): (number | null)[] {
  const sign = better === "higher" ? -1 : 1;
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => sign * (a - b));
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    return 1 + known.filter((k) => !sameValue(k, v) && sign * (k - v) < 0).length;
  });
}
