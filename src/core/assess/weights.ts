import type { FactorKey } from "./factor.js";
import { rankValues } from "./rank.js";

/**
 * User weights → one score per chip, and what flips the top choice.
 *
 * Normalisation (per factor, among the chips assessed, direction-aware, best chip = 1):
 *   higher is better: n = max(v, 0) / max_v          (when max_v > 0)
 *   lower is better:  n = min_v / v                  (when every v > 0; times, prices, energies)
 *   lower is better, unit "fraction" (a share of time): n = (1 − v) / (1 − min_v), the complementary
 *                     share relative to the best (min/v would make 0.01 % vs 0.02 % a factor of two)
 *   otherwise (zero or negative values): min-max, n = (v − worst) / (best − worst), all 1 when equal.
 * Score: S_c = Σ_f w_f · n_cf / Σ_f w_f over the factors used (weights ≥ 0, default 1 each).
 * Null values: a factor that is null for any chip is left out of every chip's score (listed in
 * `excluded`, with the chips that lack it), so all chips are scored on the same factors; a null is
 * never read as 0. A chip that cannot run the workload (no estimate, does not fit) is not scored
 * (`unscored`, with why) and follows every scored chip.
 *
 * Flips: S_c − S_t (t = top chip) has the sign of D_c(w) = Σ_f w_f (n_cf − n_tf), linear in each
 * weight. Moving w_f alone, D_c = A_c + w_f·d_cf with d_cf = n_cf − n_tf, so c overtakes t at
 * w_f* = −A_c / d_cf (exact, closed form). Raising w_f flips towards chips better than t on f
 * (d > 0), lowering it towards chips worse on f; the first crossing in each direction is reported.
 */
export interface WeightFlip {
  /** The weight at which the new top chip's score equals the current top's (it leads just past it). */
  at_weight: number;
  /** at_weight / current weight; null when the current weight is 0. */
  multiplier: number | null;
  new_top: string;
}

export interface FactorFlip {
  factor: FactorKey;
  weight: number;
  /** Raising this weight (others fixed) changes the top choice at…; null: it never does. */
  increase: WeightFlip | null;
  /** Lowering it (down to 0) changes the top choice at…; null: it never does. */
  decrease: WeightFlip | null;
}

export interface WeightedRanking {
  weights: Partial<Record<FactorKey, number>>;
  normalisation: string;
  /** Factors in the score (known for every chip, weight > 0 or not). */
  used: FactorKey[];
  /** Factors left out because some chip has no value for them. */
  excluded: { factor: FactorKey; chips_missing: string[] }[];
  /** Chips not scored: they cannot run the workload (they rank after every scored chip). */
  unscored: { chip: string; reason: string }[];
  /** Best first. */
  order: { chip: string; score: number | null; rank: number | null }[];
  top: string | null;
  flips: FactorFlip[];
}

export const NORMALISATION_NOTE = "per factor, best chip = 1: higher-better v/max, lower-better min/v, lower-better shares of time (1−v)/(1−min) (min-max when values are ≤ 0); score = Σ w·n / Σ w over the factors known for every chip that runs the workload";

/** Normalised values of one factor (all chips known), best = 1. */
export function normalise(values: readonly number[], better: "higher" | "lower", unit = ""): number[] {
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (better === "lower" && unit === "fraction" && min < 1 && max <= 1) return values.map((v) => (1 - v) / (1 - min));
  if (better === "higher" && max > 0) return values.map((v) => Math.max(v, 0) / max);
  if (better === "lower" && min > 0) return values.map((v) => min / v);
  if (max === min) return values.map(() => 1);
  return values.map((v) => (better === "higher" ? (v - min) / (max - min) : (max - v) / (max - min)));
}

export interface ScoringInput {
  chips: readonly string[];
  factors: readonly FactorKey[];
  /** value[chip index][factor index], null when unknown. */
  values: readonly (readonly (number | null)[])[];
  better: readonly ("higher" | "lower")[];
  /** Unit per factor (fractions of time normalise on their complement). */
  units?: readonly string[];
  /** Chips left out of the score (they cannot run the workload), with why. */
  unscored?: ReadonlyMap<string, string>;
  weights: Partial<Record<FactorKey, number>>;
}

/** Scores of every chip from normalised values n[chip][factor] and weights (used factors only). */
export function scores(n: readonly (readonly number[])[], w: readonly number[]): number[] {
  const total = w.reduce((a, b) => a + b, 0);
  return n.map((row) => (total > 0 ? row.reduce((s, x, j) => s + w[j]! * x, 0) / total : 0));
}

