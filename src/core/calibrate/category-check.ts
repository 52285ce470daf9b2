import type { FitRow } from "./fit-rows.js";
import { errorSummary, type ErrorSummary, median, relativeError } from "./stats.js";

/**
 * Held-out error per category before and after calibration, and whether the category got worse by
 * more than its own noise. A category's noise is the standard error of its median |error|: 1.253 ×
 * σ / √n, σ estimated robustly as 1.4826 × the median absolute deviation of its signed errors
 * before calibration (Rousseeuw & Croux 1993), and never below NOISE_FLOOR (sources quote
 * measurements to about 1%).
 */
export const NOISE_FLOOR = 0.01;

export interface CategoryCheck {
  category: string;
  points: number;
  before: ErrorSummary;
  after: ErrorSummary;
  noise: number;
  worsened: boolean;
}

/** Noise of a category from its signed errors before calibration. */
export function categoryNoise(signed: readonly number[]): number {
  const m = median(signed) ?? 0;
  const mad = median(signed.map((x) => Math.abs(x - m))) ?? 0;
  return Math.max(NOISE_FLOOR, (1.253 * 1.4826 * mad) / Math.sqrt(Math.max(1, signed.length)));
}

/** A held-out error that could not be predicted counts as 100%. */
const heldOutError = (r: number | undefined, r0: number): number => (r === undefined ? relativeError(r0) : Number.isFinite(r) ? relativeError(r) : 1);

export function checkCategories(rows: readonly FitRow[], heldOut: ReadonlyMap<FitRow, number>): CategoryCheck[] {
  const predicted = rows.filter((row) => row.r0 !== undefined);
  const categories = [...new Set(predicted.map((row) => row.category))];
  return categories.map((category) => {
    const rs = predicted.filter((row) => row.category === category);
    const signedBefore = rs.map((row) => relativeError(row.r0!));
    const before = errorSummary(signedBefore)!;
    const after = errorSummary(rs.map((row) => heldOutError(heldOut.get(row), row.r0!)))!;
    const noise = categoryNoise(signedBefore);
    return { category, points: rs.length, before, after, noise, worsened: after.median_abs_error > before.median_abs_error + noise };
  });
}
