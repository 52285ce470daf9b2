/**
 * View state → the job requests of the Compare view (pure: no DOM, no workspace; `ref` maps an id
 * to what a job takes, `specRef` in the page). Blank fields are left out so the jobs' defaults
 * apply, exactly as the CLI leaves out a flag not given.
 */
import type { AssessRequest, CompareRequest, FactorKey, OpRequest } from "../../../core/app/index.js";
import { INFERENCE_FACTORS, TRAINING_FACTORS } from "../../../core/app/index.js";
import { byId, numberOf, type RefOf } from "../shared/typed-number.js";
import { type CompareState, weightKey } from "./compare-state.js";


const put = <K extends string>(key: K, text: string): Partial<Record<K, number>> => {
  const v = numberOf(text);
  return v === undefined ? {} : ({ [key]: v } as Record<K, number>);
};

export const isTraining = (s: CompareState): boolean => s.mode === "training";
export const chipIdsOf = (s: CompareState): string[] => s.chips.split(",").filter(Boolean);
export const countOf = (s: CompareState): number => numberOf(s.count) ?? 1;

/** Training global batch: as typed, else 8 per chip (the assess job's default), the same for both jobs. */
function globalBatch(s: CompareState): number {
  return numberOf(s.gbatch) ?? 8 * countOf(s);
}

/** The `compare` job: inference on `count` chips (tensor-parallel), or one training step per chip. */
export function compareRequest(s: CompareState, ref: RefOf = byId): CompareRequest {
  const base = { model: ref(s.model), chips: chipIdsOf(s).map(ref) };
  if (isTraining(s)) return { ...base, training: true, global_batch: globalBatch(s), ...put("seq_len", s.seq) };
  return { ...base, ...put("batch", s.batch), ...put("input_tokens", s.input), ...put("output_tokens", s.output), ...put("tp", s.count) };
}

/** The `assess` job, without weights (the view re-ranks the result under the weights: reweightAssessment). */
export function assessRequest(s: CompareState, ref: RefOf = byId): AssessRequest {
  const base = { chips: chipIdsOf(s).map(ref), model: ref(s.model), mode: s.mode, ...put("count", s.count) };
  if (isTraining(s)) return { ...base, batch: globalBatch(s), ...put("seq_len", s.seq) };
  return { ...base, ...put("batch", s.batch), ...put("input_tokens", s.input), ...put("output_tokens", s.output) };
}

/** The `op` job: one GEMM (batch × M×N×K in the dtype) on each chip, as `xpusim op gemm` runs it. */
export function opRequest(s: CompareState, ref: RefOf = byId): OpRequest {
  return { op: { type: "gemm", ...put("m", s.m), ...put("n", s.n), ...put("k", s.k), ...put("batch", s.batch), dtype: s.dtype }, chip: chipIdsOf(s).map(ref) };
}

export const factorsOf = (s: CompareState): readonly FactorKey[] => (isTraining(s) ? TRAINING_FACTORS : INFERENCE_FACTORS);

/** The weights of the mode's factors, as numbers (blank = 1, the job's default). */
export function weightsOf(s: CompareState): Record<string, number> {
  return Object.fromEntries(factorsOf(s).map((f) => [f, numberOf(s[weightKey(f)]) ?? 1]));
}
