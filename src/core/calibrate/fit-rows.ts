import type { Chip } from "../hardware/chip.js";
import type { ResolvedEfficiency } from "../spec/family-spec.js";
import type { MeasuredPoint } from "../validate/measured-point.js";
import { validatePoint, type ValidationResolvers } from "../validate/run-validation.js";
import { type FamilyValues, logResidual, pointResidual } from "./evaluate-point.js";
import { type CalibrationParam, candidateParams } from "./parameters.js";

/**
 * The rows of a calibration: each predicted point with its chip's family, its residual under the
 * catalog values, and the parameters it exercises (finite-difference sensitivity of its prediction).
 */
export interface FitRow {
  point: MeasuredPoint;
  category: string;
  chip?: string;
  family?: string;
  /** log(predicted / measured) under the catalog values; undefined when the point is not predicted. */
  r0?: number;
  /** Parameter id → d log(predicted) / d u at the catalog values (u: the value in prior scales). */
  exercised: Map<string, number>;
}

/** Step of the finite differences, in prior scales. */
export const FD_STEP = 0.05;

/** Every point predicted with the catalog values (the harness's category, the chip and its family). */
export function baselineRows(points: readonly MeasuredPoint[], r: ValidationResolvers): FitRow[] {
  return points.map((point) => {
    const result = validatePoint(point, r);
    const chip = result.status === "ok" && point.category !== "collective" ? r.chipByName(point.hardware) : undefined;
    const r0 = logResidual(result);
    return {
      point,
      category: result.category,
      ...(result.chip ? { chip: result.chip } : {}),
      ...(chip ? { family: chip.family } : {}),
      ...(r0 !== undefined ? { r0 } : {}),
      exercised: new Map(),
    };
  });
}

/** The candidate parameters of every family the rows' chips belong to. */
export function candidatesByFamily(points: readonly MeasuredPoint[], rows: readonly FitRow[], r: ValidationResolvers, efficiencyOf: (chip: Chip) => ResolvedEfficiency): Map<string, CalibrationParam[]> {
  const out = new Map<string, CalibrationParam[]>();
  rows.forEach((row, i) => {
    if (row.family === undefined || out.has(row.family)) return;
    const chip = r.chipByName(points[i]!.hardware);
    if (chip) out.set(row.family, candidateParams(row.family, efficiencyOf(chip)));
  });
  return out;
}

/** Values of one family's parameters at normalised positions u (value = catalog + u × prior scale). */
export function familyValues(params: readonly CalibrationParam[], u: readonly number[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  params.forEach((p, j) => {
    const rec = out.get(p.family) ?? {};
    rec[p.key] = p.catalog + u[j]! * p.prior_scale;
    out.set(p.family, rec);
  });
  return out;
}

/** A one-sided step that stays inside the bounds (toward the interior at a bound). */
export function fdStep(p: CalibrationParam, value: number): number {
  const h = FD_STEP * p.prior_scale;
  return value + h <= p.bounds[1] ? FD_STEP : -FD_STEP;
}

/** d residual / d u of one point for one parameter, at `values` (which hold the parameter's current value). */
export function derivative(row: FitRow, p: CalibrationParam, base: number, values: FamilyValues, r: ValidationResolvers): number | undefined {
  const current = values.get(p.family)?.[p.key] ?? p.catalog;
  const step = fdStep(p, current);
  const moved = new Map(values);
  moved.set(p.family, { ...(values.get(p.family) ?? {}), [p.key]: current + step * p.prior_scale });
  const r1 = pointResidual(row.point, r, moved);
  return r1 === undefined ? undefined : (r1 - base) / step;
}

/** Fills each row's exercised parameters: those whose move by one prior scale changes the prediction by at least `threshold` (log). */
export function findExercised(rows: FitRow[], candidates: ReadonlyMap<string, readonly CalibrationParam[]>, r: ValidationResolvers, threshold: number): number {
  let evaluations = 0;
  for (const row of rows) {
    if (row.family === undefined || row.r0 === undefined) continue;
    for (const p of candidates.get(row.family) ?? []) {
      const d = derivative(row, p, row.r0, new Map(), r);
      evaluations++;
      if (d !== undefined && Math.abs(d) >= threshold) row.exercised.set(p.id, d);
    }
  }
  return evaluations;
}
