/**
 * Number helpers that make SCALE-Sim's Python arithmetic and printing reproducible bit for bit:
 * `exactRatio` is Python's `int / int` (the correctly rounded quotient of two exact integers, even
 * past 2^53), and `formatPythonFloat` is Python's `repr(float)` (shortest round-trip digits, with
 * exponent notation below 1e-4 and from 1e16, and a trailing ".0" on integral values).
 */

const TWO_53 = 2 ** 53;

/** Python's true division of two non-negative integers (numbers or bigints): correctly rounded. */
export function exactRatio(numerator: number | bigint, denominator: number | bigint): number {
  if (typeof numerator === "number" && typeof denominator === "number" && Math.abs(numerator) < TWO_53 && Math.abs(denominator) < TWO_53) {
    // Both operands are exact doubles, so IEEE division is the correctly rounded quotient.
    return numerator / denominator;
  }
  let a = BigInt(numerator);
  let b = BigInt(denominator);
  if (b === 0n) return a === 0n ? Number.NaN : a > 0n ? Infinity : -Infinity;
  const negative = a < 0n !== b < 0n;
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  // Scale so the integer quotient has at least 64 significant bits, then keep a sticky bit for the
  // remainder so the single rounding in Number() is the correct one.
  const shift = Math.max(0, 66 + b.toString(2).length - a.toString(2).length);
  const scaled = a << BigInt(shift);
  let q = scaled / b;
  if (scaled % b !== 0n) q |= 1n;
  const value = Number(q) / 2 ** shift;
  return negative ? -value : value;
}

/** Python `repr()` of a float (what `str(x)` prints for a float in SCALE-Sim's reports). */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr does.
  const [mantissa, expText] = x.toExponential().split("e") as [string, string];
  const e = Number(expText);
  if (e >= -4 && e < 16) {
    // Python prints positional notation for exponents -4..15; JS does too in this range.
    const s = x.toString();
    return s.includes(".") ? s : `${s}.0`;
  }
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}