export function weightedRanking(input: ScoringInput): WeightedRanking {
  const { factors } = input;
  const skip = withSparseChips(input);
  const keep = input.chips.map((c, i) => [c, i] as const).filter(([c]) => !skip.has(c));
  const chips = keep.map(([c]) => c);
  const values = keep.map(([, i]) => input.values[i]!);
  const used: FactorKey[] = [];
  const excluded: WeightedRanking["excluded"] = [];
  const columns: number[][] = [];
  factors.forEach((f, j) => {
    const col = values.map((row) => row[j] ?? null);
    const missing = chips.filter((_, i) => col[i] === null || !Number.isFinite(col[i]!));
    if (missing.length) return void excluded.push({ factor: f, chips_missing: [...missing] });
    used.push(f);
    columns.push(normalise(col as number[], input.better[j]!, input.units?.[j]));
  });
  const weights = Object.fromEntries(factors.map((f) => [f, input.weights[f] ?? 1])) as Partial<Record<FactorKey, number>>;
  const w = used.map((f) => weights[f]!);
  const n = chips.map((_, i) => columns.map((c) => c[i]!));
  const scored = used.length > 0 && w.some((x) => x > 0);
  const s = scored ? scores(n, w) : chips.map(() => null);
  const ranks = rankValues(s, "higher");
  const order = chips.map((chip, i) => ({ chip, score: s[i] ?? null, rank: ranks[i] ?? null })).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const topIndex = scored && chips.length ? chips.indexOf(order[0]!.chip) : -1;
  const unscored = [...skip].map(([chip, reason]) => ({ chip, reason }));
  for (const u of unscored) order.push({ chip: u.chip, score: null, rank: null });
  const flips = scored ? used.map((f, j) => flipsOf(f, j, n, w, topIndex, chips)) : [];
  return { weights, normalisation: NORMALISATION_NOTE, used, excluded, unscored, order, top: topIndex >= 0 ? chips[topIndex]! : null, flips };
}

/** A chip whose unknown factors carry more than this share of the weight is not scored. */
export const SPARSE_WEIGHT_SHARE = 0.5;

/**
 * The chips left out of the score: those the caller names (cannot run the workload) and those whose
 * unknown factors carry more than half of the weight (e.g. a chip with no TDP under a power cap has no
 * latency, throughput, power or cost). A factor unknown for any scored chip is left out of every score,
 * so without this one sparse chip would strip the others of most factors and flatten the ranking. When
 * every remaining chip is that sparse, none is dropped (the factor rule alone decides).
 */
function withSparseChips(input: ScoringInput): Map<string, string> {
  const skip = new Map(input.unscored ?? []);
  const total = input.factors.reduce((t, f) => t + Math.max(0, input.weights[f] ?? 1), 0);
  if (total <= 0) return skip;
  const sparse = new Map<string, string>();
  input.chips.forEach((chip, i) => {
    if (skip.has(chip)) return;
    const unknown = input.factors.filter((_, j) => {
      const v = input.values[i]![j];
      return v === null || v === undefined || !Number.isFinite(v);
    });
    const share = unknown.reduce((t, f) => t + Math.max(0, input.weights[f] ?? 1), 0) / total;
    if (share > SPARSE_WEIGHT_SHARE) sparse.set(chip, `too little is known to score it: ${unknown.join(", ")} unknown (${Math.round(share * 100)} % of the weight)`);
  });
  const left = input.chips.filter((c) => !skip.has(c) && !sparse.has(c)).length;
  if (left > 0) for (const [c, why] of sparse) skip.set(c, why);
  return skip;
}

/** The weight of factor j at which each challenger overtakes the top chip; the nearest on each side. */
function flipsOf(factor: FactorKey, j: number, n: readonly (readonly number[])[], w: readonly number[], top: number, chips: readonly string[]): FactorFlip {
  const wj = w[j]!;
  let up: WeightFlip | null = null;
  let down: WeightFlip | null = null;
  n.forEach((row, c) => {
    if (c === top) return;
    const d = row[j]! - n[top]![j]!;
    if (d === 0) return;
    const a = row.reduce((s, x, g) => (g === j ? s : s + w[g]! * (x - n[top]![g]!)), 0);
    const at = -a / d;
    const flip = { at_weight: at, multiplier: wj > 0 ? at / wj : null, new_top: chips[c]! };
    if (d > 0 && at >= wj && (up === null || at < up.at_weight)) up = flip;
    if (d < 0 && at >= 0 && at <= wj && (down === null || at > down.at_weight)) down = flip;
  });
  return { factor, weight: wj, increase: up, decrease: down };
}
