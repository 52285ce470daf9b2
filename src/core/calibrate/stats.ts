/** Summary statistics of calibration errors: the same median and p90 (linear interpolation) as `xpusim validate`. */
import { median, quantile } from "../validate/run-validation.js";

export { median };

/** Median and p90 of |error| (relative errors, 0.05 = 5%). */
export interface ErrorSummary {
  median_abs_error: number;
  p90_abs_error: number;
}

export function errorSummary(errors: readonly number[]): ErrorSummary | undefined {
  const abs = errors.map(Math.abs);
  const med = median(abs);
  return med === undefined ? undefined : { median_abs_error: med, p90_abs_error: quantile(abs, 0.9)! };
}

/** Relative error from a log residual: predicted/measured − 1. */
export const relativeError = (logResidual: number): number => Math.expm1(logResidual);
