import type { AssessMode } from "../../assess/factor.js";
import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { InferenceEstimate } from "../../estimate/estimate-inference.js";
import { formatPrecision, type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { isTokenModel, maxContext } from "../model-inputs.js";
import { assessForReport } from "../report/assess-for-report.js";
import { energyBreakdown, memoryBreakdown, rooflineInput, scalingCounts, scalingSeries, timeBreakdown } from "../report/gather-report-data.js";
import { architectureOf, type ReportCharts, type ReportData } from "../report/report-data.js";
import { breakdownJob } from "./breakdown-job.js";
import { inferenceJob } from "./inference-job.js";
import { type ScalingResult, scalingJob } from "./scaling-job.js";

/**
 * The data of a report on chips for a workload: the assessment and every chart the engine can draw
 * today (architecture per chip, roofline with the workload's ops, time/memory/energy breakdowns,
 * scaling curve in training). `renderReport` (app/report/render-report.ts) turns it into HTML,
 * Markdown and SVG files; `xpusim report` does both.
 */
export interface ReportRequest {
  chips: readonly SpecRef[];
  model: SpecRef;
  mode: AssessMode;
  /** Chips the workload runs on (inference: tensor-parallel degree; training: the scale assessed). Default 1 (inference), 8 (training). */
  count?: number;
  precision?: PrecisionInput;
  /** Inference: sequences per batch (default 1), prompt and output tokens (default 2048 capped at the model's context, 256). */
  batch?: number;
  input_tokens?: number;
  output_tokens?: number;
  /** Training: sequence length (default 2048) and global batch (default 1024). */
  seq_len?: number;
  global_batch?: number;
  /** Training: the counts of the scaling curve (default 1, 8, 64, 1024 and `count`). */
  scaling_counts?: readonly number[];
  title?: string;
  /**
   * Chart data other models compute (the power/thermal timeline, precision points, cost breakdown),
   * drawn as given. Seam for the power, numerics and money models: fill these from their results.
   */
  extra_charts?: Pick<ReportCharts, "power_timelines" | "precision" | "cost">;
}

export type ReportJobResult = ReportData;

function checkRequest(req: ReportRequest): void {
  if (req.chips.length === 0) throw new XpusimError(error("E_SCHEMA", "chips", "a report needs at least one chip", { hint: "--chips nvidia-h100-sxm,google-tpu-v5p" }));
  if (req.mode !== "training" && req.mode !== "inference") throw new XpusimError(error("E_SCHEMA", "mode", `mode must be training or inference, got ${String(req.mode)}`));
  if (req.count !== undefined && !(Number.isInteger(req.count) && req.count >= 1)) throw new XpusimError(error("E_RANGE", "count", `count must be a whole number ≥ 1, got ${req.count}`));
}

export const reportJob = defineJob<ReportRequest, ReportJobResult>({
  id: "report",
  summary: "the data of a report on chips for a workload: the factor assessment and its charts (architecture, roofline, breakdowns, scaling)",
  supports: "every catalog or user chip and model the inference, breakdown and scaling jobs support; power timelines, precision points and cost breakdowns are optional inputs from their models",
  run(req, catalog) {
    checkRequest(req);
    const model = catalog.model(req.model);
    const chips = req.chips.map((c) => catalog.chip(c));
    const precision = resolvePrecision(req.precision);
    const training = req.mode === "training";
    const count = req.count ?? (training ? 8 : 1);
    const tokens = isTokenModel(model);
    const ctx = maxContext(model);
    const inputTokens = req.input_tokens ?? (tokens ? Math.min(2048, ctx ?? 2048) : 1);
    const outputTokens = req.output_tokens ?? (tokens && model.category === "decoder-llm" ? Math.min(256, Math.max(0, (ctx ?? 4096) - inputTokens)) : 0);
    const batch = req.batch ?? 1;
    const modelName = model.id ?? "model";
    const workload = training
      ? `${modelName}, ${formatPrecision(precision)}, global batch ${req.global_batch ?? 1024} × ${req.seq_len ?? 2048} tokens, ${count} chips`
      : `${modelName}, ${formatPrecision(precision)}, batch ${batch}${tokens ? `, ${inputTokens}+${outputTokens} tokens` : ""}, ${count} chip${count === 1 ? "" : "s"}`;
    const phase = tokens ? "prefill" : "forward";
    const passWhat = `${phase === "prefill" ? `prefill of ${batch} × ${inputTokens} tokens` : `forward pass of batch ${batch}`} on one chip`;
    const passes = req.chips.map((chip) => breakdownJob.run({ model: req.model, chip, batch, phase, precision: req.precision ?? {}, ...(tokens ? { seq: inputTokens } : {}) }, catalog));
    const inference = training ? [] : req.chips.map((chip) => inferenceJob.run({ chip, model: req.model, precision: req.precision ?? {}, batch, input_tokens: inputTokens, output_tokens: outputTokens, chips: count, tp: count, pp: 1 }, catalog));
    const scaling = training ? req.chips.map((chip) => scalingRun(chip, req, count, catalog)) : [];
    const charts: ReportCharts = {
      architectures: chips.map((c) => architectureOf(c)),
      rooflines: chips.map((c, i) => rooflineInput(c, passes[i]!, `${modelName} ${passWhat}, ${formatPrecision(precision)}`)),
      time_breakdown: timeBreakdown(passes, passWhat),
      ...inferenceCharts(inference),
      ...(training ? { scaling: { title: `Strong scaling of ${modelName} training (global batch ${req.global_batch ?? 1024})`, series: scalingSeries(scaling) } } : {}),
      ...req.extra_charts,
    };
    const assessment = assessForReport(
      { chips: req.chips, model: req.model, mode: req.mode, count, workload, inference, training: scaling.map((s) => s.points.find((p) => p.chips === count)) },
      catalog,
    );
    const notes = [...passes.flatMap((p) => p.warnings.map((w) => `${p.chip}, roofline pass: ${w}`)), ...scaling.filter((s) => !s.feasible).map((s) => `${s.chip}: ${s.infeasible_reason}`)];
    return { title: req.title ?? `xpusim report: ${modelName} ${req.mode} on ${chips.map((c) => c.id).join(", ")}`, assessment, charts, notes };
  },
});

function inferenceCharts(inference: readonly InferenceEstimate[]): ReportCharts {
  if (inference.length === 0) return {};
  const energy = energyBreakdown(inference);
  return { memory_breakdown: memoryBreakdown(inference), ...(energy ? { energy_breakdown: energy } : {}) };
}

function scalingRun(chip: SpecRef, req: ReportRequest, count: number, catalog: Catalog): ScalingResult {
  return scalingJob.run({ chip, model: req.model, chip_counts: scalingCounts(count, req.scaling_counts), seq_len: req.seq_len ?? 2048, precision: req.precision ?? {}, ...(req.global_batch !== undefined ? { global_batch: req.global_batch } : {}) }, catalog);
}
