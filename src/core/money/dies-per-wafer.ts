import { error, XpusimError } from "../diagnostics/diagnostic.js";

/**
 * Gross dies per wafer by the standard formula with the edge-loss term (Hennessy & Patterson,
 * "Computer Architecture: A Quantitative Approach", §1.6 "Cost of an integrated circuit"; the same
 * formula is coded in PrincetonUniversity/ttm-cas supply_chain_model.py after CSET "AI Chips"):
 *
 *   DPW = ⌊ π (d/2)² / A − π d / √(2 A) ⌋
 *
 * d = usable wafer diameter (diameter − 2 × edge exclusion), A = die area. The first term is wafer area
 * over die area; the second counts the partial dies lost along the rim. Scribe lines are part of A.
 */
export function diesPerWafer(dieAreaMm2: number, waferDiameterMm = 300, edgeExclusionMm = 0): number {
  if (!(dieAreaMm2 > 0)) throw new XpusimError(error("E_RANGE", "area", "die area must be greater than zero", { expected: "mm² > 0", got: String(dieAreaMm2) }));
  if (!(edgeExclusionMm >= 0) || 2 * edgeExclusionMm >= waferDiameterMm)
    throw new XpusimError(error("E_RANGE", "edge_exclusion_mm", "edge exclusion must be ≥ 0 and leave a usable wafer", { expected: `0 ≤ mm < ${waferDiameterMm / 2}`, got: String(edgeExclusionMm) }));
  const d = waferDiameterMm - 2 * edgeExclusionMm;
  const gross = (Math.PI * (d / 2) ** 2) / dieAreaMm2 - (Math.PI * d) / Math.sqrt(2 * dieAreaMm2);
  return Math.max(0, Math.floor(gross));
}
