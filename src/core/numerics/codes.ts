import type { FloatFormat } from "./float-format.js";

/**
 * Bit codes of a {@link FloatFormat} (sign | exponent field | mantissa field, `bits` wide): the
 * decoder every round-trip test enumerates, and the encoder of an already representable value.
 */
export function decodeCode(code: number, f: FloatFormat): number {
  const m = f.man_bits;
  const manMask = 2 ** m - 1;
  const expMask = 2 ** f.exp_bits - 1;
  const mant = code % 2 ** m;
  const expField = Math.floor(code / 2 ** m) % 2 ** f.exp_bits;
  const sign = Math.floor(code / 2 ** (m + f.exp_bits)) % 2 === 1 ? -1 : 1;
  if (f.specials === "fnuz" && sign < 0 && expField === 0 && mant === 0) return Number.NaN;
  if (expField === expMask) {
    if (f.specials === "ieee") return mant === 0 ? sign * Infinity : Number.NaN;
    if (f.specials === "fn" && mant === manMask) return Number.NaN;
  }
  if (expField === 0) return sign * 2 ** f.emin * (mant / 2 ** m);
  return sign * 2 ** (expField - f.bias) * (1 + mant / 2 ** m);
}

/**
 * The code of a value the format represents exactly (as {@link convertScalar} returns), or
 * undefined when it does not (NaN in FP6/FP4, a value off the grid). NaN encodes as the canonical
 * positive NaN (all-ones exponent and mantissa), or 0x80 in FNUZ formats, where −0 encodes as +0.
 */
export function encodeValue(x: number, f: FloatFormat): number | undefined {
  const m = f.man_bits;
  const expMask = 2 ** f.exp_bits - 1;
  const signBit = 2 ** (m + f.exp_bits);
  if (x !== x) return f.specials === "fnuz" ? signBit : f.has_nan ? expMask * 2 ** m + (2 ** m - 1) : undefined;
  const sign = x < 0 || (Object.is(x, -0) && f.specials !== "fnuz") ? signBit : 0;
  const a = Math.abs(x);
  if (a === Infinity) return f.has_inf ? sign + expMask * 2 ** m : undefined;
  if (a === 0) return sign;
  if (a < f.min_normal) {
    const mant = a / f.min_subnormal;
    return Number.isInteger(mant) ? sign + mant : undefined;
  }
  if (a > f.max_finite) return undefined;
  const e = Math.floor(Math.log2(a));
  const exact = 2 ** e <= a ? (2 ** (e + 1) <= a ? e + 1 : e) : e - 1;
  const mant = (a / 2 ** exact - 1) * 2 ** m;
  if (!Number.isInteger(mant)) return undefined;
  return sign + (exact + f.bias) * 2 ** m + mant;
}
