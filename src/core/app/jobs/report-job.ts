import type { AssessConditions, AssessMode } from "../../assess/factor.js";
import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { InferenceEstimate } from "../../estimate/estimate-inference.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import { formatPrecision, type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { isTokenModel, maxContext } from "../model-inputs.js";
import { energyBreakdown, memoryBreakdown, rooflineInput, scalingCounts, scalingSeries, timeBreakdown } from "../report/gather-report-data.js";
import { architectureOf, type ReportCharts, type ReportData } from "../report/report-data.js";
import { assessJob } from "./assess-job.js";
import { type BreakdownResult, breakdownJob } from "./breakdown-job.js";
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
  /** Operating conditions of the assessment (power cap, cooling, PUE, $/kWh, …; see the assess job). */
  conditions?: AssessConditions;
  /** Factor weights of the assessment's ranking (default 1 each). */
  weights?: Readonly<Record<string, number>>;
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

/** The workload as the report runs it: defaults applied, described in words. */
interface ReportWorkload {
  training: boolean;
  count: number;
  tokens: boolean;
  batch: number;
  input_tokens: number;
  output_tokens: number;
  model_name: string;
  /** The assessed workload, in words. */
  text: string;
  /** The pass the rooflines and time breakdown show, in words. */
  pass: string;
}

function reportWorkload(req: ReportRequest, model: ModelSpec): ReportWorkload {
  const precision = formatPrecision(resolvePrecision(req.precision));
  const training = req.mode === "training";
  const count = req.count ?? (training ? 8 : 1);
  const tokens = isTokenModel(model);
  const ctx = maxContext(model);
  const input_tokens = req.input_tokens ?? (tokens ? Math.min(2048, ctx ?? 2048) : 1);
  const output_tokens = req.output_tokens ?? (tokens && model.category === "decoder-llm" ? Math.min(256, Math.max(0, (ctx ?? 4096) - input_tokens)) : 0);
  const batch = req.batch ?? 1;
  const model_name = model.id ?? "model";
  const text = training
    ? `${model_name}, ${precision}, global batch ${req.global_batch ?? 1024} × ${req.seq_len ?? 2048} tokens, ${count} chips`
    : `${model_name}, ${precision}, batch ${batch}${tokens ? `, ${input_tokens}+${output_tokens} tokens` : ""}, ${count} chip${count === 1 ? "" : "s"}`;
  const pass = `${model_name} ${tokens ? `prefill of ${batch} × ${input_tokens} tokens` : `forward pass of batch ${batch}`} on one chip, ${precision}`;
  return { training, count, tokens, batch, input_tokens, output_tokens, model_name, text, pass };
}

/** What the engine gives for one chip; `failure` says why an estimate could not be made (the chip is then unknown, not dropped). */
interface ChipRun {
  pass?: BreakdownResult;
  inference?: InferenceEstimate;
  scaling?: ScalingResult;
  failure?: string;
  error?: XpusimError;
}

function runChip(chip: SpecRef, req: ReportRequest, w: ReportWorkload, catalog: Catalog): ChipRun {
  const precision = req.precision ?? {};
  try {
    const pass = breakdownJob.run({ model: req.model, chip, batch: w.batch, phase: w.tokens ? "prefill" : "forward", precision, ...(w.tokens ? { seq: w.input_tokens } : {}) }, catalog);
    if (w.training) return { pass, scaling: scalingRun(chip, req, w.count, catalog) };
    return { pass, inference: inferenceJob.run({ chip, model: req.model, precision, batch: w.batch, input_tokens: w.input_tokens, output_tokens: w.output_tokens, chips: w.count, tp: w.count, pp: 1 }, catalog) };
  } catch (e) {
    if (e instanceof XpusimError) return { failure: e.diagnostics.map((d) => d.message).join("; "), error: e };
    throw e;
  }
}

export const reportJob = defineJob<ReportRequest, ReportJobResult>({
  id: "report",
  summary: "the data of a report on chips for a workload: the factor assessment and its charts (architecture, roofline, breakdowns, scaling)",
  supports: "every catalog or user chip and model the inference, breakdown and scaling jobs support (a chip they refuse is shown as unknown, with why); power timelines, precision points and cost breakdowns are optional inputs from their models",
  run(req, catalog) {
    checkRequest(req);
    const w = reportWorkload(req, catalog.model(req.model));
    const chips = req.chips.map((c) => catalog.chip(c));
    const runs = req.chips.map((c) => runChip(c, req, w, catalog));
    // One chip the engine refuses is shown as unknown; when it refuses every chip, the input is at fault.
    if (runs.every((r) => r.error)) throw runs[0]!.error;
    const passes = runs.flatMap((r) => (r.pass ? [r.pass] : []));
    const inference = runs.flatMap((r) => (r.inference ? [r.inference] : []));
    const scaling = runs.flatMap((r) => (r.scaling ? [r.scaling] : []));
    const charts: ReportCharts = {
      architectures: chips.map((c) => architectureOf(c)),
      rooflines: chips.flatMap((c, i) => (runs[i]!.pass ? [rooflineInput(c, runs[i]!.pass!, w.pass)] : [])),
      ...(passes.length ? { time_breakdown: timeBreakdown(passes, w.pass) } : {}),
      ...inferenceCharts(inference),
      ...(scaling.length ? { scaling: { title: `Strong scaling of ${w.model_name} training (global batch ${req.global_batch ?? 1024})`, series: scalingSeries(scaling) } } : {}),
      ...req.extra_charts,
    };
    const assessment = assessJob.run(
      {
        chips: req.chips,
        model: req.model,
        mode: req.mode,
        count: w.count,
        ...(req.precision !== undefined ? { precision: req.precision } : {}),
        ...(w.training ? { batch: req.global_batch ?? 1024, seq_len: req.seq_len ?? 2048 } : { batch: w.batch, input_tokens: w.input_tokens, output_tokens: w.output_tokens }),
        ...(req.conditions ? { conditions: req.conditions } : {}),
        ...(req.weights ? { weights: req.weights } : {}),
      },
      catalog,
    );
    const notes = [
      ...chips.flatMap((c, i) => (runs[i]!.failure ? [`${c.id}: not estimated: ${runs[i]!.failure}`] : [])),
      ...passes.flatMap((p) => p.warnings.map((m) => `${p.chip}, roofline pass: ${m}`)),
      ...scaling.filter((s) => !s.feasible).map((s) => `${s.chip}: ${s.infeasible_reason}`),
    ];
    return { title: req.title ?? `xpusim report: ${w.model_name} ${req.mode} on ${chips.map((c) => c.id).join(", ")}`, assessment, charts, notes };
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
