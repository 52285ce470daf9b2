import { SCALAR_FORMATS, type FloatFormat } from "./float-format.js";
import { convertScalar, floorLog2, type Rounding } from "./round-scalar.js";
import type { SeededRng } from "./rng.js";

/**
 * Block-scaled formats, blocks of consecutive values along each row (the K axis of a GEMM operand).
 *
 * OCP MX v1.0 §6.3 (MX paper Alg. 1): X = 2^(floor(log2(amax)) − emax_elem), an E8M0 power of two
 * with its exponent clipped to [−127, 127] (graphcore gfloat's choice; microxcaling returns NaN
 * above 127 — unreachable from finite doubles of fp32 range); P_i = element(V_i / X) with the
 * element rounding and saturation to ±max (the spec's clamp); an all-zero block gets X = 2^−127
 * (E8M0 has no zero) and stays zero. This is the `floor_ocp` scale rule; NVIDIA's MXFP8 training
 * recipe rounds the scale up instead (named in docs/precision.md, not emulated).
 */
export function quantizeMxRows(src: ArrayLike<number>, dst: Float64Array, rows: number, cols: number, element: FloatFormat, rounding: Rounding, rng?: SeededRng): void {
  const block = 32;
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * cols;
    for (let from = r * cols; from < end; from += block) {
      const to = Math.min(from + block, end);
      const amax = blockAmax(src, from, to);
      const sharedExp = amax > 0 ? Math.min(127, Math.max(-127, floorLog2(amax) - element.emax)) : -127;
      const x = 2 ** sharedExp;
      const inv = 2 ** -sharedExp; // exact: scaling by a power of two
      for (let i = from; i < to; i++) dst[i] = convertScalar(src[i]! * inv, element, rounding, true, rng) * x;
    }
  }
}

/** max |v| over src[from, to) (NaN ignored). */
function blockAmax(src: ArrayLike<number>, from: number, to: number): number {
  let amax = 0;
  for (let i = from; i < to; i++) {
    const v = src[i]!;
    const a = v < 0 ? -v : v;
    if (a > amax) amax = a;
  }
  return amax;
}

/** The E8M0 scale exponent the MX rule picks for a block (exposed for tests and docs). */
export function mxScaleExponent(values: ArrayLike<number>, element: FloatFormat): number {
  let amax = 0;
  for (let i = 0; i < values.length; i++) amax = Math.max(amax, Math.abs(values[i]!));
  return amax > 0 ? Math.min(127, Math.max(-127, floorLog2(amax) - element.emax)) : -127;
}

/**
 * NVFP4 (NVIDIA, TensorRT-Model-Optimizer nvfp4_tensor.py; NVFP4 paper App. B): per-tensor fp32
 * s2 = amax_tensor / (6 · 448); per block of 16: s_b = ue4m3(amax_b / (6 · s2)) with RNE (a zero
 * scale becomes 1, as ModelOpt does); element = e2m1(x / (s_b · s2)); value = element · s_b · s2.
 */
export function quantizeNvfp4Rows(src: ArrayLike<number>, dst: Float64Array, rows: number, cols: number, rounding: Rounding, rng?: SeededRng): void {
  const e2m1 = SCALAR_FORMATS["fp4-e2m1"];
  const e4m3 = SCALAR_FORMATS["fp8-e4m3"];
  const total = rows * cols;
  let amaxTensor = 0;
  for (let i = 0; i < total; i++) amaxTensor = Math.max(amaxTensor, Math.abs(src[i]!));
  if (amaxTensor === 0) {
    for (let i = 0; i < total; i++) dst[i] = src[i]! !== src[i]! ? Number.NaN : 0;
    return;
  }
  const s2 = Math.fround(amaxTensor / (e2m1.max_finite * e4m3.max_finite));
  const block = 16;
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * cols;
    for (let from = r * cols; from < end; from += block) {
      const to = Math.min(from + block, end);
      const amax = blockAmax(src, from, to);
      const sb = convertScalar(amax / (e2m1.max_finite * s2), e4m3, "rne", true) || 1;
      const x = Math.fround(sb * s2);
      for (let i = from; i < to; i++) dst[i] = convertScalar(src[i]! / x, e2m1, rounding, true, rng) * x;
    }
  }
}
