import type { ChosenDefault, TrainingEstimate, TrainingRequest } from "../../estimate/estimate-training.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { estimateTrainingWithDefaults, type OpenTrainingRequest } from "../../search/training-defaults.js";
import { type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import type { SoftwareRef } from "../software-stack.js";
import { trainingRequestFromScenario } from "../training-request.js";
import { applyTrainingStack } from "../training-software.js";

export type { ChosenDefault, TrainingEstimate, TrainingRequest } from "../../estimate/estimate-training.js";

type LayoutField = "tp" | "pp" | "dp" | "ep" | "cp" | "zero" | "microbatch" | "interleave" | "sp" | "recompute";

/**
 * One training step of a model on a layout, with the chip, model and system as references.
 * Layout fields left unset: tp, pp, ep, cp 1; dp fills the chips tp·pp·cp leave; micro-batch size,
 * interleave factor, sp, ZeRO stage and recompute the best feasible — the fastest layout that fits,
 * else the closest (search/training-defaults.ts, the one chooser every front end uses). Given values
 * are never changed. The result's `chosen_defaults` says what was chosen and why.
 */
export interface TrainingJobRequest extends Omit<TrainingRequest, "model" | "system" | "precision" | LayoutField>, Partial<Pick<TrainingRequest, LayoutField>> {
  chip: SpecRef;
  model: SpecRef;
  system?: SpecRef;
  /** Resolved with the usual defaults (weights and activations follow compute). */
  precision: PrecisionInput;
  options?: EvaluateOptions;
  /**
   * The software stack (catalog/software preset id or alias, or `{ id, ...overrides }`); unset: the
   * modern stack for the chip and model. flash_attention, dropout, overlap_grad_reduce and
   * options.execution, when set, override the preset. The result's `software` states what was used.
   */
  software?: SoftwareRef;
}

type ResolvedLayout = Omit<OpenTrainingRequest, "model" | "system" | "precision">;

/** The fixed layout defaults (the degrees), and an entry for each one applied; the other unset knobs are left to the chooser. */
export function resolveTrainingLayout(req: TrainingJobRequest): { layout: ResolvedLayout; chosen: ChosenDefault[] } {
  const { chip: _chip, model: _model, system: _system, precision: _precision, options: _options, software: _software, ...rest } = req;
  const chosen: ChosenDefault[] = [];
  const tp = req.tp ?? 1;
  const pp = req.pp ?? 1;
  const cp = req.cp ?? 1;
  const fills = req.chips % (tp * pp * cp) === 0;
  const dp = req.dp ?? (fills ? req.chips / (tp * pp * cp) : 1);
  if (req.dp === undefined && req.chips > 1) chosen.push({ field: "dp", value: dp, why: fills ? `unset (or 1 in a scenario): fills the ${req.chips} chips tp·pp·cp = ${tp * pp * cp} leave` : `unset: tp·pp·cp = ${tp * pp * cp} does not divide ${req.chips} chips` });
  return { layout: { ...rest, tp, pp, dp, ep: req.ep ?? 1, cp }, chosen };
}

export const trainingJob = defineJob<TrainingJobRequest, TrainingEstimate>({
  id: "training",
  summary: "one training step on a given parallel layout: step time, MFU, memory per chip, communication, energy, cost",
  supports: "Megatron-style tp·sp·pp·dp·ep·cp, ZeRO 0-3, recompute none/selective/full; LLMs, encoders, ViT, CNNs; unset micro-batch, interleave, sp, ZeRO and recompute chosen as the best feasible",
  scenarioKinds: ["training"],
  fromScenario: (s) => trainingRequestFromScenario(s),
  run(req, catalog) {
    const chip = catalog.chip(req.chip);
    const system = req.chips > 1 ? catalog.system(req.system, chip, req.chips) : undefined;
    const model = catalog.model(req.model);
    const { options, software, notes, ...stack } = applyTrainingStack(req, chip, model, catalog);
    const { layout, chosen } = resolveTrainingLayout(req);
    // The stack's ZeRO stage applies where the layout allows it (data parallel; stages 2-3 only without pipeline stages).
    if (stack.zero !== undefined && (layout.dp <= 1 || (stack.zero > 1 && layout.pp > 1))) delete stack.zero;
    if (stack.zero !== undefined) chosen.push({ field: "zero", value: stack.zero, why: `unset: the ${software.id} stack implies ZeRO-${stack.zero}` });
    if (stack.interleave !== undefined && (req.pp ?? 1) > 1) chosen.push({ field: "interleave", value: 1, why: `unset: the ${software.id} stack runs plain 1F1B` });
    const e = estimateTrainingWithDefaults({ ...layout, ...stack, model, precision: resolvePrecision(req.precision), ...(system ? { system } : {}) }, catalog.context(chip), options);
    const all = [...chosen, ...(e.chosen_defaults ?? [])];
    const withNotes = notes.length ? { ...e, warnings: [...e.warnings, ...notes] } : e;
    return { ...withNotes, ...(all.length ? { chosen_defaults: all } : {}), software };
  },
});
