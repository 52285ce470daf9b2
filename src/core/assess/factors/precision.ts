import type { Chip } from "../../hardware/chip.js";
import { FORMATS, type FormatId } from "../../numerics/formats.js";
import { STANDARD_GEMM, standardGemmError } from "../../numerics/sampled-gemm.js";
import type { DType } from "../../units/dtype.js";
import { type AssessMode, type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/**
 * The precision factor: how much faster the chip's matrix engine runs at the narrowest format the
 * mode can use than at its 16-bit rate, and what that format costs in accuracy.
 *
 * Candidates per mode (the format emulated for the error, and the chip dtype whose peak it runs at):
 *   training: fp8 (E4M3 with per-tensor scales; master weights, optimizer state and accumulation
 *     stay bf16/fp32, as FP8 training does: Micikevicius et al. 2022, DeepSeek-V3 §3.3), else bf16/fp16.
 *     FP4 training is research (NVFP4 paper), not counted.
 *   inference: fp4 (MXFP4: the OCP block format both NVIDIA Blackwell and AMD MI355X run; NVFP4's
 *     error is in the details), int4 (per-group 128), fp8 (E4M3), int8 (per-channel), then 16-bit.
 * The chosen format is the candidate with the highest matrix peak on this chip (ties between narrow
 * formats: the smaller GEMM error; between 16-bit ones: bf16). value = that peak / the bf16 peak (fp16 where the chip has no bf16), unit "x vs bf16".
 * Details carry the SNR of a fixed seeded GEMM (numerics STANDARD_GEMM, cached per format).
 */
const CANDIDATES: Record<AssessMode, readonly FormatId[]> = {
  training: ["fp8-e4m3", "bf16", "fp16"],
  inference: ["mxfp4", "int4", "fp8-e4m3", "int8", "bf16", "fp16"],
};

/** What narrower formats the chip lacks, named for limited_by. */
const NARROWER: Record<AssessMode, ReadonlyArray<{ dtype: DType; label: string }>> = {
  training: [{ dtype: "fp8", label: "fp8" }],
  inference: [
    { dtype: "fp4", label: "fp4" },
    { dtype: "int4", label: "int4" },
    { dtype: "fp8", label: "fp8" },
    { dtype: "int8", label: "int8" },
  ],
};

function peak(chip: Chip, dtype: DType): number {
  return chip.matrix.peak_flops_per_s[dtype] ?? 0;
}

/**
 * Numerics formats whose chip dtype the matrix engine runs. The catalog's fp8 does not say OCP or
 * AMD FNUZ, so the FNUZ variants are not listed (the OCP ones stand for fp8).
 */
export function nativeFormats(chip: Chip): FormatId[] {
  return (Object.keys(FORMATS) as FormatId[]).filter((f) => {
    if (f.endsWith("fnuz")) return false;
    const dt = FORMATS[f].chip_dtype;
    return dt !== null && peak(chip, dt) > 0;
  });
}

/** The candidate the chip runs fastest (ties: lower GEMM error). */
export function narrowestFormat(chip: Chip, mode: AssessMode): FormatId | undefined {
  let best: FormatId | undefined;
  for (const f of CANDIDATES[mode]) {
    const dt = FORMATS[f].chip_dtype!;
    if (peak(chip, dt) <= 0) continue;
    if (!best) {
      best = f;
      continue;
    }
    const a = peak(chip, dt);
    const b = peak(chip, FORMATS[best].chip_dtype!);
    // Equal rates between two narrow formats (fp8 vs int8): the smaller error; 16-bit ties keep the list order (bf16 first).
    const narrow = FORMATS[f].bits_per_value <= 8.5 && FORMATS[best].bits_per_value <= 8.5;
    if (a > b || (a === b && narrow && (standardGemmError(f).errors.snr_db ?? 0) > (standardGemmError(best).errors.snr_db ?? 0))) best = f;
  }
  return best;
}

function sourceOf(chip: Chip, dtype: DType): string | undefined {
  const refs = chip.provenance[`matrix.peak_flops_per_s.${dtype}`]?.source ?? [];
  const titles = refs.map((r) => chip.sources[String(r)]?.title).filter((t): t is string => Boolean(t));
  return titles.length ? [...new Set(titles)].join("; ") : undefined;
}

/** What keeps the chip from a narrower (faster) format of the mode: missing dtypes, or ones no faster. */
function limitedBy(chip: Chip, mode: AssessMode, chosen: DType): string | null {
  const order = NARROWER[mode];
  const at = order.findIndex((n) => n.dtype === chosen);
  const narrower = at < 0 ? order : order.slice(0, at);
  const missing = narrower.filter((n) => peak(chip, n.dtype) <= 0).map((n) => n.label);
  const notFaster = narrower.filter((n) => peak(chip, n.dtype) > 0).map((n) => n.label);
  const parts: string[] = [];
  if (missing.length) parts.push(`no ${missing.join("/")} on the matrix engine`);
  if (notFaster.length) parts.push(`${notFaster.join("/")} no faster than ${chosen} on this chip`);
  if (mode === "training" && chosen === "fp8") parts.push("training keeps bf16/fp32 master weights and accumulation; fp4 training is not standard");
  return parts.length ? parts.join("; ") : null;
}

export function precisionFactor(ctx: FactorContext): FactorValue {
  const chip = ctx.chip;
  const unit = "x vs bf16";
  const baseDType: DType | undefined = peak(chip, "bf16") > 0 ? "bf16" : peak(chip, "fp16") > 0 ? "fp16" : undefined;
  const natives = nativeFormats(chip);
  if (!baseDType) {
    return {
      ...unknownFactor(unit, "higher", ["matrix.peak_flops_per_s.bf16", "matrix.peak_flops_per_s.fp16"], `${chip.id} has no bf16 or fp16 matrix peak: no 16-bit rate to compare narrower formats with`),
      details: { native_formats: natives.join(", ") || "none" },
    };
  }
  const chosen = narrowestFormat(chip, ctx.mode) ?? baseDType;
  const dtype = FORMATS[chosen].chip_dtype!;
  const err = standardGemmError(chosen).errors;
  const base = standardGemmError(baseDType).errors;
  const value = peak(chip, dtype) / peak(chip, baseDType);
  const src = [sourceOf(chip, dtype), sourceOf(chip, baseDType)].filter(Boolean);
  const inference = ctx.mode === "inference";
  const details: Record<string, number | string | boolean | null> = {
    format: chosen,
    chip_dtype: dtype,
    peak_flops_per_s: peak(chip, dtype),
    baseline_dtype: baseDType,
    baseline_peak_flops_per_s: peak(chip, baseDType),
    native_formats: natives.join(", "),
    snr_db: err.snr_db,
    relative_error: err.relative_error,
    baseline_snr_db: base.snr_db,
    emulated_gemm: `${STANDARD_GEMM.m}×${STANDARD_GEMM.n}×${STANDARD_GEMM.k}, LLM-like activations with outlier channels, seed ${STANDARD_GEMM.seed}, fp32 accumulation`,
    ...(dtype === "fp4" ? { nvfp4_snr_db: standardGemmError("nvfp4").errors.snr_db } : {}),
    ...(ctx.mode === "training" ? { master_weights: "bf16/fp32 (fp32 accumulation)" } : {}),
  };
  return {
    value,
    unit,
    better: "higher",
    rank: null,
    limited_by: limitedBy(chip, ctx.mode, dtype),
    note: `${inference ? "inference" : "training"} at ${chosen} runs the matrix engine's ${dtype} peak, ${value.toFixed(2)}× its ${baseDType} rate; emulated GEMM SNR ${err.snr_db?.toFixed(1) ?? "—"} dB vs ${base.snr_db?.toFixed(1) ?? "—"} dB at ${baseDType}`,
    basis: "derived",
    ...(src.length ? { source: [...new Set(src)].join("; ") } : {}),
    details,
  };
}
