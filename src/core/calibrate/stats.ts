/** Summary statistics of calibration errors. */

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
}

/** The p-th percentile (0 < p ≤ 1) by the nearest-rank method: the smallest value with at least p of the values at or below it. */
export function percentile(xs: readonly number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

/** Median and p90 of |error| (relative errors, 0.05 = 5%). */
export interface ErrorSummary {
  median_abs_error: number;
  p90_abs_error: number;
}

export function errorSummary(errors: readonly number[]): ErrorSummary | undefined {
  const abs = errors.map(Math.abs);
  const med = median(abs);
  return med === undefined ? undefined : { median_abs_error: med, p90_abs_error: percentile(abs, 0.9)! };
}

/** Relative error from a log residual: predicted/measured − 1. */
export const relativeError = (logResidual: number): number => Math.expm1(logResidual);
