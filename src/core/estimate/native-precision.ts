import type { Chip } from "../hardware/chip.js";
import type { DType } from "../units/dtype.js";

/**
 * The math dtype a chip runs natively, for requests that name none: the first of bf16, fp16, fp8,
 * int8 its matrix engine supports (bf16 is the serving default; fp16 where bf16 is missing, as on
 * V100 and T4; fp8 and int8 for accelerators built for quantised inference: Coral, Hailo, FPGAs,
 * most NPUs). Undefined when the matrix engine runs none of them.
 */
export const NATIVE_DTYPE_PREFERENCE: readonly DType[] = ["bf16", "fp16", "fp8", "int8"];

/** Training keeps 16-bit math (mixed-precision training); int8 and fp8 alone do not train a model. */
export const NATIVE_TRAINING_DTYPE_PREFERENCE: readonly DType[] = ["bf16", "fp16"];

export function nativeMathDType(chip: Chip, preference: readonly DType[] = NATIVE_DTYPE_PREFERENCE): DType | undefined {
  return preference.find((d) => (chip.matrix.peak_flops_per_s[d] ?? 0) > 0);
}

/**
 * The math dtype of a request that names none (`op`, `run`): the chip's native one (bf16 where it has
 * bf16), with the note that says so when it is not bf16.
 */
export function unnamedMathDType(chip: Chip): { dtype: DType; note?: string } {
  const native = nativeMathDType(chip) ?? "bf16";
  return native === "bf16" ? { dtype: native } : { dtype: native, note: `no dtype given: ran ${native}, the chip's native math dtype (it has no bf16 matrix math)` };
}
