import { assessChips, type AssessChipInput } from "../../assess/assess.js";
import { type AssessConditions, type AssessMode, type AssessResult, type AssessWorkload, type ChipAssessment, type FactorContext, type FactorKey, INFERENCE_FACTORS, TRAINING_FACTORS } from "../../assess/factor.js";
import { error, unknownId, XpusimError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { NATIVE_DTYPE_PREFERENCE, NATIVE_TRAINING_DTYPE_PREFERENCE, nativeMathDType } from "../../estimate/native-precision.js";
import type { Chip } from "../../hardware/chip.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import { formatPrecision, type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { compareWorkload } from "../compare-workload.js";
import { defineJob } from "../job.js";
import { scenarioSpec } from "../../spec/scenario-spec.js";
import { parseWith } from "../../spec/validate.js";

export type { AssessResult } from "../../assess/factor.js";

/**
 * The nine-factor assessment (issue #9): each chip judged on the factors of the mode for one workload,
 * each factor ranked among the chips, then a weighted ranking and the weight changes that flip the top
 * choice (assess/weights.ts). The workload is a model (with the shape below) or a scenario document
 * (kind inference or training: its model, precision, shape and chip count; its chip is ignored).
 * Defaults: inference batch 1, 2048 prompt + 256 generated tokens (capped at the model's context),
 * tp = count; training seq 2048 (capped), global batch 8 per chip, dp = count / (tp·pp), the other
 * knobs chosen per chip by the training chooser. Precision: as given for every chip, else each chip's
 * native math dtype (bf16, else fp16, fp8, int8; training bf16 or fp16).
 */
export interface AssessRequest {
  chips: readonly SpecRef[];
  /** A model reference; or give `scenario`. */
  model?: SpecRef;
  /** A scenario document (already read: an object), for its workload. */
  scenario?: unknown;
  /** Required unless the scenario's kind gives it. */
  mode?: string;
  /** Chips the workload runs on (default 1, or the scenario's count). */
  count?: number;
  precision?: PrecisionInput;
  /** Inference batch, or the training global batch. */
  batch?: number;
  seq_len?: number;
  input_tokens?: number;
  output_tokens?: number;
  image_size?: number;
  /** Training tensor- and pipeline-parallel degrees (default 1). */
  tp?: number;
  pp?: number;
  conditions?: AssessConditions;
  /** Weight per factor key of the mode (default 1 each), ≥ 0. */
  weights?: Readonly<Record<string, number>>;
  /** The host CPU ops fall back to (default intel-xeon-8490h, the DGX H100's CPU). */
  host?: SpecRef;
  /** Chip counts of the scalability curve (default 1, 8, 64, 1024, 16384). */
  scale_counts?: readonly number[];
  options?: EvaluateOptions;
  /** Library callers (the report job) receive each chip's factor context (its estimate, system, shared analyses) and assessment, in chip order; not part of the JSON request. */
  observe?: (ctx: FactorContext, assessment: ChipAssessment) => void;
}

export const DEFAULT_HOST_CPU = "intel-xeon-8490h";
/** Training: sequences per chip in the default global batch. */
export const TRAINING_BATCH_PER_CHIP = 8;

const MODES: readonly AssessMode[] = ["training", "inference"];

interface Shape {
  model: SpecRef;
  mode: AssessMode;
  count: number;
  precision?: PrecisionInput;
  fields: Pick<AssessRequest, "batch" | "seq_len" | "input_tokens" | "output_tokens" | "image_size" | "tp" | "pp">;
}

function checkMode(mode: unknown): AssessMode {
  if (mode === undefined) throw new XpusimError(error("E_SCHEMA", "mode", "an assessment needs a mode", { expected: "training or inference", hint: "--mode training|inference" }));
  if (!MODES.includes(mode as AssessMode)) throw new XpusimError(error("E_SCHEMA", "mode", `unknown mode "${String(mode)}"`, { expected: "training or inference", got: String(mode), hint: "--mode training|inference" }));
  return mode as AssessMode;
}

/** The workload of a scenario document, overridden by the request's own fields. */
function shapeOf(req: AssessRequest): Shape {
  const own = { batch: req.batch, seq_len: req.seq_len, input_tokens: req.input_tokens, output_tokens: req.output_tokens, image_size: req.image_size, tp: req.tp, pp: req.pp };
  const set = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  if (req.scenario === undefined) {
    if (req.model === undefined) throw new XpusimError(error("E_SCHEMA", "model", "an assessment needs a workload: a model or a scenario", { hint: "--workload <model id | scenario file>" }));
    return { model: req.model, mode: checkMode(req.mode), count: req.count ?? 1, ...(req.precision ? { precision: req.precision } : {}), fields: set(own) };
  }
  if (req.scenario === null || typeof req.scenario !== "object" || Array.isArray(req.scenario)) throw new XpusimError(error("E_SCHEMA", "scenario", "a scenario must be a mapping with kind, hardware and workload", { hint: "see docs/scenario.md and examples/*.yaml" }));
  const s = parseWith(scenarioSpec, req.scenario);
  if (s.kind !== "inference" && s.kind !== "training") throw new XpusimError(error("E_SCHEMA", "kind", `an assessment takes a kind: inference or training scenario, got kind: ${s.kind}`));
  if (!("model" in s.workload)) throw new XpusimError(error("E_SCHEMA", "workload", `kind: ${s.kind} needs \`workload: { model: <id or path> }\``));
  const mode = checkMode(req.mode ?? s.kind);
  const inf = s.inference;
  const tr = s.training;
  const fromScenario = mode === "inference" ? { batch: inf?.batch, input_tokens: inf?.input_tokens, output_tokens: inf?.output_tokens, image_size: inf?.image_size } : { batch: tr?.global_batch, seq_len: tr?.seq_len, image_size: tr?.image_size, tp: s.parallelism.tp, pp: s.parallelism.pp };
  return { model: req.model ?? s.workload.model, mode, count: req.count ?? s.hardware.count, precision: req.precision ?? s.precision, fields: { ...set(fromScenario), ...set(own) } };
}

export function checkWeights(weights: AssessRequest["weights"], mode: AssessMode): Partial<Record<FactorKey, number>> {
  if (!weights) return {};
  const keys: readonly string[] = mode === "training" ? TRAINING_FACTORS : INFERENCE_FACTORS;
  const diags: Diagnostic[] = [];
  for (const [k, v] of Object.entries(weights)) {
    if (!keys.includes(k)) diags.push(unknownId(`${mode} factor`, k, keys, `weights.${k}`));
    else if (typeof v !== "number" || !Number.isFinite(v) || v < 0) diags.push(error("E_RANGE", `weights.${k}`, "a weight must be a finite number ≥ 0", { got: String(v), hint: "e.g. --weights compute=2,cost=1" }));
  }
  if (diags.length) throw new XpusimError(diags);
  return weights as Partial<Record<FactorKey, number>>;
}

function checkConditions(c: AssessConditions | undefined): AssessConditions {
  if (!c) return {};
  const diags: Diagnostic[] = [];
  const check = (k: keyof AssessConditions, ok: (v: number) => boolean, want: string) => {
    const v = c[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || !ok(v))) diags.push(error("E_RANGE", `conditions.${k}`, `${k} must be ${want}`, { got: String(v) }));
  };
  for (const k of ["power_cap_w", "thermal_resistance_c_per_w", "amortisation_years"] as const) check(k, (v) => v > 0, "a positive number");
  for (const k of ["usd_per_kwh", "grid_kg_co2_per_kwh"] as const) check(k, (v) => v >= 0, "a number ≥ 0");
  check("ambient_c", () => true, "a number (°C)");
  if (c.pue !== undefined && !(c.pue >= 1)) diags.push(error("E_RANGE", "conditions.pue", "PUE is at least 1", { got: String(c.pue) }));
  if (c.utilisation !== undefined && !(c.utilisation > 0 && c.utilisation <= 1)) diags.push(error("E_RANGE", "conditions.utilisation", "utilisation is a fraction in (0, 1]", { got: String(c.utilisation) }));
  if (c.deployment !== undefined && !["cloud", "on-premises", "edge"].includes(c.deployment)) diags.push(error("E_SCHEMA", "conditions.deployment", `unknown deployment "${c.deployment}"`, { expected: "cloud, on-premises or edge" }));
  if (c.cooling !== undefined && !["air", "liquid"].includes(c.cooling)) diags.push(error("E_SCHEMA", "conditions.cooling", `unknown cooling "${c.cooling}"`, { expected: "air or liquid" }));
  if (diags.length) throw new XpusimError(diags);
  return c;
}

