import type { ValidationResolvers } from "../validate/run-validation.js";
import { pointResidual } from "./evaluate-point.js";
import { derivative, familyValues, type FitRow } from "./fit-rows.js";
import type { CalibrationParam } from "./parameters.js";
import { fitLinearRobust, type LinearRows, robustCost, type RobustFitOptions } from "./robust-fit.js";

/**
 * Bounded Gauss–Newton over the engine's own predictions (a Levenberg–Marquardt variant whose
 * damping is the prior and a step-halving line search): linearise each used point's log residual in
 * the active parameters by finite differences, take the robust bounded step of the linear model
 * (robust-fit.ts), keep it only if the true robust cost falls.
 */
export interface FitState {
  /** Normalised parameter positions (0 = catalog, 1 = one prior scale). */
  u: number[];
  /** Residuals of the used rows at u. */
  r: number[];
  /** Linearisation at u: offsets and Jacobian rows of the used rows. */
  linear: LinearRows;
  iterations: number;
  evaluations: number;
}

export interface FitSetup {
  rows: readonly FitRow[];
  params: readonly CalibrationParam[];
  resolvers: ValidationResolvers;
  options: Omit<RobustFitOptions, "lower" | "upper">;
  maxIterations: number;
}

export const boundsOf = (params: readonly CalibrationParam[]) => ({
  lower: params.map((p) => (p.bounds[0] - p.catalog) / p.prior_scale),
  upper: params.map((p) => (p.bounds[1] - p.catalog) / p.prior_scale),
});

/** Residuals of the rows at u (NaN where a point stops being predicted). */
function residualsAt(s: FitSetup, u: readonly number[]): number[] {
  const values = familyValues(s.params, u);
  return s.rows.map((row) => pointResidual(row.point, s.resolvers, values) ?? Number.NaN);
}

/** Jacobian rows at u (only the parameters each row exercises; zero elsewhere). */
function jacobianAt(s: FitSetup, u: readonly number[], r: readonly number[]): number[][] {
  const values = familyValues(s.params, u);
  return s.rows.map((row, i) =>
    s.params.map((p) => (row.exercised.has(p.id) ? (derivative(row, p, r[i]!, values, s.resolvers) ?? 0) : 0)),
  );
}

/** The linear model's offsets at u: a_i = r_i − J_i·u, so that r(u') ≈ a + J·u'. */
function linearAt(u: readonly number[], r: readonly number[], J: number[][]): LinearRows {
  return { a: r.map((ri, i) => ri - J[i]!.reduce((s, Jij, j) => s + Jij * u[j]!, 0)), J };
}

const exercisedCount = (s: FitSetup) => s.rows.reduce((n, row) => n + s.params.filter((p) => row.exercised.has(p.id)).length, 0);

export function gaussNewton(s: FitSetup): FitState {
  const bounds = boundsOf(s.params);
  const cost = (r: readonly number[], u: readonly number[]) => robustCost(r.map((x) => (Number.isFinite(x) ? x : 10)), u, s.options.priorWeight, s.options.lossScale);
  let u = s.params.map(() => 0);
  let r = s.rows.map((row) => row.r0!);
  let J = s.rows.map((row) => s.params.map((p) => row.exercised.get(p.id) ?? 0));
  let evaluations = 0;
  let iterations = 0;
  for (; iterations < s.maxIterations; iterations++) {
    const target = fitLinearRobust(linearAt(u, r, J), u, { ...s.options, ...bounds });
    let accepted: { u: number[]; r: number[] } | undefined;
    for (let shrink = 1; shrink >= 0.25 && !accepted; shrink /= 2) {
      const trial = u.map((x, j) => x + shrink * (target[j]! - x));
      const rt = residualsAt(s, trial);
      evaluations += s.rows.length;
      if (rt.every(Number.isFinite) && cost(rt, trial) < cost(r, u) - 1e-12) accepted = { u: trial, r: rt };
    }
    if (!accepted) break;
    const step = Math.max(...accepted.u.map((x, j) => Math.abs(x - u[j]!)));
    ({ u, r } = accepted);
    J = jacobianAt(s, u, r);
    evaluations += exercisedCount(s);
    if (step < 0.01) {
      iterations++;
      break;
    }
  }
  return { u, r, linear: linearAt(u, r, J), iterations, evaluations };
}

/**
 * Held-out residuals by k-fold cross-validation (k = number of rows: leave-one-out): for each fold,
 * the robust fit of the other rows' linear model at the full fit (one Gauss–Newton step from it, so
 * the held-out points' pull is removed), then the held-out points predicted by the engine.
 */
export function crossValidate(s: FitSetup, fit: FitState, folds: number): { residuals: number[]; evaluations: number } {
  const bounds = boundsOf(s.params);
  const residuals = new Array<number>(s.rows.length).fill(Number.NaN);
  let evaluations = 0;
  for (let f = 0; f < folds; f++) {
    const keep = s.rows.map((_, i) => i % folds !== f);
    const linear: LinearRows = { a: fit.linear.a.filter((_, i) => keep[i]), J: fit.linear.J.filter((_, i) => keep[i]) };
    const u = fitLinearRobust(linear, fit.u, { ...s.options, ...bounds });
    const values = familyValues(s.params, u);
    s.rows.forEach((row, i) => {
      if (keep[i]) return;
      residuals[i] = pointResidual(row.point, s.resolvers, values) ?? Number.NaN;
      evaluations++;
    });
  }
  return { residuals, evaluations };
}
