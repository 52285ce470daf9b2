import type { CostContext } from "../../cost/contract.js";
import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { estimateInference, type InferenceEstimate } from "../../estimate/estimate-inference.js";
import type { TrainingEstimate } from "../../estimate/estimate-training.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { NATIVE_DTYPE_PREFERENCE, NATIVE_TRAINING_DTYPE_PREFERENCE, nativeMathDType } from "../../estimate/native-precision.js";
import type { Chip } from "../../hardware/chip.js";
import type { System } from "../../network/build-system.js";
import { type SmallestFit, smallestFit } from "../../search/smallest-fit.js";
import { estimateTrainingWithDefaults } from "../../search/training-defaults.js";
import { resolveSoftware, type SoftwareRef } from "../software-stack.js";
import { applyTrainingStack } from "../training-software.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import type { DType } from "../../units/dtype.js";
import { type Precision, resolvePrecision } from "../../workload/precision.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { type CompareWorkload, compareWorkload, type CompareWorkloadRequest } from "../compare-workload.js";
import { defineJob } from "../job.js";
import { rankCompareRows } from "../compare-ranking.js";

/**
 * One workload across several chips, ranked: inference by throughput (chips that do not fit last),
 * training by step time. A chip that cannot run it is a row with the reason. With no dtype given,
 * each chip runs its native math dtype (native-precision.ts), and each row says which.
 */
export interface CompareRequest extends CompareWorkloadRequest {
  model: SpecRef;
  /** Chip references, or "all" for the whole catalog. */
  chips: readonly SpecRef[] | "all";
  /** Math dtype for every chip; absent = each chip's native one. */
  dtype?: DType;
  weights?: DType;
  system?: SpecRef;
  options?: EvaluateOptions;
  /** The software stack for every chip (catalog/software); unset: each chip's default stack (stated in each row's estimate). */
  software?: SoftwareRef;
}

/** The dtype a row ran in and why. */
export interface DTypeChoice {
  dtype: DType;
  /** "requested" (--dtype) or "native" (the chip's own, chosen because none was given). */
  source: "requested" | "native";
  note?: string;
}

export type CompareRow =
  | {
      chip: string;
      ok: true;
      dtype_choice: DTypeChoice;
      inference?: InferenceEstimate;
      training?: TrainingEstimate;
      usd_per_million_tokens?: number;
      /** Image and encoder models: energy of all chips per image (sequence), J. */
      energy_per_sample_j?: number;
      /** Image and encoder models: cloud price per million images (sequences). */
      usd_per_million_samples?: number;
      /** Inference that does not fit: the fewest chips of this kind that hold it, with the layout. */
      smallest_fit?: SmallestFit;
      /** Why no smallest fit was found (when the search found none). */
      smallest_fit_none?: string;
      /** Training: the micro-batch chosen (the fastest layout that fits; see training.chosen_defaults) when none was given. */
      microbatch_chosen?: number;
    }
  | { chip: string; ok: false; reason: string; dtype_choice?: DTypeChoice };

export interface CompareResult {
  job: "compare";
  model: string;
  workload: CompareWorkload;
  /** The dtype asked for, or "native" (each chip's own). */
  dtype: DType | "native";
  system?: string;
  /** Ranked: best first; rows that cannot run last. */
  rows: CompareRow[];
  /** Whether any chip can run the workload and hold it (on one chip, or on the smallest count found). */
  feasible: boolean;
  infeasible_reason?: string;
}

function dtypeChoice(chip: Chip, requested: DType | undefined, mode: CompareWorkload["mode"]): DTypeChoice {
  if (requested) return { dtype: requested, source: "requested" };
  const preference = mode === "training" ? NATIVE_TRAINING_DTYPE_PREFERENCE : NATIVE_DTYPE_PREFERENCE;
  const native = nativeMathDType(chip, preference);
  if (!native) return { dtype: "bf16", source: "native", note: `${chip.id} has no ${preference.join(", ")} matrix engine${mode === "training" ? " for training" : ""}` };
  return { dtype: native, source: "native", ...(native !== "bf16" ? { note: `${chip.id} has no bf16 matrix engine; runs ${native} natively` } : {}) };
}

interface ChipRun {
  req: CompareRequest;
  w: CompareWorkload;
  model: ModelSpec;
  ctx: CostContext;
  precision: Precision;
  explicitSystem: System | undefined;
  catalog: Catalog;
}