function chipInput(chip: Chip, catalog: Catalog, mode: AssessMode, requested: PrecisionInput | undefined): AssessChipInput {
  const ctx = catalog.context(chip);
  if (requested) {
    const precision = resolvePrecision(requested);
    return { chip, ctx, precision, precision_note: `${formatPrecision(precision)} (requested)` };
  }
  const pref = mode === "training" ? NATIVE_TRAINING_DTYPE_PREFERENCE : NATIVE_DTYPE_PREFERENCE;
  const native = nativeMathDType(chip, pref);
  const precision = resolvePrecision({ compute: native ?? "bf16" });
  return { chip, ctx, precision, precision_note: native ? `${native} (native)` : `bf16 (no ${pref.join("/")} matrix engine: run wider or on the host)` };
}

function workloadOf(model: ModelSpec, shape: Shape): { workload: AssessWorkload; label: string } {
  const f = shape.fields;
  const training = shape.mode === "training";
  const w = compareWorkload(model, {
    training,
    ...(f.batch !== undefined ? { batch: f.batch } : training ? { batch: TRAINING_BATCH_PER_CHIP * shape.count } : {}),
    ...(f.input_tokens !== undefined ? { input_tokens: f.input_tokens } : {}),
    ...(f.output_tokens !== undefined ? { output_tokens: f.output_tokens } : {}),
    ...(f.seq_len !== undefined ? { seq_len: f.seq_len } : {}),
    ...(f.image_size !== undefined ? { image_size: f.image_size } : {}),
  });
  const workload: AssessWorkload = { model: model.id, unit: w.unit, batch: w.batch, count: shape.count, ...(w.input_tokens !== undefined ? { input_tokens: w.input_tokens } : {}), ...(w.output_tokens !== undefined ? { output_tokens: w.output_tokens } : {}), ...(w.seq_len !== undefined ? { seq_len: w.seq_len } : {}), ...(w.image_size !== undefined ? { image_size: w.image_size } : {}) };
  const tokens = training ? (w.seq_len !== undefined ? `, seq ${w.seq_len}` : "") : w.input_tokens !== undefined ? `, ${w.input_tokens}${w.output_tokens !== undefined ? `+${w.output_tokens}` : ""} tokens` : "";
  const image = w.image_size !== undefined ? `, ${w.image_size} px` : "";
  const label = `${model.id}, ${shape.mode}, ${training ? "global batch" : "batch"} ${w.batch}${tokens}${image}, ${shape.count} chip${shape.count === 1 ? "" : "s"}`;
  return { workload, label };
}

