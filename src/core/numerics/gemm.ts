import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { SCALAR_FORMATS } from "./float-format.js";
import type { FormatId } from "./formats.js";
import { gemmErrors, type GemmErrors } from "./gemm-error.js";
import { type QuantizeOptions, quantizeRows } from "./quantize.js";
import { convertScalar } from "./round-scalar.js";

/**
 * GEMM emulation: C[M×N] = A[M×K] · B[K×N] with A and B quantised to a format (block scales and
 * integer groups along K), products formed exactly (a double holds the product of two ≤ 24-bit
 * significands), and accumulation rounded after every add to the accumulator width the hardware
 * uses:
 *   fp32 (default): NVIDIA tensor cores for bf16/tf32/fp8 (→ f32), TPU MXU ("all accumulations are
 *   performed in FP32", TPU system architecture docs), the MX spec's "should" for dot products;
 *   fp16: the f16-accumulate mma variant (HMMA f16.f16.f16.f16).
 * Each add is one IEEE rounding (Math.fround or an fp16 conversion) of (acc + a·b): an FMA chain in
 * K order. Real tensor cores add several products per step with their own alignment and rounding
 * (Fasi et al. 2021); Hopper's FP8 path keeps only ~14 bits per aligned product and promotes to fp32
 * every 128 elements (DeepSeek-V3 report §3.3.2, §3.5.2) — not emulated here, so FP8 errors here are
 * those of the formats, not of Hopper's reduced-precision adder (see docs/precision.md).
 */
export type Accumulate = "fp32" | "fp16";
export const ACCUMULATES: readonly Accumulate[] = ["fp32", "fp16"];

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
      if (accumulate === "fp32") {
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
