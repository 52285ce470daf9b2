import type { FloatFormat } from "./float-format.js";
import { SeededRng } from "./rng.js";

/**
 * Conversion of a real number (a JS double) to the nearest value a {@link FloatFormat} represents.
 * Works in value space: every format here has ≤ 24 significand bits and exponents inside the double
 * range, so scaling by powers of two is exact and one rounding of the scaled significand gives the
 * bit-exact result.
 *
 * Rounding: "rne" round to nearest, ties to even (IEEE 754 default; OCP MX v1.0 §6 "roundTiesToEven
 * must be supported"); "truncate" toward zero; "stochastic" rounds up with probability equal to the
 * discarded fraction (unbiased: E[q(x)] = x), drawing one uniform number per value.
 *
 * Overflow (|x| beyond max_finite after rounding, or ±Inf input):
 *   saturate (default, as PTX `.satfinite` and the OCP SAT mode): ±max_finite.
 *   no saturation (OCP OVF mode): ±Inf where the format has Inf (fp32, tf32, bf16, fp16, E5M2); NaN
 *   for E4M3 (no Inf: OFP8 Tab.2 maps overflow and ±Inf to NaN); ±max_finite for FP6/FP4, which have
 *   neither — the MX spec requires out-of-range values to clamp to ±max ("must" in §6).
 * NaN input: NaN (for FP6/FP4, which have no NaN code, the MX spec leaves it implementation-defined;
 * xpusim keeps NaN so it stays visible).
 * Underflow: values below half the smallest subnormal round to a signed zero (gradual underflow,
 * subnormals kept; no flush-to-zero); FNUZ formats have no −0, so to +0. FNUZ overflow without
 * saturation is NaN (they have no Inf).
 */
export type Rounding = "rne" | "stochastic" | "truncate";
export const ROUNDINGS: readonly Rounding[] = ["rne", "stochastic", "truncate"];

export interface ConvertOptions {
  rounding?: Rounding;
  saturate?: boolean;
  /** Needed for stochastic rounding. */
  rng?: SeededRng;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the high word of a double in U32 (little- or big-endian host). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** floor(log2(a)) for a finite a > 0, exact (read from the exponent bits; subnormal doubles → −1023). */
export function floorLog2(a: number): number {
  F64[0] = a;
  return ((U32[HI]! >>> 20) & 0x7ff) - 1023;
}

/** 2^e for integer e in [−1100, 1100], from a table (exact; faster than `2 ** e` in the inner loop). */
const POW2_OFFSET = 1100;
const POW2 = new Float64Array(2 * POW2_OFFSET + 1);
for (let i = 0; i < POW2.length; i++) POW2[i] = 2 ** (i - POW2_OFFSET);

/** The value of `x` in format `f` after rounding, as a double. */
export function convertScalar(x: number, f: FloatFormat, rounding: Rounding = "rne", saturate = true, rng?: SeededRng): number {
  if (x !== x) return Number.NaN;
  if (x === 0) return f.specials === "fnuz" ? 0 : x; // keeps the sign of zero where the format has −0
  const neg = x < 0;
  const a = neg ? -x : x;
  if (a === Infinity) return overflowValue(neg, f, saturate);
  const e = Math.max(floorLog2(a), f.emin);
  const shift = e - f.man_bits;
  // a · 2^−shift: the significand scaled so its last kept bit is the units digit (exact).
  const scaled = a * POW2[POW2_OFFSET - shift]!;
  let n = Math.floor(scaled);
  const frac = scaled - n;
  if (rounding === "rne") {
    if (frac > 0.5 || (frac === 0.5 && (n & 1) === 1)) n += 1;
  } else if (rounding === "stochastic") {
    // Without a generator (a caller error the array converters prevent) the draw is 0.5: nearest, ties down.
    if (frac > 0 && (rng ? rng.next() : 0.5) < frac) n += 1;
  }
  const q = n * POW2[POW2_OFFSET + shift]!;
  // Toward zero never rounds past the largest finite value (IEEE 754-2019 §7.4: RZ overflow gives ±max).
  if (q > f.max_finite) return overflowValue(neg, f, saturate || rounding === "truncate");
  if (q === 0 && f.specials === "fnuz") return 0;
  return neg ? -q : q;
}

function overflowValue(neg: boolean, f: FloatFormat, saturate: boolean): number {
  if (saturate || f.specials === "none") return neg ? -f.max_finite : f.max_finite;
  if (f.has_inf) return neg ? -Infinity : Infinity;
  return Number.NaN;
}

/** Converts `src` into `dst` (may be the same array), element by element; no allocation. */
export function convertArray(src: ArrayLike<number>, dst: Float64Array, f: FloatFormat, opts: ConvertOptions = {}): Float64Array {
  const rounding = opts.rounding ?? "rne";
  const saturate = opts.saturate ?? true;
  const rng = rounding === "stochastic" ? (opts.rng ?? new SeededRng(0)) : undefined;
  for (let i = 0; i < src.length; i++) dst[i] = convertScalar(src[i]!, f, rounding, saturate, rng);
  return dst;
}