function inferenceRow(r: ChipRun): Partial<Extract<CompareRow, { ok: true }>> {
  const { w, ctx } = r;
  const system = r.explicitSystem ?? (w.tp > 1 ? r.catalog.system(undefined, ctx.chip, w.tp) : undefined);
  const base = { model: r.model, precision: r.precision, batch: w.batch, input_tokens: w.input_tokens ?? 1, output_tokens: w.output_tokens ?? 0, ...(r.req.image_size ? { image_size: r.req.image_size } : {}) };
  const stack = resolveSoftware(r.req.software, { kind: "inference", chip: ctx.chip, category: r.model.category }, r.catalog, { execution: r.req.options?.execution });
  const options = { ...(r.req.options ?? {}), execution: stack.used.settings.execution ?? "graph" };
  const inf = { ...estimateInference({ ...base, chips: w.tp, tp: w.tp, pp: 1, ...(system ? { system } : {}) }, ctx, options), software: stack.used };
  const row: Partial<Extract<CompareRow, { ok: true }>> = { inference: inf };
  if (inf.usd_per_million_tokens !== undefined) row.usd_per_million_tokens = inf.usd_per_million_tokens;
  if (w.unit !== "token") {
    if (inf.energy_j !== undefined) row.energy_per_sample_j = inf.energy_j / w.batch;
    const cph = ctx.chip.cost.cloud_usd_per_hour;
    if (cph !== undefined && inf.samples_per_s > 0) row.usd_per_million_samples = ((cph * inf.chips) / 3600 / inf.samples_per_s) * 1e6;
  }
  if (!inf.fits) {
    const systemFor = (n: number) => r.explicitSystem ?? r.catalog.system(undefined, ctx.chip, n);
    const search = smallestFit(base, ctx, systemFor, w.tp, options);
    if (search.fit) row.smallest_fit = search.fit;
    else row.smallest_fit_none = search.reason;
  }
  return row;
}

/** One training step on one chip; unset micro-batch and recompute chosen by the training chooser, as `train` and a scenario do. */
function trainingRow(r: ChipRun): Partial<Extract<CompareRow, { ok: true }>> {
  const { w } = r;
  const { options, software, notes, zero: _zero, interleave: _interleave, ...stack } = applyTrainingStack({ ...(r.req.software !== undefined ? { software: r.req.software } : {}), ...(r.req.options ? { options: r.req.options } : {}) }, r.ctx.chip, r.model, r.catalog);
  const estimate = estimateTrainingWithDefaults(
    {
      ...stack,
      model: r.model,
      precision: r.precision,
      global_batch: w.batch,
      seq_len: w.seq_len ?? 1,
      chips: 1,
      tp: 1,
      pp: 1,
      dp: 1,
      ep: 1,
      cp: 1,
      ...(w.microbatch !== undefined ? { microbatch: w.microbatch } : {}),
      ...(w.recompute !== undefined ? { recompute: w.recompute } : {}),
      ...(r.req.image_size ? { image_size: r.req.image_size } : {}),
    },
    r.ctx,
    options,
  );
  const training = { ...estimate, ...(notes.length ? { warnings: [...estimate.warnings, ...notes] } : {}), software };
  return w.microbatch !== undefined ? { training } : { training, microbatch_chosen: training.layout.microbatch };
}

function rowFor(chip: Chip, req: CompareRequest, w: CompareWorkload, model: ModelSpec, explicitSystem: System | undefined, catalog: Catalog): CompareRow {
  const choice = dtypeChoice(chip, req.dtype, w.mode);
  try {
    const precision = resolvePrecision({ compute: choice.dtype, ...(req.weights ? { weights: req.weights } : {}), ...(req.kv_cache ? { kv_cache: req.kv_cache } : {}) });
    const run: ChipRun = { req, w, model, ctx: catalog.context(chip), precision, explicitSystem, catalog };
    return { chip: chip.id, ok: true, dtype_choice: choice, ...(w.mode === "training" ? trainingRow(run) : inferenceRow(run)) };
  } catch (e) {
    if (e instanceof XpusimError) return { chip: chip.id, ok: false, reason: e.diagnostics.map((d) => d.message).join("; "), dtype_choice: choice };
    throw e;
  }
}

export const compareJob = defineJob<CompareRequest, CompareResult>({
  id: "compare",
  summary: "one workload across several chips, ranked: inference (throughput, latency, memory, energy, cost) or a training step",
  supports: "every catalog or user chip and model; tp for inference; each chip's native dtype unless one is given; the smallest chip count that fits",
  run(req, catalog) {
    const model = catalog.model(req.model);
    const w = compareWorkload(model, req);
    const refs = req.chips === "all" ? catalog.chipIds() : req.chips;
    if (refs.length === 0) throw new XpusimError(error("E_SCHEMA", "chips", "at least one chip is needed", { hint: 'chip ids, spec files, or "all"' }));
    const chips = refs.map((ref) => catalog.chip(ref)); // unknown ids fail loudly before any work
    // An explicit system is the same for every chip: a bad one is bad input, not a chip that cannot run.
    const explicitSystem = req.system !== undefined ? catalog.system(req.system, chips[0]!, Math.max(1, w.tp)) : undefined;
    const rows = rankCompareRows(chips.map((chip) => rowFor(chip, req, w, model, explicitSystem, catalog)), w.mode);
    const feasible = rows.some((r) => r.ok && (r.training ? r.training.fits : r.inference!.fits || r.smallest_fit !== undefined));
    return {
      job: "compare",
      model: model.id,
      workload: w,
      dtype: req.dtype ?? "native",
      ...(explicitSystem ? { system: explicitSystem.id } : {}),
      rows,
      feasible,
      ...(feasible ? {} : { infeasible_reason: infeasibleReason(rows, model.id) }),
    };
  },
});

function infeasibleReason(rows: CompareRow[], model: string): string {
  if (rows.length === 0) return "no chips to compare";
  if (rows.every((r) => !r.ok)) return `none of the ${rows.length} chips can run ${model}`;
  return `${model} fits none of the ${rows.length} chips${rows.some((r) => r.ok && r.inference) ? ", at any chip count searched" : ""}`;
}
