/**
 * One parameterised binary floating-point format (IEEE-754 style: sign, biased exponent, fraction
 * with a hidden bit, subnormals at exponent field 0). Every scalar format xpusim emulates is one row
 * of {@link SCALAR_FORMATS}; nothing here is per-format code.
 *
 * Value of a normal code: (−1)^s · 2^(E−bias) · (1 + M/2^m); subnormal (E = 0): (−1)^s · 2^(1−bias) · M/2^m.
 * Special values follow one of three rules (`specials`):
 *   - "ieee": exponent field all ones is reserved: M = 0 → ±Inf, M ≠ 0 → NaN (fp32, tf32, bf16, fp16, E5M2).
 *   - "fn":   no infinities; only S.1111.111 (all ones) is NaN, the rest of the top binade is finite
 *             (OCP E4M3, max 448 = S.1111.110; OCP 8-bit FP spec v1.0 Tab.1, Micikevicius et al. 2022 §3.1).
 *   - "none": every code is finite, no Inf and no NaN (OCP MX v1.0 FP6 E3M2/E2M3 and FP4 E2M1).
 *   - "fnuz": no infinities, no negative zero; the negative-zero code (sign bit alone, 0x80) is the one
 *             NaN and every other code is finite (AMD MI300X "FNUZ" fp8: composable_kernel float8.hpp;
 *             LLVM APFloat Float8E4M3FNUZ / Float8E5M2FNUZ, bias 8 and 16).
 */
export type SpecialValues = "ieee" | "fn" | "none" | "fnuz";

export interface FloatFormatParams {
  id: string;
  exp_bits: number;
  man_bits: number;
  bias: number;
  specials: SpecialValues;
  /** Where the parameters come from. */
  source: string;
}

/** The parameters with the derived constants a converter needs (all exact powers of two or their sums). */
export interface FloatFormat extends FloatFormatParams {
  /** Total bits including the sign. */
  bits: number;
  /** Exponent of the smallest normal (1 − bias). */
  emin: number;
  /** Exponent of the largest finite binade. */
  emax: number;
  max_finite: number;
  min_normal: number;
  min_subnormal: number;
  has_inf: boolean;
  has_nan: boolean;
}

export function defineFloatFormat(p: FloatFormatParams): FloatFormat {
  const topField = 2 ** p.exp_bits - 1;
  const emaxField = p.specials === "ieee" ? topField - 1 : topField;
  const emax = emaxField - p.bias;
  // "fn" loses the all-ones mantissa of the top binade (NaN): max mantissa 2 − 2·2^−m; otherwise 2 − 2^−m.
  const maxMantissa = p.specials === "fn" ? 2 - 2 * 2 ** -p.man_bits : 2 - 2 ** -p.man_bits;
  const emin = 1 - p.bias;
  return {
    ...p,
    bits: 1 + p.exp_bits + p.man_bits,
    emin,
    emax,
    max_finite: 2 ** emax * maxMantissa,
    min_normal: 2 ** emin,
    min_subnormal: 2 ** (emin - p.man_bits),
    has_inf: p.specials === "ieee",
    has_nan: p.specials !== "none",
  };
}

const OCP8 = "OCP 8-bit Floating Point Specification (OFP8) v1.0, Tab.1–2; Micikevicius et al., FP8 Formats for Deep Learning (arXiv:2209.05433) Tab.1";
const FNUZ = "AMD MI300X (gfx942) FNUZ fp8: ROCm composable_kernel float8.hpp; LLVM APFloat Float8E4M3FNUZ/E5M2FNUZ (NaN = the negative-zero code, no Inf, no −0)";
const MX = "OCP Microscaling Formats (MX) Specification v1.0 §5.3 (FP6 E3M2/E2M3, FP4 E2M1: no Inf, no NaN)";

/** The scalar formats, with their parameters and sources (docs/precision.md tables them). */
export const SCALAR_FORMATS = {
  fp32: defineFloatFormat({ id: "fp32", exp_bits: 8, man_bits: 23, bias: 127, specials: "ieee", source: "IEEE 754-2019 binary32" }),
  tf32: defineFloatFormat({ id: "tf32", exp_bits: 8, man_bits: 10, bias: 127, specials: "ieee", source: "NVIDIA A100 whitepaper (TensorFloat-32: 8-bit exponent, 10-bit mantissa), PyTorch numerical-accuracy notes" }),
  bf16: defineFloatFormat({ id: "bf16", exp_bits: 8, man_bits: 7, bias: 127, specials: "ieee", source: "Google bfloat16 (Cloud TPU docs); graphcore gfloat formats.py (p=8, emax 127)" }),
  fp16: defineFloatFormat({ id: "fp16", exp_bits: 5, man_bits: 10, bias: 15, specials: "ieee", source: "IEEE 754-2019 binary16" }),
  "fp8-e4m3": defineFloatFormat({ id: "fp8-e4m3", exp_bits: 4, man_bits: 3, bias: 7, specials: "fn", source: OCP8 }),
  "fp8-e5m2": defineFloatFormat({ id: "fp8-e5m2", exp_bits: 5, man_bits: 2, bias: 15, specials: "ieee", source: OCP8 }),
  "fp8-e4m3fnuz": defineFloatFormat({ id: "fp8-e4m3fnuz", exp_bits: 4, man_bits: 3, bias: 8, specials: "fnuz", source: FNUZ }),
  "fp8-e5m2fnuz": defineFloatFormat({ id: "fp8-e5m2fnuz", exp_bits: 5, man_bits: 2, bias: 16, specials: "fnuz", source: FNUZ }),
  "fp6-e3m2": defineFloatFormat({ id: "fp6-e3m2", exp_bits: 3, man_bits: 2, bias: 3, specials: "none", source: MX }),
  "fp6-e2m3": defineFloatFormat({ id: "fp6-e2m3", exp_bits: 2, man_bits: 3, bias: 1, specials: "none", source: MX }),
  "fp4-e2m1": defineFloatFormat({ id: "fp4-e2m1", exp_bits: 2, man_bits: 1, bias: 1, specials: "none", source: MX }),
} as const satisfies Record<string, FloatFormat>;

export type ScalarFormatId = keyof typeof SCALAR_FORMATS;
export const SCALAR_FORMAT_IDS = Object.keys(SCALAR_FORMATS) as ScalarFormatId[];
