/**
 * The training planner's inputs (URL strings) → the jobs' requests, built as `xpusim train --search`
 * and `xpusim scale` build theirs (core/app trainingRequest / trainingSearchRequest), so the view's
 * numbers are the CLI's for the same inputs.
 */
import { type ScalingRequest, type TrainingJobRequest, type TrainingSearchJobRequest, trainingRequest, trainingSearchRequest } from "../../../core/app/index.js";
import type { DType } from "../../../core/units/dtype.js";
import { nameList, positiveWhole } from "../planner/parse-input.js";
import { byId, type RefOf } from "../shared/typed-number.js";

/** A 7–8B model on 8 chips: the search and the scaling curve take seconds on a laptop. */
export const TRAINING_VIEW_DEFAULTS = {
  model: "llama-3.1-8b",
  chip: "nvidia-h100-sxm",
  chips: "8",
  batch: "128",
  seq: "2048",
  dtype: "bf16",
  system: "",
  rank: "time",
  /** Chip counts of the scaling curve ("" = around the chosen count). */
  counts: "",
  /** The selected layout's label ("" = the best). */
  pick: "",
};
export type TrainingViewState = typeof TRAINING_VIEW_DEFAULTS;


/** The training request of the inputs (layout left to the search). */
export function trainingRequestOf(s: TrainingViewState, ref: RefOf = byId): TrainingJobRequest {
  const chips = positiveWhole(s.chips, "chips");
  const global_batch = positiveWhole(s.batch, "global_batch");
  const seq_len = positiveWhole(s.seq, "seq_len");
  return trainingRequest(undefined, {
    model: ref(s.model),
    chip: ref(s.chip),
    dtype: s.dtype as DType,
    ...(s.system ? { system: ref(s.system) } : {}),
    ...(chips !== undefined ? { chips } : {}),
    ...(global_batch !== undefined ? { global_batch } : {}),
    ...(seq_len !== undefined ? { seq_len } : {}),
  });
}

const rankOf = (s: TrainingViewState): "time" | "cost" => (s.rank === "cost" ? "cost" : "time");

/** The layout search (`xpusim train --search`): the search's own top and micro-batch limit. */
export function searchRequestOf(s: TrainingViewState, ref: RefOf = byId): TrainingSearchJobRequest {
  return trainingSearchRequest(trainingRequestOf(s, ref), { rank_by: rankOf(s) });
}

/** The scaling curve's counts: the ones given, else powers of two from half to four times the chosen count. */
export function scalingCounts(chips: number, text: string): number[] {
  const given = nameList(text).map((c, i) => positiveWhole(c, `counts[${i}]`)!);
  if (given.length) return [...new Set(given)].sort((a, b) => a - b);
  return [chips / 2, chips, chips * 2, chips * 4].filter((n) => Number.isInteger(n) && n >= 1);
}

/** Strong scaling of the same workload (fixed global batch) over the counts. */
export function scalingRequestOf(s: TrainingViewState, ref: RefOf = byId): ScalingRequest {
  const t = trainingRequestOf(s, ref);
  return {
    chip: t.chip,
    model: t.model,
    ...(t.system !== undefined ? { system: t.system } : {}),
    chip_counts: scalingCounts(t.chips, s.counts),
    mode: "strong",
    global_batch: t.global_batch,
    seq_len: t.seq_len,
    precision: t.precision,
    rank_by: rankOf(s),
    ...(t.options ? { options: t.options } : {}),
  };
}
