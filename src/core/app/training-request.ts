import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { definedFields } from "./defined-fields.js";
import type { Scenario } from "../spec/scenario-spec.js";
import type { DType } from "../units/dtype.js";
import type { SpecRef } from "./catalog.js";
import type { TrainingJobRequest } from "./jobs/training-job.js";
import type { TrainingSearchJobRequest } from "./jobs/training-search-job.js";

/**
 * How a training request is built, for every front end: from a `kind: training` scenario, from
 * flags, or from a scenario with flags overriding its fields. `xpusim estimate` and `xpusim train`
 * both build theirs here, so the same inputs give the same request and the same numbers.
 */

/** Values a front end's flags give; each one set overrides the scenario's (or the default). */
export interface TrainingOverrides {
  model?: SpecRef;
  chip?: SpecRef;
  system?: SpecRef;
  chips?: number;
  global_batch?: number;
  seq_len?: number;
  tp?: number;
  pp?: number;
  dp?: number;
  ep?: number;
  cp?: number;
  microbatch?: number;
  interleave?: number;
  zero?: number;
  recompute?: "none" | "selective" | "full";
  sp?: boolean;
  tokens?: number;
  /** Compute dtype (the scenario's other precision fields stay). */
  dtype?: DType;
  usd_per_chip_hour?: number;
  execution?: "graph" | "eager";
  /** Software-stack preset id or alias (catalog/software). */
  software?: string;
}

/** What a request without a scenario starts from (execution and the other stack settings: the software preset's). */
export const TRAINING_DEFAULTS = { chips: 1, global_batch: 1024, seq_len: 2048, dtype: "bf16" } as const;

/** The training request of a scenario: every field it sets; dp left at 1 and unset layout knobs are chosen by the job. */
export function trainingRequestFromScenario(s: Scenario): TrainingJobRequest {
  if (!("model" in s.workload)) {
    throw new XpusimError(error("E_SCHEMA", "workload", `kind: ${s.kind} needs \`workload: { model: <id or path> }\``, { hint: "use kind: op for a single operator" }));
  }
  const tr = s.training;
  if (!tr) throw new XpusimError(error("E_SCHEMA", "training", "kind: training needs a `training: { global_batch, seq_len }` section"));
  const par = s.parallelism;
  return {
    chip: s.hardware.chip,
    model: s.workload.model,
    ...(s.hardware.system !== undefined ? { system: s.hardware.system } : {}),
    chips: s.hardware.count,
    precision: s.precision,
    global_batch: tr.global_batch,
    seq_len: tr.seq_len ?? TRAINING_DEFAULTS.seq_len,
    // dp left at 1 fills the chips the other degrees leave (the job does it): dp = count / (tp·pp·cp).
    ...definedFields({ tp: par.tp, pp: par.pp, dp: par.dp === 1 ? undefined : par.dp, ep: par.ep, cp: par.cp, zero: par.zero, microbatch: par.microbatch, interleave: par.interleave, sp: par.sp }),
    // Stated stack settings (undefined when the scenario leaves them to the software preset).
    ...definedFields({ flash_attention: tr.flash_attention, dropout: tr.dropout, overlap_grad_reduce: tr.overlap_grad_reduce }),
    ...(s.software !== undefined ? { software: s.software } : {}),
    ...definedFields({ recompute: tr.recompute, grad_bucket_bytes: tr.grad_bucket_bytes, zero_prefetch_layers: tr.zero_prefetch_layers, zero_recompute_regather: tr.zero_recompute_regather, overlap_param_gather: tr.overlap_param_gather, tokens: tr.tokens, image_size: tr.image_size }),
    options: { ...(s.execution ? { execution: s.execution } : {}), ...(s.cost_model ? { costModel: s.cost_model } : {}) },
  };
}

/**
 * The training request of a scenario (when given) with the overrides applied; without a scenario,
 * of the overrides alone (a model and a chip are then required) on {@link TRAINING_DEFAULTS}.
 */
export function trainingRequest(scenario: Scenario | undefined, o: TrainingOverrides): TrainingJobRequest {
  if (scenario && scenario.kind !== "training") throw new XpusimError(error("E_SCHEMA", "kind", `expected a kind: training scenario, got kind: ${scenario.kind}`));
  const base = scenario ? trainingRequestFromScenario(scenario) : flagsOnlyBase(o);
  const { model, chip, system, chips, global_batch, seq_len, tp, pp, dp, ep, cp, microbatch, interleave, zero, recompute, sp, tokens, usd_per_chip_hour } = o;
  const layout = { model, chip, system, chips, global_batch, seq_len, tp, pp, dp, ep, cp, microbatch, interleave, zero, recompute, sp, tokens, usd_per_chip_hour };
  const set = Object.fromEntries(Object.entries(layout).filter(([, v]) => v !== undefined));
  return {
    ...base,
    ...set,
    ...(o.dtype ? { precision: { ...base.precision, compute: o.dtype } } : {}),
    ...(o.execution ? { options: { ...base.options, execution: o.execution } } : {}),
    ...(o.software ? { software: o.software } : {}),
  };
}

function flagsOnlyBase(o: TrainingOverrides): TrainingJobRequest {
  if (o.model === undefined || o.chip === undefined) {
    throw new XpusimError(error("E_SCHEMA", o.model === undefined ? "model" : "chip", "a training request without a scenario needs a model and a chip"));
  }
  return {
    chip: o.chip,
    model: o.model,
    chips: TRAINING_DEFAULTS.chips,
    precision: { compute: TRAINING_DEFAULTS.dtype },
    global_batch: TRAINING_DEFAULTS.global_batch,
    seq_len: TRAINING_DEFAULTS.seq_len,
  };
}

/** The layout search over the same workload as a training request (its layout fields are what the search chooses). */
export function trainingSearchRequest(req: TrainingJobRequest, search: Pick<TrainingSearchJobRequest, "top" | "rank_by" | "max_microbatch">): TrainingSearchJobRequest {
  return {
    chip: req.chip,
    model: req.model,
    chips: req.chips,
    global_batch: req.global_batch,
    seq_len: req.seq_len,
    precision: req.precision,
    ...definedFields({
      system: req.system,
      software: req.software,
      flash_attention: req.flash_attention,
      dropout: req.dropout,
      overlap_grad_reduce: req.overlap_grad_reduce,
      grad_bucket_bytes: req.grad_bucket_bytes,
      zero_prefetch_layers: req.zero_prefetch_layers,
      zero_recompute_regather: req.zero_recompute_regather,
      overlap_param_gather: req.overlap_param_gather,
      image_size: req.image_size,
      tokens: req.tokens,
      usd_per_chip_hour: req.usd_per_chip_hour,
      options: req.options,
      ...search,
    }),
  };
}
