import type { ChosenDefault, TrainingEstimate, TrainingRequest } from "../../estimate/estimate-training.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { estimateTrainingWithDefaults, type OpenTrainingRequest } from "../../search/training-defaults.js";
import { type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { trainingRequestFromScenario } from "../training-request.js";

export type { ChosenDefault, TrainingEstimate, TrainingRequest } from "../../estimate/estimate-training.js";

type LayoutField = "tp" | "pp" | "dp" | "ep" | "cp" | "zero" | "microbatch" | "interleave" | "sp" | "recompute";

/**
 * One training step of a model on a layout, with the chip, model and system as references.
 * Layout fields left unset: tp, pp, ep, cp 1; dp fills the chips tp·pp·cp leave; ZeRO 1 with
 * dp > 1 (else 0); recompute selective; micro-batch size, interleave factor and sp the best
 * feasible (search/training-defaults.ts). The result's `chosen_defaults` says what was chosen.
 */
export interface TrainingJobRequest extends Omit<TrainingRequest, "model" | "system" | "precision" | LayoutField>, Partial<Pick<TrainingRequest, LayoutField>> {
  chip: SpecRef;
  model: SpecRef;
  system?: SpecRef;
  /** Resolved with the usual defaults (weights and activations follow compute). */
  precision: PrecisionInput;
  options?: EvaluateOptions;
}

type ResolvedLayout = Omit<OpenTrainingRequest, "model" | "system" | "precision">;

/** The fixed layout defaults, and an entry for each one applied. */
export function resolveTrainingLayout(req: TrainingJobRequest): { layout: ResolvedLayout; chosen: ChosenDefault[] } {
  const { chip: _chip, model: _model, system: _system, precision: _precision, options: _options, ...rest } = req;
  const chosen: ChosenDefault[] = [];
  const tp = req.tp ?? 1;
  const pp = req.pp ?? 1;
  const cp = req.cp ?? 1;
  const fills = req.chips % (tp * pp * cp) === 0;
  const dp = req.dp ?? (fills ? req.chips / (tp * pp * cp) : 1);
  if (req.dp === undefined && req.chips > 1) chosen.push({ field: "dp", value: dp, why: fills ? `unset (or 1 in a scenario): fills the ${req.chips} chips tp·pp·cp = ${tp * pp * cp} leave` : `unset: tp·pp·cp = ${tp * pp * cp} does not divide ${req.chips} chips` });
  const zero = req.zero ?? (dp > 1 ? 1 : 0);
  if (req.zero === undefined && dp > 1) chosen.push({ field: "zero", value: zero, why: "unset: ZeRO-1 (optimizer state sharded over the data-parallel ranks)" });
  const recompute = req.recompute ?? "selective";
  if (req.recompute === undefined) chosen.push({ field: "recompute", value: recompute, why: "unset: selective (attention recomputed, Korthikanti et al. 2022)" });
  return { layout: { ...rest, tp, pp, dp, ep: req.ep ?? 1, cp, zero, recompute }, chosen };
}

export const trainingJob = defineJob<TrainingJobRequest, TrainingEstimate>({
  id: "training",
  summary: "one training step on a given parallel layout: step time, MFU, memory per chip, communication, energy, cost",
  supports: "Megatron-style tp·sp·pp·dp·ep·cp, ZeRO 0-3, recompute none/selective/full; LLMs, encoders, ViT, CNNs; unset micro-batch, interleave and sp chosen as the best feasible",
  scenarioKinds: ["training"],
  fromScenario: (s) => trainingRequestFromScenario(s),
  run(req, catalog) {
    const chip = catalog.chip(req.chip);
    const system = req.chips > 1 ? catalog.system(req.system, chip, req.chips) : undefined;
    const { layout, chosen } = resolveTrainingLayout(req);
    const e = estimateTrainingWithDefaults({ ...layout, model: catalog.model(req.model), precision: resolvePrecision(req.precision), ...(system ? { system } : {}) }, catalog.context(chip), req.options ?? {});
    const all = [...chosen, ...(e.chosen_defaults ?? [])];
    return all.length ? { ...e, chosen_defaults: all } : e;
  },
});
