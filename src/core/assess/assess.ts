import type { MoneyCatalog } from "../spec/money-spec.js";
import type { EnergyCatalog } from "../spec/energy-spec.js";
import type { CostContext } from "../cost/contract.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import { estimateInference, type InferenceEstimate } from "../estimate/estimate-inference.js";
import type { TrainingEstimate } from "../estimate/estimate-training.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import type { Chip } from "../hardware/chip.js";
import type { System } from "../network/build-system.js";
import { estimateTrainingWithDefaults } from "../search/training-defaults.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Precision } from "../workload/precision.js";
import type { AssessConditions, AssessMode, AssessResult, AssessWorkload, ChipAssessment, FactorContext, FactorKey, FactorValue, SharedAnalyses } from "./factor.js";
import { si } from "./factors/needs.js";
import { computePowerOf } from "./factors/power-analysis.js";
import type { PowerOfEstimate } from "../power/index.js";
import { profileOps } from "./op-profile.js";
import { rankValues } from "./rank.js";
import { FACTOR_PROVIDERS, factorKeys } from "./registry.js";
import { scalingCurve, type ScalingCurve } from "./scaling-curve.js";
import { applyRanking, rankAssessedChips } from "./assessment-ranking.js";

/**
 * The assessment: for each chip, one estimate of the workload (inference: prefill + decode on
 * `count` chips with tp = count; training: one step on `count` chips, dp filling them, the unset
 * knobs chosen by the training chooser as the training job does), shared by every provider of the
 * mode; then each factor ranked among the chips, and the weighted ranking with its flips.
 * Lookups (chips, systems) are resolved by the caller (the assess job), so this stays browser-safe.
 */
export interface AssessChipInput {
  chip: Chip;
  ctx: CostContext;
  precision: Precision;
  /** How the precision was chosen ("bf16 (requested)", "fp16 (native: no bf16 matrix math)"). */
  precision_note: string;
}

export interface AssessInput {
  mode: AssessMode;
  model: ModelSpec;
  workload: AssessWorkload;
  workload_label: string;
  chips: readonly AssessChipInput[];
  /** The system `count` chips of `chip` sit in (the chip's usual one by default); undefined for one chip. */
  systemFor: (chip: Chip, count: number) => System | undefined;
  /** The host CPU ops fall back to (flexibility). */
  host?: Chip;
  conditions: AssessConditions;
  /** Ownership defaults (catalog.money()) for the cost factor. */
  money?: MoneyCatalog;
  /** Cooling and facility tables (catalog.energy()) for the power and thermal factors. */
  energy?: EnergyCatalog;
  weights?: Partial<Record<FactorKey, number>>;
  /** Training layout degrees (default tp = pp = 1, dp = count). */
  tp?: number;
  pp?: number;
  /** Chip counts of the scalability curve (default 1, 8, 64, 1024, 16384). */
  scale_counts?: readonly number[];
  options?: EvaluateOptions;
  /** Library callers (the report) see each chip's factor context — its estimate, system and shared analyses — once its factors are computed. */
  observe?: (ctx: FactorContext, assessment: ChipAssessment) => void;
}

interface Estimates {
  inference?: InferenceEstimate;
  training?: TrainingEstimate;
  system?: System;
  issue?: string;
}

const messageOf = (e: XpusimError): string => e.diagnostics.map((d) => d.message).join("; ");

function estimatesFor(c: AssessChipInput, input: AssessInput): Estimates {
  const w = input.workload;
  let system: System | undefined;
  try {
    system = w.count > 1 ? input.systemFor(c.chip, w.count) : undefined;
    const opts = input.options ?? {};
    if (input.mode === "inference") {
      const image = w.image_size !== undefined ? { image_size: w.image_size } : {};
      const inference = estimateInference({ model: input.model, precision: c.precision, batch: w.batch, input_tokens: w.input_tokens ?? 1, output_tokens: w.output_tokens ?? 0, ...image, chips: w.count, tp: w.count, pp: 1, ...(system ? { system } : {}) }, c.ctx, opts);
      return { inference, ...(system ? { system } : {}), ...(inference.fits ? {} : { issue: `does not fit: ${si(inference.memory_per_chip_bytes, "B")} per chip needed, ${si(c.chip.memory.main.capacity_bytes, "B")} available` }) };
    }
    const tp = input.tp ?? 1;
    const pp = input.pp ?? 1;
    const dp = Math.max(1, Math.floor(w.count / (tp * pp)));
    const image = w.image_size !== undefined ? { image_size: w.image_size } : {};
    const training = estimateTrainingWithDefaults({ model: input.model, precision: c.precision, global_batch: w.batch, seq_len: w.seq_len ?? 1, ...image, chips: w.count, tp, pp, dp, ep: 1, cp: 1, ...(system ? { system } : {}) }, c.ctx, opts);
    return { training, ...(system ? { system } : {}), ...(training.fits ? {} : { issue: `no layout fits on ${w.count} chip(s) (tp ${tp}, pp ${pp}, dp ${dp}): short by ${si(training.shortfall_bytes, "B")} per chip` }) };
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    return { ...(system ? { system } : {}), issue: `no ${input.mode} estimate: ${messageOf(e)}` };
  }
}

