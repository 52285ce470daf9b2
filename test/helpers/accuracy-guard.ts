import { expect } from "vitest";
import type { ValidationSummary } from "../../src/core/validate/run-validation.js";

/**
 * Accuracy guards of the validation tests: each category's median |error| may not rise more than
 * MARGIN above the median measured when the guard was set, and no category may predict fewer points.
 * When the model improves, lower the baseline to the new medians (the test logs them).
 */
export const MARGIN = 0.02;

/** Points predicted and median |error| (rounded up to 0.1 %) of one category on the day the guard was set. */
export interface Baseline {
  predicted: number;
  median: number;
}

export function expectWithinBaseline(summary: ValidationSummary, byCategory: Record<string, Baseline>, overall: Baseline): void {
  const got = Object.fromEntries(summary.by_category.map((c) => [c.category, c]));
  console.log(
    `median |error| by category: ${summary.by_category.map((c) => `${c.category} ${((c.median_abs_error ?? NaN) * 100).toFixed(1)} % (${c.predicted}/${c.points})`).join(", ")}; overall ${((summary.overall.median_abs_error ?? NaN) * 100).toFixed(1)} %`,
  );
  // A new category needs its own guard; a lost one is a regression.
  expect(Object.keys(got).sort()).toEqual(Object.keys(byCategory).sort());
  const check = (label: string, predicted: number, median: number | undefined, b: Baseline) => {
    expect(predicted, `${label}: points predicted`).toBeGreaterThanOrEqual(b.predicted);
    expect(median, `${label}: median |error|`).toBeDefined();
    expect(median!, `${label}: median |error| above ${(b.median * 100).toFixed(1)} % (the median when the guard was set) + ${MARGIN * 100} points`).toBeLessThanOrEqual(b.median + MARGIN);
  };
  for (const [category, b] of Object.entries(byCategory)) check(category, got[category]!.predicted, got[category]!.median_abs_error, b);
  check("overall", summary.overall.predicted, summary.overall.median_abs_error, overall);
}
