import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { SCALAR_FORMATS } from "./float-format.js";
import type { FormatId } from "./formats.js";
import { gemmErrors, type GemmErrors } from "./gemm-error.js";
import { type QuantizeOptions, quantizeRows } from "./quantize.js";
import { convertScalar, floorLog2 } from "./round-scalar.js";

/**
 * GEMM emulation: C[M×N] = A[M×K] · B[K×N] with A and B quantised to a format (block scales and
 * integer groups along K), products formed exactly (a double holds the product of two ≤ 24-bit
 * significands), and accumulation rounded after every add to the accumulator width the hardware
 * uses:
 *   fp32 (default): NVIDIA tensor cores for bf16/tf32/fp8 (→ f32), TPU MXU ("all accumulations are
 *   performed in FP32", TPU system architecture docs), the MX spec's "should" for dot products;
 *   fp16: the f16-accumulate mma variant (HMMA f16.f16.f16.f16);
 *   fp8-hopper: the model of Hopper's FP8 adder below.
 * Each add is one IEEE rounding (Math.fround or an fp16 conversion) of (acc + a·b): an FMA chain in
 * K order. Real tensor cores add several products per step with their own alignment and rounding
 * (Fasi et al. 2021); fp32 and fp16 here are the format's error with an ideal adder of that width,
 * while fp8-hopper models Hopper's reduced-precision FP8 adder (docs/precision.md).
 */
export type Accumulate = "fp32" | "fp16" | "fp8-hopper";
export const ACCUMULATES: readonly Accumulate[] = ["fp32", "fp16", "fp8-hopper"];

/**
 * "fp8-hopper": a model (not bit-exact) of the H100/H200 FP8 tensor-core adder from DeepSeek-V3
 * §3.5.2: "After aligning 32 mantissa products by right-shifting based on the maximum exponent, the
 * Tensor Core only uses the highest 14 bits of each mantissa product for addition, and truncates
 * bits exceeding this range. The accumulation of addition results into registers also employs
 * 14-bit precision." Per group of 32 products, the running sum joins the group; every term is
 * truncated toward zero to 13 fractional bits below the largest exponent (14 bits with the leading
 * one; 13 alignment bits for H100/H200 in Khattak–Mikaitis' model, 25 for B200); the exact sum of the
 * truncated terms is stored as fp32. No promotion to CUDA-core fp32 (the CUTLASS default);
 * DeepSeek promotes every 128 elements to recover accuracy.
 */
export const HOPPER_FP8_GROUP = 32;
export const HOPPER_FP8_FRACTION_BITS = 13;

function truncateTo(x: number, quantum: number): number {
  const q = x / quantum;
  return (q < 0 ? Math.ceil(q) : Math.floor(q)) * quantum;
}

/** One dot product through the Hopper FP8 adder model. */
function hopperDot(qa: Float64Array, ai: number, qbt: Float64Array, bj: number, k: number): number {
  let acc = 0;
  for (let p0 = 0; p0 < k; p0 += HOPPER_FP8_GROUP) {
    const end = Math.min(p0 + HOPPER_FP8_GROUP, k);
    let emax = acc !== 0 ? floorLog2(Math.abs(acc)) : -Infinity;
    for (let p = p0; p < end; p++) {
      const prod = qa[ai + p]! * qbt[bj + p]!;
      if (prod !== 0) emax = Math.max(emax, floorLog2(Math.abs(prod)));
    }
    if (emax === -Infinity) continue;
    const quantum = 2 ** (emax - HOPPER_FP8_FRACTION_BITS);
    let sum = truncateTo(acc, quantum);
    for (let p = p0; p < end; p++) sum += truncateTo(qa[ai + p]! * qbt[bj + p]!, quantum);
    acc = Math.fround(sum);
  }
  return acc;
}

export interface GemmOperands {
  m: number;
  n: number;
  k: number;
  /** M×K, row-major. */
  a: ArrayLike<number>;
  /** K×N, row-major. */
  b: ArrayLike<number>;
}

export interface GemmRunOptions extends QuantizeOptions {
  accumulate?: Accumulate;
}

/** B (K×N row-major) as Bᵀ (N×K row-major), so K is contiguous for both operands. */
export function transpose(b: ArrayLike<number>, k: number, n: number): Float64Array {
  const t = new Float64Array(k * n);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) t[j * k + p] = b[p * n + j]!;
  return t;
}

export function checkOperands(g: GemmOperands): void {
  for (const [name, v] of [["m", g.m], ["n", g.n], ["k", g.k]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new XpusimError(error("E_RANGE", name, `${name} must be a positive integer`, { got: String(v) }));
  }
  if (g.a.length !== g.m * g.k) throw new XpusimError(error("E_RANGE", "a", `A must hold M×K = ${g.m}×${g.k} values`, { got: `${g.a.length} values` }));
  if (g.b.length !== g.k * g.n) throw new XpusimError(error("E_RANGE", "b", `B must hold K×N = ${g.k}×${g.n} values`, { got: `${g.b.length} values` }));
}

/** C = A·Bᵀᵀ in fp64 (the reference). */
export function referenceGemm(a: ArrayLike<number>, bt: ArrayLike<number>, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[i * k + p]! * bt[j * k + p]!;
      c[i * n + j] = acc;
    }
  }
  return c;
}

/** C from already quantised operands (A M×K, Bᵀ N×K) with the given accumulator. */
export function accumulateGemm(qa: Float64Array, qbt: Float64Array, m: number, n: number, k: number, accumulate: Accumulate): Float64Array {
  const c = new Float64Array(m * n);
  const fp16 = SCALAR_FORMATS.fp16;
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let acc = 0;
      if (accumulate === "fp8-hopper") {
        acc = hopperDot(qa, ai, qbt, bj, k);
      } else if (accumulate === "fp32") {
        for (let p = 0; p < k; p++) acc = Math.fround(acc + qa[ai + p]! * qbt[bj + p]!);
      } else {
        for (let p = 0; p < k; p++) acc = convertScalar(acc + qa[ai + p]! * qbt[bj + p]!, fp16, "rne", false);
      }
      c[i * n + j] = acc;
    }
  }
  return c;
}

export interface EmulatedGemm {
  format: FormatId;
  accumulate: Accumulate;
  errors: GemmErrors;
}

/**
 * Emulates the GEMM in each format against one fp64 reference. Scalar formats of 8 bits or fewer
 * get an fp32 per-tensor scale (amax → the format's max) unless `tensor_scale: false`.
 */
export function emulateGemm(g: GemmOperands, formats: readonly FormatId[], o: GemmRunOptions = {}): EmulatedGemm[] {
  checkOperands(g);
  const bt = transpose(g.b, g.k, g.n);
  const ref = referenceGemm(g.a, bt, g.m, g.n, g.k);
  const accumulate = o.accumulate ?? "fp32";
  const qo: QuantizeOptions = { ...o, tensor_scale: o.tensor_scale ?? true };
  return formats.map((format) => {
    const qa = quantizeRows(g.a, g.m, g.k, format, qo);
    const qbt = quantizeRows(bt, g.n, g.k, format, { ...qo, seed: (o.seed ?? 0) + 1 });
    return { format, accumulate, errors: gemmErrors(accumulateGemm(qa, qbt, g.m, g.n, g.k, accumulate), ref) };
  });
}
