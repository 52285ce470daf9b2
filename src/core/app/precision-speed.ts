import type { CostContext } from "../cost/contract.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import { estimateOpSpec } from "../estimate/estimate-op.js";
import { nativeMathDType } from "../estimate/native-precision.js";
import type { Chip } from "../hardware/chip.js";
import { FORMATS, type FormatId } from "../numerics/formats.js";
import type { DType } from "../units/dtype.js";

/**
 * What a numeric format buys on a chip for a GEMM shape: the op estimator's latency at the chip
 * dtype the format maps to (numerics/formats.ts `chip_dtype`) against the chip's 16-bit baseline
 * (bf16, else fp16). A format whose dtype the chip's matrix engine lacks says so and gets no
 * speed-up (null), never a fake one; fp32 runs on the vector units where there is no fp32 matrix rate.
 */
export interface FormatSpeed {
  chip_dtype: DType | null;
  /** Whether the chip runs the format's dtype natively (null: no chip given). */
  native: boolean | null;
  latency_s: number | null;
  /** Baseline latency / this latency (same shape). */
  speedup_x: number | null;
  /** Matrix peak at this dtype / matrix peak at the baseline dtype. */
  peak_speedup_x: number | null;
  note: string | null;
}

export const BASELINE_PREFERENCE: readonly DType[] = ["bf16", "fp16"];

export function baselineDType(chip: Chip): DType | undefined {
  return nativeMathDType(chip, BASELINE_PREFERENCE);
}

/** Whether a chip runs a dtype natively: a matrix peak, or fp32 on the vector units. */
export function runsNatively(chip: Chip, dtype: DType): boolean {
  if ((chip.matrix.peak_flops_per_s[dtype] ?? 0) > 0) return true;
  return dtype === "fp32" && (chip.vector.peak_flops_per_s.fp32 ?? 0) > 0;
}

export interface GemmShape {
  m: number;
  n: number;
  k: number;
}

/** Latency of the GEMM at `dtype`, or undefined when the chip cannot run it. */
export function gemmLatency(ctx: CostContext, shape: GemmShape, dtype: DType): number | undefined {
  try {
    return estimateOpSpec({ type: "gemm", ...shape, batch: 1, dtype }, ctx).latency_s;
  } catch (e) {
    if (e instanceof XpusimError && e.diagnostics.some((d) => d.code === "E_UNSUPPORTED")) return undefined;
    throw e;
  }
}

function peakOf(chip: Chip, dtype: DType): number | undefined {
  return chip.matrix.peak_flops_per_s[dtype] ?? (dtype === "fp32" ? chip.vector.peak_flops_per_s.fp32 : undefined);
}

/** The speed of a format over a list of GEMM shapes (one layer), against the baseline dtype. */
export function formatSpeed(ctx: CostContext, format: FormatId, shapes: readonly GemmShape[], baseline: { dtype: DType; latency_s: number } | undefined): FormatSpeed {
  const chip = ctx.chip;
  const dtype = FORMATS[format].chip_dtype;
  const none = { latency_s: null, speedup_x: null, peak_speedup_x: null };
  if (dtype === null) return { chip_dtype: null, native: false, ...none, note: "the chip catalog has no fp6 dtype (some chips, e.g. B200, run FP6 at their FP8 rate: see the chip notes): no speed-up claimed" };
  if (!runsNatively(chip, dtype)) return { chip_dtype: dtype, native: false, ...none, note: `no ${dtype} on the ${chip.id} matrix engine: no speed-up` };
  let latency = 0;
  for (const s of shapes) {
    const t = gemmLatency(ctx, s, dtype);
    if (t === undefined) return { chip_dtype: dtype, native: false, ...none, note: `the cost models cannot run ${dtype} on ${chip.id}` };
    latency += t;
  }
  const basePeak = baseline ? peakOf(chip, baseline.dtype) : undefined;
  const peak = peakOf(chip, dtype);
  const notes: string[] = [];
  if (!chip.matrix.peak_flops_per_s[dtype]) notes.push("fp32 runs on the vector units");
  if (format.endsWith("fnuz")) notes.push("the catalog's fp8 rate does not say OCP or FNUZ: MI300X/MI325X (gfx942) run FNUZ, MI350/MI355 and NVIDIA parts OCP");
  if (FORMATS[format].kind === "mx" || FORMATS[format].kind === "nvfp4") notes.push(`block scales: the catalog's ${dtype} rate does not say whether the chip applies them in hardware (Blackwell does; Hopper scales per block in software, DeepSeek-V3 §3.3.2)`);
  return {
    chip_dtype: dtype,
    native: true,
    latency_s: latency,
    speedup_x: baseline ? baseline.latency_s / latency : null,
    peak_speedup_x: basePeak && peak ? peak / basePeak : null,
    note: notes.length ? notes.join("; ") : null,
  };
}

/** The baseline (bf16, else fp16) latency of the shapes on the chip, or undefined with no 16-bit rate. */
export function baselineLatency(ctx: CostContext, shapes: readonly GemmShape[]): { dtype: DType; latency_s: number } | undefined {
  const dtype = baselineDType(ctx.chip);
  if (!dtype) return undefined;
  let latency_s = 0;
  for (const s of shapes) {
    const t = gemmLatency(ctx, s, dtype);
    if (t === undefined) return undefined;
    latency_s += t;
  }
  return { dtype, latency_s };
}
