import type { PrecisionChartInput, PrecisionPoint } from "../../charts/index.js";
import { XpusimError } from "../../diagnostics/diagnostic.js";
import type { FormatId } from "../../numerics/formats.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { chipSpeed, PRECISION_GEMM_DEFAULTS, type PrecisionGemmRequest, type PrecisionGemmResult, precisionGemmJob } from "../jobs/precision-gemm-job.js";
import { layerGemms, PRECISION_MODEL_DEFAULTS } from "../jobs/precision-model-job.js";

/** Multiply-adds emulated per format in the report's GEMM (a 16×16 output sample at K = 4096): the errors of a chart, in about 10 ms a format. */
export const REPORT_GEMM_BUDGET_MACS = 2 ** 20;
/** Rows of the report's GEMM at most: a modest prefill or micro-batch. */
export const REPORT_GEMM_MAX_TOKENS = 2048;

/**
 * The precision-gemm request the report runs: the model's largest layer GEMM (by multiply-adds:
 * QKV, attention output, FFN up or down; precision-model-job.ts builds them from the spec) with
 * `tokens` rows, on LLM-like activations when its input carries outlier channels, in the formats of
 * `xpusim precision model`. A model that is not a transformer gets the job's default GEMM.
 */
export function reportGemmRequest(model: ModelSpec, tokens: number, notes: string[]): { request: Omit<PrecisionGemmRequest, "chip">; gemm: string } {
  const formats = [...PRECISION_MODEL_DEFAULTS.formats];
  const base = { formats, seed: PRECISION_GEMM_DEFAULTS.seed, budget_macs: REPORT_GEMM_BUDGET_MACS };
  let shapes: ReturnType<typeof layerGemms>;
  try {
    shapes = layerGemms(model, Math.max(1, Math.min(REPORT_GEMM_MAX_TOKENS, tokens)), []);
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    const { m, n, k } = PRECISION_GEMM_DEFAULTS;
    notes.push(`precision chart: ${model.id} is not a transformer: errors and speed-ups of a ${m}×${n}×${k} GEMM`);
    return { request: { ...base, m, n, k, data: "normal" }, gemm: `a ${m}×${n}×${k} GEMM` };
  }
  const g = shapes.reduce((a, b) => (b.m * b.n * b.k > a.m * a.n * a.k ? b : a));
  return { request: { ...base, m: g.m, n: g.n, k: g.k, data: g.input === "normal" ? "normal" : "llm" }, gemm: `${model.id} ${g.name} GEMM ${g.m}×${g.n}×${g.k}` };
}

/** Points of one chip: every format with its error, the speed-up where the chip runs it natively. */
function pointsOf(chip: string, formats: readonly FormatId[], result: PrecisionGemmResult, speed: ReturnType<typeof chipSpeed>["rows"]): PrecisionPoint[] {
  return formats.flatMap((format, i) => {
    const e = result.rows[i]!.relative_error;
    if (e === null || !(e > 0)) return [];
    const s = speed[i]!;
    return [{ chip, format, speedup: s.native && s.speedup_x !== null ? s.speedup_x : null, error: e }];
  });
}

/**
 * Error against speed-up per format for each chip: the precision-gemm job once (the errors do not
 * depend on the chip: seeded data, fp32 accumulation), on the first chip, and the same speed-up
 * model (`chipSpeed`) for the others — what `precision gemm --chip <each>` gives for the same GEMM.
 */
export function precisionChartOf(refs: readonly SpecRef[], ids: readonly string[], model: ModelSpec, tokens: number, catalog: Catalog, notes: string[]): PrecisionChartInput | undefined {
  if (!refs.length) return undefined;
  const { request, gemm } = reportGemmRequest(model, tokens, notes);
  const result = precisionGemmJob.run({ ...request, chip: refs[0]! }, catalog);
  const formats = result.rows.map((r) => r.format);
  const shape = { m: result.m, n: result.n, k: result.k };
  const points = refs.flatMap((ref, i) => {
    const speed = i === 0 ? result.rows : chipSpeed(ref, catalog, formats, shape, []).rows;
    return pointsOf(ids[i]!, formats, result, speed);
  });
  return {
    title: "Numeric error vs speed-up per format",
    detail: `${gemm}; errors from a ${result.emulated.m}×${result.emulated.n} sample of the output, fp32 accumulation, seed ${result.seed}`,
    points,
    error_label: "relative error vs fp64",
    speedup_label: "speed-up vs the chip's bf16 (else fp16) rate (×)",
  };
}
