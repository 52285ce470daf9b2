import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { FORMATS, resolveFormat, type FormatId } from "../../numerics/formats.js";
import { ACCUMULATES, type Accumulate, emulateGemm, type EmulatedGemm } from "../../numerics/gemm.js";
import type { GemmErrors } from "../../numerics/gemm-error.js";
import type { IntGranularity } from "../../numerics/quantize-int.js";
import type { Rounding } from "../../numerics/round-scalar.js";
import { emulateSampledGemm } from "../../numerics/sampled-gemm.js";
import type { DType } from "../../units/dtype.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { baselineLatency, formatSpeed, type FormatSpeed, type GemmShape } from "../precision-speed.js";
import { checkRounding } from "./precision-cast-job.js";

/**
 * One GEMM in each numeric format: error vs an fp64 reference (max abs, RMS, relative, SNR dB) on
 * seeded data (or the user's matrices), beside the speed-up the format buys on a chip for the same
 * shape (op estimator at the chip dtype the format maps to, against the chip's bf16/fp16 rate).
 */
export interface Matrix2D {
  rows: number;
  cols: number;
  /** Row-major values. */
  data: ArrayLike<number>;
}

export interface PrecisionGemmRequest {
  formats: readonly string[];
  /** Shape (ignored for A and B when `a` and `b` are given). */
  m?: number;
  n?: number;
  k?: number;
  a?: Matrix2D;
  b?: Matrix2D;
  accumulate?: Accumulate;
  rounding?: Rounding;
  seed?: number;
  /** Seeded A: N(0,1) ("normal", default) or LLM-like activations with outlier channels ("llm"). */
  data?: "normal" | "llm";
  int_granularity?: IntGranularity;
  group_size?: number;
  /** Chip whose speed-up per format is reported; none → errors only. */
  chip?: SpecRef;
  /** Seeded data: multiply-adds emulated per format (default 2^23); a large GEMM is sampled down to it (all of K kept). */
  budget_macs?: number;
}

export type PrecisionGemmRow = { format: FormatId; kind: string; bits_per_value: number } & GemmErrors & FormatSpeed;

export interface PrecisionGemmResult {
  m: number;
  n: number;
  k: number;
  /** The shape emulated: seeded data samples rows and columns of large GEMMs (K is always whole). */
  emulated: { m: number; n: number; k: number };
  accumulate: Accumulate;
  rounding: Rounding;
  seed: number;
  data: string;
  chip: string | null;
  baseline_dtype: DType | null;
  baseline_latency_s: number | null;
  rows: PrecisionGemmRow[];
  notes: string[];
}

export const PRECISION_GEMM_DEFAULTS = { m: 128, n: 128, k: 1024, seed: 1, accumulate: "fp32", rounding: "rne" } as const;

function checkDim(v: number | undefined, name: string, fallback: number): number {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < 1) throw new XpusimError(error("E_RANGE", name, `${name} must be a positive integer`, { got: String(v) }));
  return x;
}

export function resolveFormats(names: readonly string[], path = "formats"): FormatId[] {
  if (!names.length) throw new XpusimError(error("E_SCHEMA", path, "at least one format is needed", { hint: `e.g. bf16,fp8-e4m3,mxfp4 (known: ${Object.keys(FORMATS).join(", ")})` }));
  return [...new Set(names.map((n, i) => resolveFormat(n, `${path}[${i}]`)))];
}

export function checkAccumulate(a: string | undefined): Accumulate {
  if (a === undefined) return "fp32";
  if ((ACCUMULATES as readonly string[]).includes(a)) return a as Accumulate;
  throw new XpusimError(error("E_SCHEMA", "accumulate", `unknown accumulator "${a}"`, { expected: ACCUMULATES.join(", "), got: a }));
}

function fromMatrices(a: Matrix2D, b: Matrix2D, formats: FormatId[], o: Parameters<typeof emulateGemm>[2]): { shape: GemmShape; results: EmulatedGemm[] } {
  if (a.cols !== b.rows) {
    throw new XpusimError(error("E_RANGE", "b", `A is ${a.rows}×${a.cols} and B is ${b.rows}×${b.cols}: B needs ${a.cols} rows (K)`, { got: `${b.rows} rows` }));
  }
  const shape = { m: a.rows, n: b.cols, k: a.cols };
  return { shape, results: emulateGemm({ ...shape, a: a.data, b: b.data }, formats, o) };
}

