/**
 * Bounded, regularised robust least squares on a linearised residual model — the inner step of a
 * Gauss–Newton calibration. Residuals are r_i(u) = a_i + J_i·u over normalised parameters u (0 =
 * the catalog value, 1 = one prior scale away); the objective is
 *
 *   Σ_i huber_c(r_i(u)) + ½ τ² Σ_j u_j²,   lower ≤ u ≤ upper,
 *
 * (Huber 1964, "Robust estimation of a location parameter"; the quadratic prior is Tikhonov
 * regularisation toward the catalog). Solved by iteratively reweighted least squares (weights
 * min(1, c/|r|), Holland & Welsch 1977), each weighted problem by projected coordinate descent,
 * which converges for a strictly convex quadratic over a box (τ > 0 makes it so).
 */

export interface LinearRows {
  /** Offset of each row: its residual at u = 0 of the linear model. */
  a: readonly number[];
  /** Jacobian rows (one per residual, one column per parameter). */
  J: readonly (readonly number[])[];
}

export interface RobustFitOptions {
  lower: readonly number[];
  upper: readonly number[];
  /** τ: pseudo-residual of moving one prior scale (a log-error of τ costs as much as that move). */
  priorWeight: number;
  /** c: residuals beyond it (in log of predicted/measured) count linearly, not squared. */
  lossScale: number;
  /** Weighted-problem iterations (IRLS) and coordinate sweeps per iteration. */
  irlsIterations?: number;
  sweeps?: number;
}

/** Huber's loss of one residual. */
export function huber(r: number, c: number): number {
  const a = Math.abs(r);
  return a <= c ? 0.5 * r * r : c * (a - 0.5 * c);
}

/** The objective at residuals `r` and normalised parameters `u`. */
export function robustCost(r: readonly number[], u: readonly number[], priorWeight: number, lossScale: number): number {
  let s = 0;
  for (const x of r) s += huber(x, lossScale);
  for (const x of u) s += 0.5 * priorWeight * priorWeight * x * x;
  return s;
}

/** Residuals of the linear model at u. */
export function linearResiduals(rows: LinearRows, u: readonly number[]): number[] {
  return rows.a.map((a, i) => {
    let s = a;
    const Ji = rows.J[i]!;
    for (let j = 0; j < u.length; j++) s += Ji[j]! * u[j]!;
    return s;
  });
}

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Minimises Σ w_i (a_i + J_i·u)² + τ² |u|² over the box by projected coordinate descent from `start`. */
function weightedBoxLeastSquares(rows: LinearRows, w: readonly number[], start: readonly number[], o: RobustFitOptions): number[] {
  const u = [...start];
  const res = linearResiduals(rows, u);
  const tau2 = o.priorWeight * o.priorWeight;
  const sweeps = o.sweeps ?? 200;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = 0;
    for (let j = 0; j < u.length; j++) {
      let num = 0;
      let den = tau2;
      for (let i = 0; i < res.length; i++) {
        const Jij = rows.J[i]![j]!;
        if (Jij === 0) continue;
        num += w[i]! * Jij * (res[i]! - Jij * u[j]!);
        den += w[i]! * Jij * Jij;
      }
      const next = clip(-num / den, o.lower[j]!, o.upper[j]!);
      const d = next - u[j]!;
      if (d === 0) continue;
      for (let i = 0; i < res.length; i++) res[i]! += rows.J[i]![j]! * d;
      u[j] = next;
      moved = Math.max(moved, Math.abs(d));
    }
    if (moved < 1e-9) break;
  }
  return u;
}

/** The robust fit of the linear model (IRLS with Huber weights), starting from `start`. */
export function fitLinearRobust(rows: LinearRows, start: readonly number[], o: RobustFitOptions): number[] {
  let u = start.map((x, j) => clip(x, o.lower[j]!, o.upper[j]!));
  if (u.length === 0 || rows.a.length === 0) return u;
  const iterations = o.irlsIterations ?? 30;
  for (let it = 0; it < iterations; it++) {
    const r = linearResiduals(rows, u);
    const w = r.map((x) => (Math.abs(x) <= o.lossScale ? 1 : o.lossScale / Math.abs(x)));
    const next = weightedBoxLeastSquares(rows, w, u, o);
    const step = Math.max(...next.map((x, j) => Math.abs(x - u[j]!)));
    u = next;
    if (step < 1e-7) break;
  }
  return u;
}
