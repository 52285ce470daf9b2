import type { Chip } from "../hardware/chip.js";
import { DTYPE_BYTES, type DType } from "../units/dtype.js";

const isIntDType = (d: DType): boolean => d === "int8" || d === "int4";
import type { Precision } from "../workload/precision.js";

/**
 * The precision a chip actually executes a model in. When the requested math dtype has no engine on
 * the chip (fp8 on A100, int4 math on H100, bf16 on V100), serving engines run the math in a wider
 * format the chip has and keep the narrow storage: weights (and KV cache) stay as requested and are
 * dequantised on the fly (vLLM's Marlin FP8 path on Ampere, TensorRT-LLM weight-only GEMMs).
 *
 * The substitute is the first dtype of the list below that the chip's matrix engine runs; failing
 * that, one its vector units run. The lists go from the narrowest format that represents the
 * requested one exactly to wider ones: fp8/int8 values are exact in fp16; bf16 is not (range), so
 * bf16 falls back to fp32 first on chips with fp32 matrix math, else to fp16 (what vLLM does on V100).
 *
 * Used by the inference and serving paths; `xpusim op` keeps the registry's hard E_UNSUPPORTED,
 * where silently changing the dtype of an explicit request would be wrong.
 */
const FALLBACKS: Readonly<Record<DType, readonly DType[]>> = {
  fp4: ["fp8", "int8", "fp16", "bf16", "fp32"],
  int4: ["int8", "fp8", "fp16", "bf16", "fp32"],
  fp8: ["fp16", "bf16", "fp32"],
  int8: ["fp16", "bf16", "fp32"],
  // int16 values (|x| < 2^15) are exact in fp32 only; fp16/bf16 would round them.
  int16: ["fp32", "fp64"],
  fp16: ["bf16", "fp32"],
  bf16: ["fp32", "tf32", "fp16"],
  tf32: ["fp32", "bf16", "fp16"],
  fp32: ["tf32", "fp64"],
  fp64: [],
};

export interface ExecutionPrecision {
  /** What runs: the requested precision with `compute` possibly widened. */
  precision: Precision;
  /** Set when the math dtype was substituted. */
  fallback?: { requested: DType; executed: DType };
}

function hasEngine(chip: Chip, d: DType): "matrix" | "vector" | undefined {
  const m = chip.matrix.peak_flops_per_s[d];
  if (m !== undefined && m > 0) return "matrix";
  const v = chip.vector.peak_flops_per_s[d];
  if (v !== undefined && v > 0) return "vector";
  return undefined;
}

/**
 * The executed precision for `precision` on `chip`. Returns the request unchanged when the chip runs
 * its math dtype (on any engine), or when no fallback exists (the registry then reports the error).
 */
export function resolveExecutionPrecision(chip: Chip, precision: Precision): ExecutionPrecision {
  const want = precision.compute;
  if (hasEngine(chip, want)) return { precision };
  // A float activation format the chip runs (the W4A16 case) is the natural math dtype.
  const act = precision.activations;
  const list = act !== want && DTYPE_BYTES[act] >= DTYPE_BYTES[want] && !isIntDType(act) ? [act, ...FALLBACKS[want]] : FALLBACKS[want];
  const pick = list.find((d) => hasEngine(chip, d) === "matrix") ?? list.find((d) => hasEngine(chip, d) === "vector");
  if (!pick) return { precision };
  // Activations stored narrower than the new math stay narrow (dequantised at load like weights);
  // activations in the old math dtype follow the math.
  const activations = precision.activations === want ? pick : precision.activations;
  const kv_cache = precision.kv_cache;
  return { precision: { compute: pick, weights: precision.weights, activations, kv_cache }, fallback: { requested: want, executed: pick } };
}

/** The warning text for a fallback: what runs instead, and what the dequantisation costs. */
export function fallbackWarning(chip: Chip, fb: { requested: DType; executed: DType }, weights: DType, dequantFraction: number | undefined): string {
  const engine = chip.matrix.peak_flops_per_s[fb.requested] === undefined ? "matrix engine" : "engine";
  const dq =
    weights !== fb.executed
      ? ` with ${weights} weights dequantised on the fly${dequantFraction !== undefined ? ` (+${(dequantFraction * 100).toFixed(1)}% time)` : ""}`
      : "";
  return `${chip.id} has no ${fb.requested} ${engine}: math runs in ${fb.executed}${dq}`;
}