export const precisionGemmJob = defineJob<PrecisionGemmRequest, PrecisionGemmResult>({
  id: "precision-gemm",
  summary: "one GEMM in each numeric format: error vs fp64 and the speed-up each format buys on a chip",
  supports: "every numerics format; fp32 or fp16 accumulation; seeded normal or LLM-like data, or given matrices; speed-up from the op estimator",
  run(req, catalog) {
    const formats = resolveFormats(req.formats);
    const accumulate = checkAccumulate(req.accumulate);
    const rounding = checkRounding(req.rounding) ?? "rne";
    const seed = req.seed ?? PRECISION_GEMM_DEFAULTS.seed;
    const o = { accumulate, rounding, seed, ...(req.int_granularity ? { int_granularity: req.int_granularity } : {}), ...(req.group_size !== undefined ? { group_size: req.group_size } : {}) };
    if (req.data !== undefined && req.data !== "normal" && req.data !== "llm") {
      throw new XpusimError(error("E_SCHEMA", "data", `unknown seeded data "${String(req.data)}"`, { expected: "normal, llm" }));
    }
    if ((req.a === undefined) !== (req.b === undefined)) throw new XpusimError(error("E_SCHEMA", req.a ? "b" : "a", "give both A and B, or neither (seeded data)"));
    let shape: GemmShape;
    let emulated: GemmShape;
    let results: EmulatedGemm[];
    let data: string;
    const notes: string[] = [];
    if (req.a && req.b) {
      ({ shape, results } = fromMatrices(req.a, req.b, formats, o));
      emulated = shape;
      data = "given matrices";
    } else {
      shape = { m: checkDim(req.m, "m", PRECISION_GEMM_DEFAULTS.m), n: checkDim(req.n, "n", PRECISION_GEMM_DEFAULTS.n), k: checkDim(req.k, "k", PRECISION_GEMM_DEFAULTS.k) };
      if (req.budget_macs !== undefined && !(Number.isFinite(req.budget_macs) && req.budget_macs >= 1)) throw new XpusimError(error("E_RANGE", "budget_macs", "the emulation budget must be a positive number of multiply-adds", { got: String(req.budget_macs) }));
      const s = emulateSampledGemm({ ...shape, seed, activations: req.data === "llm" ? "llm" : "normal", ...(req.budget_macs !== undefined ? { budget_macs: req.budget_macs } : {}) }, formats, o);
      ({ results } = s);
      emulated = s.emulated;
      data = req.data === "llm" ? `seeded (seed ${seed}): A LLM-like activations, outlier channels ${s.outlier_channels.join(", ")}; B N(0, 1/K)` : `seeded (seed ${seed}): A N(0,1), B N(0, 1/K)`;
      if (emulated.m < shape.m || emulated.n < shape.n) notes.push(`errors from a ${emulated.m}×${emulated.n} sample of the output (all of K); speed-ups for the full ${shape.m}×${shape.n}×${shape.k}`);
    }
    const speed = chipSpeed(req.chip, catalog, formats, shape, notes);
    const rows = results.map((r, i) => ({ format: r.format, kind: FORMATS[r.format].kind, bits_per_value: FORMATS[r.format].bits_per_value, ...r.errors, ...speed.rows[i]! }));
    notes.push("narrow scalar formats (≤ 8 bits) use an fp32 per-tensor scale (amax → the format's max); MX and NVFP4 block along K");
    return { ...shape, emulated, accumulate, rounding, seed, data, chip: speed.chip, baseline_dtype: speed.baseline?.dtype ?? null, baseline_latency_s: speed.baseline?.latency_s ?? null, rows, notes };
  },
});

const NO_CHIP: FormatSpeed = { chip_dtype: null, native: null, latency_s: null, speedup_x: null, peak_speedup_x: null, note: null };

/** Speed per format on the chip (or nothing without a chip), for a layer's shapes. */
export function chipSpeed(ref: SpecRef | undefined, catalog: Catalog, formats: readonly FormatId[], shape: GemmShape | readonly GemmShape[], notes: string[]) {
  const shapes = Array.isArray(shape) ? (shape as GemmShape[]) : [shape as GemmShape];
  if (ref === undefined) return { chip: null, baseline: undefined, rows: formats.map((f) => ({ ...NO_CHIP, chip_dtype: FORMATS[f].chip_dtype })) };
  const chip = catalog.chip(ref);
  const ctx = catalog.context(chip);
  const baseline = baselineLatency(ctx, shapes);
  if (!baseline) notes.push(`${chip.id} has no bf16 or fp16 matrix rate: speed-ups have no baseline`);
  return { chip: chip.id, baseline, rows: formats.map((f) => formatSpeed(ctx, f, shapes, baseline)) };
}
