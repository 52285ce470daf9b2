import type { Rounding } from "./round-scalar.js";
import type { SeededRng } from "./rng.js";

/**
 * Symmetric integer quantisation (absmax, as LLM.int8() §3.1): scale = amax / qmax with qmax =
 * 2^(b−1) − 1 (127 for int8, 7 for int4), q = clamp(round(x / scale), −qmax, qmax), value = q · scale.
 * −2^(b−1) is left unused so the grid is symmetric (the MXINT8 training note in the research file:
 * clipping to ±127 avoids a bias). The scale is an fp32 number.
 *
 * Granularity (rows are the contiguous, K-long vectors of a GEMM operand — tokens of A, output
 * channels of Bᵀ): per-tensor (one scale), per-channel (one per row), per-group (one per `group`
 * consecutive values of a row, AWQ/GPTQ `group_size`, 128 by default for int4).
 */
export type IntGranularity = "per-tensor" | "per-channel" | "per-group";
export const INT_GRANULARITIES: readonly IntGranularity[] = ["per-tensor", "per-channel", "per-group"];

/** An integer from a non-negative real: nearest-even, toward zero, or stochastic. */
export function roundMagnitude(y: number, rounding: Rounding, rng: SeededRng | undefined): number {
  const n = Math.floor(y);
  const frac = y - n;
  if (rounding === "truncate") return n;
  if (rounding === "stochastic") return frac > 0 && (rng ? rng.next() : 0.5) < frac ? n + 1 : n;
  return frac > 0.5 || (frac === 0.5 && n % 2 === 1) ? n + 1 : n;
}

function absMax(src: ArrayLike<number>, from: number, to: number): number {
  let amax = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(src[i]!);
    if (a > amax) amax = a;
  }
  return amax;
}

/** Quantises src[from, to) with one scale into dst. */
function quantizeSpan(src: ArrayLike<number>, dst: Float64Array, from: number, to: number, qmax: number, amax: number, rounding: Rounding, rng?: SeededRng): void {
  const scale = Math.fround(amax / qmax);
  for (let i = from; i < to; i++) {
    const x = src[i]!;
    if (scale === 0 || x !== x) {
      dst[i] = scale === 0 ? 0 : Number.NaN;
      continue;
    }
    const q = Math.min(roundMagnitude(Math.abs(x) / scale, rounding, rng), qmax);
    dst[i] = (x < 0 ? -q : q) * scale;
  }
}

export interface IntQuantOptions {
  bits: 8 | 4;
  granularity: IntGranularity;
  group: number;
  rounding: Rounding;
  rng?: SeededRng;
}

/** Dequantised values of a rows×cols row-major matrix after symmetric integer quantisation. */
export function quantizeIntRows(src: ArrayLike<number>, dst: Float64Array, rows: number, cols: number, o: IntQuantOptions): void {
  const qmax = 2 ** (o.bits - 1) - 1;
  if (o.granularity === "per-tensor") {
    quantizeSpan(src, dst, 0, rows * cols, qmax, absMax(src, 0, rows * cols), o.rounding, o.rng);
    return;
  }
  const span = o.granularity === "per-channel" ? cols : Math.min(o.group, cols);
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * cols;
    for (let from = r * cols; from < end; from += span) {
      const to = Math.min(from + span, end);
      quantizeSpan(src, dst, from, to, qmax, absMax(src, from, to), o.rounding, o.rng);
    }
  }
}
