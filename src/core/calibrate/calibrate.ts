import type { Chip } from "../hardware/chip.js";
import type { ResolvedEfficiency } from "../spec/family-spec.js";
import type { MeasuredPoint } from "../validate/measured-point.js";
import type { ValidationResolvers } from "../validate/run-validation.js";
import { baselineRows, candidatesByFamily, findExercised, type FitRow } from "./fit-rows.js";
import { crossValidate, type FitSetup, gaussNewton } from "./gauss-newton.js";
import { type CalibrationParam } from "./parameters.js";
import { type CategoryCheck, checkCategories } from "./category-check.js";
import { assembleCalibration, type CalibrationReport } from "./calibration-report.js";

/**
 * `xpusim calibrate`: fit the family efficiency parameters a user's measured points exercise, by
 * bounded, regularised robust least squares on log(predicted / measured), and report held-out
 * (leave-one-out or k-fold) error before and after, per category. A category whose held-out error
 * would get worse by more than its own noise has its parameters dropped from the fit (reported).
 * docs/calibrate.md describes the method.
 */
export interface CalibrationOptions {
  /** Cross-validation folds; default leave-one-out up to LOO_MAX_POINTS fitted points, else 10. */
  folds?: number;
  /** Huber scale c in log(predicted/measured) (default 0.05: beyond 5% a residual counts linearly). */
  lossScale?: number;
  /** Prior weight τ: moving a parameter one prior scale costs as much as a residual of τ (default 0.05, the loss scale). */
  priorWeight?: number;
  /** A parameter is exercised by a point when a one-prior-scale move changes its prediction by at least this (log; default 0.005). */
  sensitivityThreshold?: number;
  /** Gauss–Newton iterations (default 5). */
  maxIterations?: number;
}

export interface CalibrationInput {
  points: readonly MeasuredPoint[];
  resolvers: ValidationResolvers;
  /** The chip's resolved efficiency with provenance (the ranges that bound the fit). */
  efficiencyOf(chip: Chip): ResolvedEfficiency;
  options?: CalibrationOptions;
}

export const LOO_MAX_POINTS = 200;
export const DEFAULTS = { lossScale: 0.05, priorWeight: 0.05, sensitivityThreshold: 0.005, maxIterations: 5 } as const;

export type { CalibrationReport } from "./calibration-report.js";

/** One fit with cross-validation over the active parameters. */
interface FitRound {
  params: CalibrationParam[];
  used: FitRow[];
  u: number[];
  fitted: Map<FitRow, number>;
  heldOut: Map<FitRow, number>;
  checks: CategoryCheck[];
  iterations: number;
  evaluations: number;
  folds: number;
}

function fitRound(rows: readonly FitRow[], params: CalibrationParam[], r: ValidationResolvers, o: Required<CalibrationOptions>): FitRound {
  const ids = new Set(params.map((p) => p.id));
  const used = rows.filter((row) => row.r0 !== undefined && [...row.exercised.keys()].some((id) => ids.has(id)));
  const folds = Math.max(2, Math.min(o.folds || (used.length <= LOO_MAX_POINTS ? used.length : 10), used.length));
  const setup: FitSetup = { rows: used, params, resolvers: r, options: { priorWeight: o.priorWeight, lossScale: o.lossScale }, maxIterations: o.maxIterations };
  const fit = used.length > 0 ? gaussNewton(setup) : { u: [], r: [], linear: { a: [], J: [] }, iterations: 0, evaluations: 0 };
  const cv = used.length > 1 ? crossValidate(setup, fit, folds) : { residuals: used.map((row) => row.r0!), evaluations: 0 };
  const fitted = new Map(used.map((row, i) => [row, fit.r[i]!]));
  const heldOut = new Map(used.map((row, i) => [row, cv.residuals[i]!]));
  return { params, used, u: fit.u, fitted, heldOut, checks: checkCategories(rows, heldOut), iterations: fit.iterations, evaluations: fit.evaluations + cv.evaluations, folds: used.length > 1 ? folds : 0 };
}

export function calibrate(input: CalibrationInput): CalibrationReport {
  const o: Required<CalibrationOptions> = { folds: 0, ...DEFAULTS, ...input.options };
  const rows = baselineRows(input.points, input.resolvers);
  const candidates = candidatesByFamily(input.points, rows, input.resolvers, input.efficiencyOf);
  let evaluations = rows.length + findExercised(rows, candidates, input.resolvers, o.sensitivityThreshold);
  const exercised = new Set(rows.flatMap((row) => [...row.exercised.keys()]));
  let params = [...candidates.values()].flat().filter((p) => exercised.has(p.id));
  const dropped: CalibrationReport["dropped"] = [];
  for (;;) {
    const round = fitRound(rows, params, input.resolvers, o);
    evaluations += round.evaluations;
    const worse = round.checks.filter((c) => c.worsened);
    const drop = new Set(worse.flatMap((c) => rows.filter((row) => row.category === c.category).flatMap((row) => [...row.exercised.keys()])));
    const keep = params.filter((p) => !drop.has(p.id));
    if (worse.length === 0 || keep.length === params.length) return assembleCalibration({ rows, round, dropped, evaluations, options: o, candidates });
    for (const p of params.filter((x) => drop.has(x.id))) {
      const by = worse.filter((c) => rows.some((row) => row.category === c.category && row.exercised.has(p.id))).map((c) => c.category);
      dropped.push({ parameter: p.id, categories: by, reason: `held-out error of ${by.join(", ")} would grow by more than its noise` });
    }
    params = keep;
  }
}

export type { FitRound };
