import { XpusimError } from "../diagnostics/diagnostic.js";
import { type MeasuredPoint, measuredUnit, unknownUnitReason } from "./measured-point.js";
import { canonicalCategory, canonicalMetric } from "./metric-names.js";
import { validateAttentionPoint } from "./validate-attention.js";
import { validateCnnTrainingPoint } from "./validate-cnn-training.js";
import { validateCollectivePoint } from "./validate-collective.js";
import { validateFpgaPoint } from "./validate-fpga.js";
import { validateGemmPoint } from "./validate-gemm.js";
import { validateInferencePoint } from "./validate-inference.js";
import { validateLlmTrainingPoint } from "./validate-llm-training.js";
import { validatePowerPoint } from "./validate-power.js";
import { validateServingPoint } from "./validate-serving.js";
import { validateTransformerLayerPoint } from "./validate-transformer-layer.js";
import { type PointContext, pointFields, unsupportedResult, type ValidationResolvers, type ValidationResult, type ValidationSummary } from "./validation-result.js";

/**
 * The validation harness: turns each measured point into a scenario, predicts it, and reports the
 * signed error (predicted − measured) / measured. Points that cannot be modelled yet are returned as
 * `unsupported` with the reason — never skipped silently. Each category has its predictor, one file each.
 */
export type { ValidationResolvers, ValidationResult, ValidationSummary } from "./validation-result.js";

/** The predictor of each category of measured point (collective points are resolved before the chip). */
const PREDICTORS: Record<string, (pc: PointContext) => ValidationResult> = {
  gemm: validateGemmPoint,
  attention: validateAttentionPoint,
  cnn_inference: validateInferencePoint,
  llm_inference: validateInferencePoint,
  serving: validateServingPoint,
  cnn_training: validateCnnTrainingPoint,
  llm_training: validateLlmTrainingPoint,
  memory: validateLlmTrainingPoint,
  transformer_layer: validateTransformerLayerPoint,
  power: validatePowerPoint,
  energy: validatePowerPoint,
  fpga: validateFpgaPoint,
};

/** Categories whose points name an operation, not a model. */
const KERNELS = new Set(["gemm", "attention"]);

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of `xs`, linearly interpolated between the closest ranks (Hyndman & Fan
 * 1996 type 7, numpy's default): rank h = (n − 1)·q, value s[⌊h⌋] + (h − ⌊h⌋)·(s[⌊h⌋+1] − s[⌊h⌋]).
 * quantile(xs, 0.5) is the median.
 */
export function quantile(xs: readonly number[], q: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

/** Median, 90th percentile and maximum of the |errors| of a set of points (nothing when empty). */
function errorStats(errs: readonly number[]): { median_abs_error?: number; p90_abs_error?: number; max_abs_error?: number } {
  const med = median(errs);
  if (med === undefined) return {};
  return { median_abs_error: med, p90_abs_error: quantile(errs, 0.9)!, max_abs_error: Math.max(...errs) };
}

/**
 * The point as the harness reads it: category and metric in their canonical names (metric-names.ts),
 * with the assumption made to read them; a string names the field that cannot be read and the fix.
 */
function normalizedPoint(raw: MeasuredPoint): { p: MeasuredPoint; assumption?: string } | { category: string; reason: string } {
  const category = canonicalCategory(raw.category);
  const unit = measuredUnit(raw.unit);
  if (!unit) return { category, reason: unknownUnitReason(raw.unit) };
  const metric = canonicalMetric(category, raw.metric, unit, raw.chip_count);
  if ("reason" in metric) return { category, reason: `field "metric": ${metric.reason}` };
  return { p: { ...raw, category, metric: metric.metric }, ...(metric.assumption ? { assumption: metric.assumption } : {}) };
}

/** Predicts one point in SI units of its metric, or explains why it cannot. */
export function validatePoint(raw: MeasuredPoint, r: ValidationResolvers): ValidationResult {
  const norm = normalizedPoint(raw);
  if ("reason" in norm) return unsupportedResult({ ...raw, category: norm.category }, norm.reason);
  // Results name the point as its file does, with the category the harness grouped it in.
  const shown: MeasuredPoint = { ...raw, category: norm.p.category };
  const p = norm.p;
  const measuredSi = p.value * measuredUnit(p.unit)!.factor;
  // Collective points name a system (which gives the chip), so they are resolved before the chip lookup.
  if (p.category === "collective") return validateCollectivePoint(p, r);
  const chip = r.chipByName(p.hardware);
  if (!chip) return unsupportedResult(shown, `field "hardware": "${p.hardware}" matches no catalog chip or alias; name a catalog chip (xpusim chips) or add an alias to its catalog/chips file`);
  const predict = PREDICTORS[p.category];
  if (!predict) return unsupportedResult(shown, `field "category": "${raw.category}" is not known to the harness; use one of ${[...Object.keys(PREDICTORS), "collective"].join(", ")}`, chip);
  const sup = r.supplement?.(p.id);
  const assumptions: string[] = sup ? [`config supplemented from ${sup.source}`] : [];
  if (norm.assumption) assumptions.push(norm.assumption);
  if (!KERNELS.has(p.category)) {
    const note = r.modelNote?.(p.model, sup ? { ...p.config, ...sup.config } : p.config);
    if (note) assumptions.push(note);
  }
  try {
    return predict({
      p,
      r,
      chip,
      cfg: sup ? { ...p.config, ...sup.config } : p.config,
      ctx: r.context(chip),
      assumptions,
      ok: (predictedSi) => {
        const predicted = (predictedSi / measuredSi) * p.value;
        return {
          ...pointFields(shown),
          chip: chip.id,
          measured: p.value,
          ...(p.range ? { measured_range: p.range } : {}),
          predicted,
          error: p.range ? errorToRange(predicted, p.range) : (predictedSi - measuredSi) / measuredSi,
          status: "ok",
          assumptions,
        };
      },
      unsupported: (reason) => unsupportedResult(shown, reason, chip),
    });
  } catch (e) {
    if (e instanceof XpusimError) return { ...unsupportedResult(shown, e.diagnostics.map((d) => d.message).join("; "), chip), status: "failed" };
    throw e;
  }
}

/** Signed error of a prediction against a measured range: 0 inside it, else relative to the nearer bound. */
export function errorToRange(predicted: number, range: readonly [number, number]): number {
  const lo = Math.min(range[0], range[1]);
  const hi = Math.max(range[0], range[1]);
  if (predicted > hi) return (predicted - hi) / hi;
  if (predicted < lo) return (predicted - lo) / lo;
  return 0;
}

/** Predicts every point; median, p90 and max |error| per category (in order of first appearance) and overall. */
export function runValidation(points: readonly MeasuredPoint[], r: ValidationResolvers): ValidationSummary {
  const results = points.map((p) => validatePoint(p, r));
  const cats = [...new Set(results.map((x) => x.category))];
  const by_category = cats.map((category) => {
    const rs = results.filter((x) => x.category === category);
    const errs = rs.filter((x) => x.status === "ok").map((x) => Math.abs(x.error!));
    return { category, points: rs.length, predicted: errs.length, ...errorStats(errs) };
  });
  const all = results.filter((x) => x.status === "ok").map((x) => Math.abs(x.error!));
  return { results, by_category, overall: { points: results.length, predicted: all.length, ...errorStats(all) } };
}
