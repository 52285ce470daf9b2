import { error, XpusimError } from "../diagnostics/diagnostic.js";

/**
 * Die yield (share of dies without a killer defect) from the die's critical area A (cm²) and the
 * killer-defect density D0 (defects/cm²). A·D0 is the expected number of defects per die.
 *
 * - Poisson: Y = e^(−A·D0) (random, unclustered defects; pessimistic for large dies).
 * - Murphy (B. T. Murphy, "Cost-size optima of monolithic integrated circuits", Proc. IEEE 52(12), 1964,
 *   triangular D0 distribution): Y = ((1 − e^(−A·D0)) / (A·D0))².
 * - Negative binomial (C. H. Stapper, "On yield, fault distributions and clustering of particles",
 *   IBM J. Res. Dev. 30(3), 1986): Y = (1 + A·D0/α)^(−α); α is the clustering parameter (α → ∞ is
 *   Poisson; small α = strongly clustered defects, higher yield for large dies). Industry default α = 3.
 */
export const YIELD_MODELS = ["poisson", "murphy", "negative-binomial"] as const;
export type YieldModel = (typeof YIELD_MODELS)[number];

export function dieYield(model: YieldModel, dieAreaMm2: number, defectDensityPerCm2: number, alpha = 3): number {
  if (!(defectDensityPerCm2 >= 0))
    throw new XpusimError(error("E_RANGE", "defect_density", "defect density must be ≥ 0", { expected: "defects/cm² ≥ 0", got: String(defectDensityPerCm2) }));
  if (!(alpha > 0)) throw new XpusimError(error("E_RANGE", "alpha", "the clustering parameter α must be greater than zero", { got: String(alpha) }));
  const ad = (dieAreaMm2 / 100) * defectDensityPerCm2;
  if (ad === 0) return 1;
  switch (model) {
    case "poisson":
      return Math.exp(-ad);
    case "murphy":
      return ((1 - Math.exp(-ad)) / ad) ** 2;
    case "negative-binomial":
      return (1 + ad / alpha) ** -alpha;
  }
}
