import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { searchTrainingLayouts, type TrainingSearchRequest, type TrainingSearchResult } from "../../search/training-search.js";
import { type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";

export { layoutLabel, type TrainingSearchResult } from "../../search/training-search.js";

/** Every valid training layout of a model on a chip count, with the chip, model and system as references. */
export interface TrainingSearchJobRequest extends Omit<TrainingSearchRequest, "model" | "system" | "precision"> {
  chip: SpecRef;
  model: SpecRef;
  /** The named system, else the chip's usual one for more than one chip. */
  system?: SpecRef;
  precision: PrecisionInput;
  options?: EvaluateOptions;
}

export const trainingSearchJob = defineJob<TrainingSearchJobRequest, TrainingSearchResult>({
  id: "training-search",
  summary: "every valid training layout (tp, cp, pp, dp, ep, micro-batch, interleave, ZeRO, recompute) ranked by step time or cost, rejections counted by reason",
  supports: "the layouts of the training job; ZeRO-2/3 only without pipeline parallelism; the closest layout when none fits",
  run(req, catalog) {
    const { chip: chipRef, model: modelRef, system: systemRef, precision, options, ...rest } = req;
    const chip = catalog.chip(chipRef);
    const system = catalog.system(systemRef, chip, req.chips);
    return searchTrainingLayouts({ ...rest, model: catalog.model(modelRef), precision: resolvePrecision(precision), ...(system ? { system } : {}) }, catalog.context(chip), options ?? {});
  },
});