/** A chip of the request; a lookup error names its place in `chips`. */
function chipAt(catalog: Catalog, ref: SpecRef, i: number): Chip {
  try {
    return catalog.chip(ref);
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    throw new XpusimError(e.diagnostics.map((d) => (d.path ? d : { ...d, path: `chips[${i}]` })));
  }
}

export const assessJob = defineJob<AssessRequest, AssessResult>({
  id: "assess",
  summary: "the nine-factor assessment of chips for a workload: each factor's value, unit, rank and limit, a weighted ranking and what flips the top choice",
  supports: "training (compute, memory, data_transfer, power, thermal, precision, flexibility, scalability, cost) and inference (latency, throughput, power, cost, flexibility, security, deployment); every catalog or user chip and model; a scenario as the workload",
  run(req, catalog) {
    if (!Array.isArray(req.chips) || req.chips.length === 0) throw new XpusimError(error("E_SCHEMA", "chips", "at least one chip is needed", { hint: "--chips a,b,c" }));
    const shape = shapeOf(req);
    if (!Number.isSafeInteger(shape.count) || shape.count < 1) throw new XpusimError(error("E_RANGE", "count", "the chip count is a positive integer", { got: String(shape.count) }));
    const weights = checkWeights(req.weights, shape.mode);
    const conditions = checkConditions(req.conditions);
    const chips = req.chips.map((ref, i) => chipAt(catalog, ref, i)); // unknown ids fail before any work
    const model = catalog.model(shape.model);
    const { workload, label } = workloadOf(model, shape);
    let host: Chip | undefined;
    try {
      host = catalog.chip(req.host ?? DEFAULT_HOST_CPU);
    } catch (e) {
      if (req.host !== undefined || !(e instanceof XpusimError)) throw e;
    }
    const result = assessChips({
      mode: shape.mode,
      model,
      workload,
      workload_label: label,
      chips: chips.map((c) => chipInput(c, catalog, shape.mode, shape.precision)),
      systemFor: (chip, n) => catalog.system(undefined, chip, n),
      ...(host ? { host } : {}),
      conditions,
      money: catalog.money(),
      energy: catalog.energy(),
      weights,
      ...(shape.fields.tp !== undefined ? { tp: shape.fields.tp } : {}),
      ...(shape.fields.pp !== undefined ? { pp: shape.fields.pp } : {}),
      ...(req.scale_counts ? { scale_counts: req.scale_counts } : {}),
      ...(req.options ? { options: req.options } : {}),
      ...(req.observe ? { observe: req.observe } : {}),
    });
    return { ...result, notes: [...(result.notes ?? []), ...(host ? [`host fallback priced on ${host.id}`] : ["no host CPU in the catalog: host fallback cannot be timed"])] };
  },
});