/** Lazily computed analyses of one chip, each at most once. */
function sharedFor(c: AssessChipInput, input: AssessInput, est: Estimates, ctx: () => FactorContext): SharedAnalyses {
  let profile: ReturnType<SharedAnalyses["opProfile"]> | undefined;
  let curve: ScalingCurve | undefined;
  let power: { value?: PowerOfEstimate; error?: unknown } | undefined;
  const w = input.workload;
  return {
    power: () => {
      if (!power) {
        try {
          power = { value: computePowerOf(ctx()) };
        } catch (e) {
          power = { error: e };
        }
      }
      if (power.error !== undefined) throw power.error;
      return power.value!;
    },
    opProfile: () => (profile ??= profileOps(input.mode, c.ctx, input.model, w, c.precision, input.host, est.training?.layout.microbatch ?? 1)),
    scalingCurve: () =>
      (curve ??= scalingCurve({
        ctx: c.ctx,
        model: input.model,
        precision: c.precision,
        seq_len: w.seq_len ?? 1,
        ...(w.image_size !== undefined ? { image_size: w.image_size } : {}),
        batch_per_chip: Math.max(1, Math.floor(w.batch / w.count)),
        systemFor: (n) => input.systemFor(c.chip, n),
        ...(input.scale_counts ? { counts: input.scale_counts } : {}),
        ...(input.options ? { options: input.options } : {}),
      })),
  };
}

function contextFor(c: AssessChipInput, input: AssessInput, est: Estimates): FactorContext {
  const ctx: FactorContext = {
    mode: input.mode,
    chip: c.chip,
    cost: c.ctx,
    chips: input.workload.count,
    model: input.model,
    precision: c.precision,
    conditions: input.conditions,
    workload: input.workload,
    shared: sharedFor(c, input, est, () => ctx),
    ...(est.inference ? { inference: est.inference } : {}),
    ...(est.training ? { training: est.training } : {}),
    ...(est.system ? { system: est.system } : {}),
    ...(est.issue ? { estimate_issue: est.issue } : {}),
    ...(input.money ? { money: input.money } : {}),
    ...(input.energy ? { energy: input.energy } : {}),
  };
  return ctx;
}

/**
 * The power analysis, made once before the providers run: impossible conditions (a cap at or below a
 * chip's idle power, ambient at or above its junction limit) are bad input for the whole assessment,
 * not an unknown factor; other errors stay with the chip (its power-dependent factors say why).
 */
function checkPowerConditions(ctx: FactorContext): void {
  try {
    ctx.shared?.power?.();
  } catch (e) {
    if (!(e instanceof XpusimError) || !e.diagnostics.some((d) => d.path?.startsWith("conditions."))) return;
    throw new XpusimError(e.diagnostics.map((d) => (d.path && FLAG_OF[d.path] ? { ...d, message: `${ctx.chip.id}: ${d.message}`, hint: `set ${FLAG_OF[d.path]} (${d.path})${d.hint ? `; ${d.hint}` : ""}` } : d)));
  }
}

/** The CLI flags of the conditions the power model checks. */
const FLAG_OF: Record<string, string> = {
  "conditions.power_cap_w": "--power-cap",
  "conditions.ambient_c": "--ambient",
  "conditions.thermal_resistance_c_per_w": "--thermal-resistance",
  "conditions.pue": "--pue",
  "conditions.usd_per_kwh": "--usd-per-kwh",
  "conditions.grid_kg_co2_per_kwh": "--co2",
};

/** A provider that throws bad-data errors gives an unknown factor with the message, not a crash. */
function runProvider(key: FactorKey, ctx: FactorContext): FactorValue {
  try {
    return FACTOR_PROVIDERS[key](ctx);
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    return { value: null, unit: "", better: "higher", rank: null, limited_by: null, note: messageOf(e), basis: "derived", missing: [key] };
  }
}

export function assessChips(input: AssessInput): AssessResult {
  const keys = factorKeys(input.mode);
  const chips: ChipAssessment[] = input.chips.map((c) => {
    const est = estimatesFor(c, input);
    const ctx = contextFor(c, input, est);
    checkPowerConditions(ctx);
    const factors: ChipAssessment["factors"] = {};
    for (const k of keys) factors[k] = runProvider(k, ctx);
    const assessment: ChipAssessment = { chip: c.chip.id, name: c.chip.name, precision: c.precision_note, factors, ...(est.issue ? { infeasible_reason: est.issue } : {}) };
    input.observe?.(ctx, assessment);
    return assessment;
  });
  for (const k of keys) {
    const values = chips.map((c) => c.factors[k]!.value);
    const better = (chips.find((c) => c.factors[k]!.value !== null) ?? chips[0])?.factors[k]?.better ?? "higher";
    const ranks = rankValues(values, better);
    chips.forEach((c, i) => (c.factors[k]!.rank = ranks[i] ?? null));
  }
  const ranking = rankAssessedChips(chips, keys, input.weights ?? {});
  applyRanking(chips, ranking);
  return { mode: input.mode, workload: input.workload_label, factor_keys: [...keys], chips, conditions: input.conditions, ranking };
}
