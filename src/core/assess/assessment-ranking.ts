import type { ChipAssessment, FactorKey } from "./factor.js";
import { weightedRanking, type WeightedRanking } from "./weights.js";

/**
 * The weighted ranking of assessed chips (assess/weights.ts) from their factor values alone: each
 * factor's direction and unit from the first chip that knows it, chips that cannot run the workload
 * unscored. The assessment calls it once; a front end calls it again with new weights to re-rank
 * at once, without re-assessing.
 */
export function rankAssessedChips(chips: readonly ChipAssessment[], keys: readonly FactorKey[], weights: Partial<Record<FactorKey, number>>): WeightedRanking {
  const known = (k: FactorKey) => (chips.find((c) => c.factors[k]?.value !== null && c.factors[k]?.value !== undefined) ?? chips[0])?.factors[k];
  return weightedRanking({
    chips: chips.map((c) => c.chip),
    factors: keys,
    values: chips.map((c) => keys.map((k) => c.factors[k]?.value ?? null)),
    better: keys.map((k) => known(k)?.better ?? "higher"),
    units: keys.map((k) => known(k)?.unit ?? ""),
    unscored: new Map(chips.filter((c) => c.infeasible_reason).map((c) => [c.chip, c.infeasible_reason!])),
    weights,
  });
}

/** Each chip's score and overall rank from a ranking (in place). */
export function applyRanking(chips: readonly ChipAssessment[], ranking: WeightedRanking): void {
  for (const o of ranking.order) {
    const c = chips.find((x) => x.chip === o.chip);
    if (!c) continue;
    c.score = o.score;
    c.overall_rank = o.rank;
  }
}
