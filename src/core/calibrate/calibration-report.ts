import type { CategoryCheck } from "./category-check.js";
import type { FitRound } from "./calibrate.js";
import type { FitRow } from "./fit-rows.js";
import type { CalibrationOverlay, ErrorBand, OverlayValue } from "../spec/calibration-overlay.js";
import type { CalibrationParam } from "./parameters.js";
import { errorSummary, type ErrorSummary, relativeError } from "./stats.js";

/** What `calibrate` answers: the fitted parameters, held-out error before and after, error bands. */
export interface CalibrationReport {
  points: { total: number; predicted: number; used: number };
  /** Fitted parameters (catalog value, bounds, calibrated value, relative change, points exercising it). */
  parameters: Array<CalibrationParam & { calibrated: number; change: number; points: number }>;
  /** Parameters removed from the fit because a held-out category would get worse than its noise. */
  dropped: Array<{ parameter: string; categories: string[]; reason: string }>;
  cross_validation: {
    method: "leave-one-out" | "k-fold" | "none";
    folds: number;
    by_category: CategoryCheck[];
    overall: { before?: ErrorSummary; after?: ErrorSummary };
  };
  /** Held-out |error| per category after calibration: the band predictions carry. */
  error_bands: ErrorBand[];
  fit: {
    loss: "huber";
    loss_scale: number;
    prior_weight: number;
    sensitivity_threshold: number;
    iterations: number;
    /** Point predictions the calibration ran (sensitivity, Gauss–Newton, cross-validation). */
    evaluations: number;
    /** In-sample |error| of the fitted points with the catalog values and with the fitted values. */
    residuals: { before?: ErrorSummary; after?: ErrorSummary };
  };
  /** Every point: the parameters it exercises and its error before, fitted (in-sample) and held out. */
  results: Array<{ id: string; category: string; chip?: string; family?: string; parameters: string[]; error_before?: number; error_fitted?: number; error_held_out?: number }>;
}

interface Assembly {
  rows: readonly FitRow[];
  round: FitRound;
  dropped: CalibrationReport["dropped"];
  evaluations: number;
  options: { lossScale: number; priorWeight: number; sensitivityThreshold: number };
  candidates: ReadonlyMap<string, readonly CalibrationParam[]>;
}

const signed = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? undefined : relativeError(r));

function fittedParameters(a: Assembly): CalibrationReport["parameters"] {
  return a.round.params.map((p, j) => {
    const calibrated = p.catalog + a.round.u[j]! * p.prior_scale;
    return { ...p, calibrated, change: calibrated / p.catalog - 1, points: a.round.used.filter((row) => row.exercised.has(p.id)).length };
  });
}

function pointResults(a: Assembly): CalibrationReport["results"] {
  const active = new Set(a.round.params.map((p) => p.id));
  return a.rows.map((row) => {
    const before = signed(row.r0);
    const fitted = a.round.fitted.has(row) ? signed(a.round.fitted.get(row)) : before;
    const held = a.round.heldOut.has(row) ? signed(a.round.heldOut.get(row)) : before;
    return {
      id: row.point.id,
      category: row.category,
      ...(row.chip ? { chip: row.chip } : {}),
      ...(row.family ? { family: row.family } : {}),
      parameters: [...row.exercised.keys()].filter((id) => active.has(id)),
      ...(before !== undefined ? { error_before: before } : {}),
      ...(fitted !== undefined ? { error_fitted: fitted } : {}),
      ...(held !== undefined ? { error_held_out: held } : {}),
    };
  });
}

export function assembleCalibration(a: Assembly): CalibrationReport {
  const results = pointResults(a);
  const predicted = results.filter((x) => x.error_before !== undefined);
  const usedIds = new Set(a.round.used.map((row) => row.point.id));
  const used = results.filter((x) => usedIds.has(x.id));
  const before = errorSummary(predicted.map((x) => x.error_before!));
  const after = errorSummary(predicted.map((x) => x.error_held_out ?? 1));
  const fitBefore = errorSummary(used.map((x) => x.error_before!));
  const fitAfter = errorSummary(used.map((x) => x.error_fitted ?? 1));
  return {
    points: { total: a.rows.length, predicted: predicted.length, used: used.length },
    parameters: fittedParameters(a),
    dropped: a.dropped,
    cross_validation: {
      method: a.round.folds === 0 ? "none" : a.round.folds === a.round.used.length ? "leave-one-out" : "k-fold",
      folds: a.round.folds,
      by_category: a.round.checks,
      overall: { ...(before ? { before } : {}), ...(after ? { after } : {}) },
    },
    error_bands: a.round.checks.map((c) => ({ category: c.category, ...c.after, points: c.points })),
    fit: {
      loss: "huber",
      loss_scale: a.options.lossScale,
      prior_weight: a.options.priorWeight,
      sensitivity_threshold: a.options.sensitivityThreshold,
      iterations: a.round.iterations,
      evaluations: a.evaluations,
      residuals: { ...(fitBefore ? { before: fitBefore } : {}), ...(fitAfter ? { after: fitAfter } : {}) },
    },
    results,
  };
}

/** The overlay file's content for a report (`--out`). */
export function overlayFromReport(report: CalibrationReport, provenance: { file?: string; created: string }): CalibrationOverlay {
  const families: Record<string, Record<string, OverlayValue>> = {};
  for (const p of report.parameters) {
    (families[p.family] ??= {})[p.key] = { value: p.calibrated, catalog: p.catalog, bounds: p.bounds, bound_source: p.bound_source, points: p.points };
  }
  return {
    xpusim_calibration: 1,
    created: provenance.created,
    ...(provenance.file !== undefined ? { measured_file: provenance.file } : {}),
    points_used: report.points.used,
    families,
    error_bands: report.error_bands,
    fit: { ...report.fit, dropped: report.dropped },
    cross_validation: { method: report.cross_validation.method, folds: report.cross_validation.folds, overall: report.cross_validation.overall, by_category: report.cross_validation.by_category },
  };
}
