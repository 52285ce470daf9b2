import { applyRanking, rankAssessedChips } from "../assess/assessment-ranking.js";
import type { AssessResult } from "../assess/factor.js";
import { checkWeights } from "./jobs/assess-job.js";

/**
 * An assessment re-ranked under new weights, without re-assessing: the same factor values, ranks
 * and notes, a new weighted ranking (scores, order, flips) exactly as the assess job would give for
 * these weights (the same code, assess/assessment-ranking.ts). Weights are checked as the job checks
 * them (known factor of the mode, finite, ≥ 0); the input result is not changed.
 */
export function reweightAssessment(result: AssessResult, weights: Readonly<Record<string, number>>): AssessResult {
  const checked = checkWeights(weights, result.mode);
  const chips = result.chips.map((c) => ({ ...c }));
  const ranking = rankAssessedChips(chips, result.factor_keys, checked);
  applyRanking(chips, ranking);
  return { ...result, chips, ranking };
}
