import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { searchTrainingLayouts, type TrainingSearchRequest, type TrainingSearchResult } from "../../search/training-search.js";
import { type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import type { SoftwareRef, SoftwareUsed } from "../software-stack.js";
import { applyTrainingStack } from "../training-software.js";

export { layoutLabel, type TrainingSearchResult } from "../../search/training-search.js";

/** Every valid training layout of a model on a chip count, with the chip, model and system as references. */
export interface TrainingSearchJobRequest extends Omit<TrainingSearchRequest, "model" | "system" | "precision"> {
  chip: SpecRef;
  model: SpecRef;
  /** The named system, else the chip's usual one for more than one chip. */
  system?: SpecRef;
  precision: PrecisionInput;
  options?: EvaluateOptions;
  /** The software stack (as the training job's); its booleans and execution apply to every layout, stated values winning. */
  software?: SoftwareRef;
}

/** The search's result with the stack it priced every layout on. */
export type TrainingSearchJobResult = TrainingSearchResult & { software?: SoftwareUsed };

export const trainingSearchJob = defineJob<TrainingSearchJobRequest, TrainingSearchJobResult>({
  id: "training-search",
  summary: "every valid training layout (tp, cp, pp, dp, ep, micro-batch, interleave, ZeRO, recompute) ranked by step time or cost, rejections counted by reason",
  supports: "the layouts of the training job; ZeRO-2/3 only without pipeline parallelism; the closest layout when none fits",
  run(req, catalog) {
    const { chip: chipRef, model: modelRef, system: systemRef, precision, options: _options, software: _software, ...rest } = req;
    const chip = catalog.chip(chipRef);
    const model = catalog.model(modelRef);
    const system = catalog.system(systemRef, chip, req.chips);
    // The search enumerates ZeRO stages and interleave factors itself; the stack gives the booleans and execution.
    const { options, software, notes: _notes, zero: _zero, interleave: _interleave, zero_prefetch_layers: _prefetch, ...stack } = applyTrainingStack(req, chip, model, catalog);
    const r = searchTrainingLayouts({ ...rest, ...stack, model, precision: resolvePrecision(precision), ...(system ? { system } : {}) }, catalog.context(chip), options);
    return { ...r, software };
  },
});
