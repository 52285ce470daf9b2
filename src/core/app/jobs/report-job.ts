import type { AssessConditions, AssessMode, ChipAssessment, FactorContext } from "../../assess/factor.js";
import type { TimelineInput } from "../../charts/index.js";
import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import { formatPrecision, type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { isTokenModel, maxContext } from "../model-inputs.js";
import { costChartOf, type CostRow, costRowsOf } from "../report/cost-breakdown-data.js";
import { energyBreakdown, memoryBreakdown, rooflineInput, scalingSeriesOf, timeBreakdown, trainingEnergyBreakdown, trainingMemoryBreakdown } from "../report/gather-report-data.js";
import { powerTimelineOf } from "../report/power-timeline-data.js";
import { precisionChartOf } from "../report/precision-points-data.js";
import { architectureOf, type ReportCharts, type ReportData } from "../report/report-data.js";
import { assessJob } from "./assess-job.js";
import { type BreakdownResult, breakdownJob } from "./breakdown-job.js";

/**
 * The data of a report on chips for a workload: the assessment and every chart of issue #9, each
 * from the engine's own models — the factor comparison, an architecture diagram and a roofline per
 * chip, time/memory/energy breakdowns, the scalability factor's scaling curve (training), power and
 * junction temperature over time per chip (power model), error vs speed-up per numeric format
 * (precision-gemm job) and cost by component (money model). The memory, energy, scaling, power and
 * cost charts read the assessment's own estimates and conditions (nothing is estimated twice), so
 * every chart agrees with the factor table. `renderReport` (app/report/render-report.ts) turns it
 * into HTML, Markdown and SVG files; `xpusim report` does both.
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
  /** Training: the counts of the scaling curve, which is the scalability factor's (the assessment's `scale_counts`; default 1, 8, 64, 1024, 16384). */
  scaling_counts?: readonly number[];
  title?: string;
  /** Operating conditions of the assessment (power cap, cooling, PUE, $/kWh, …; see the assess job). */
  conditions?: AssessConditions;
  /** Factor weights of the assessment's ranking (default 1 each). */
  weights?: Readonly<Record<string, number>>;
  /** Chart data drawn as given instead of what the report computes (power timelines, precision points, cost breakdown). */
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
    ? `${model_name}, ${precision}, global batch ${req.global_batch ?? 1024}${tokens ? ` × ${req.seq_len ?? 2048} tokens` : ""}, ${count} chips`
    : `${model_name}, ${precision}, batch ${batch}${tokens ? `, ${input_tokens}+${output_tokens} tokens` : ""}, ${count} chip${count === 1 ? "" : "s"}`;
  const pass = `${model_name} ${tokens ? `prefill of ${batch} × ${input_tokens} tokens` : `forward pass of batch ${batch}`} on one chip, ${precision}`;
  return { training, count, tokens, batch, input_tokens, output_tokens, model_name, text, pass };
}

/** The roofline pass of one chip, or why the engine refuses it (the chip is then unknown, not dropped). */
interface ChipPass {
  pass?: BreakdownResult;
  failure?: string;
  error?: XpusimError;
}

function passOf(chip: SpecRef, req: ReportRequest, w: ReportWorkload, catalog: Catalog): ChipPass {
  try {
    return { pass: breakdownJob.run({ model: req.model, chip, batch: w.batch, phase: w.tokens ? "prefill" : "forward", precision: req.precision ?? {}, ...(w.tokens ? { seq: w.input_tokens } : {}) }, catalog) };
  } catch (e) {
    if (e instanceof XpusimError) return { failure: e.diagnostics.map((d) => d.message).join("; "), error: e };
    throw e;
  }
}

/** The assessment of the report's workload, and each chip's factor context (its estimate, system, shared analyses) in chip order. */
function assess(req: ReportRequest, w: ReportWorkload, catalog: Catalog) {
  const contexts: FactorContext[] = [];
  const assessment = assessJob.run(
    {
      chips: req.chips,
      model: req.model,
      mode: req.mode,
      count: w.count,
      ...(req.precision !== undefined ? { precision: req.precision } : {}),
      ...(w.training ? { batch: req.global_batch ?? 1024, ...(w.tokens ? { seq_len: req.seq_len ?? 2048 } : {}) } : { batch: w.batch, ...(w.tokens ? { input_tokens: w.input_tokens, output_tokens: w.output_tokens } : {}) }),
      ...(req.conditions ? { conditions: req.conditions } : {}),
      ...(req.weights ? { weights: req.weights } : {}),
      ...(req.scaling_counts ? { scale_counts: req.scaling_counts } : {}),
      observe: (ctx: FactorContext, _a: ChipAssessment) => void contexts.push(ctx),
    },
    catalog,
  );
  return { assessment, contexts };
}

export const reportJob = defineJob<ReportRequest, ReportJobResult>({
  id: "report",
  summary: "the data of a report on chips for a workload: the factor assessment and its charts (factors, architecture, roofline, breakdowns, scaling, power and temperature over time, precision error vs speed-up, cost)",
  supports:
    "every catalog or user chip and model the assess and breakdown jobs support (a chip they refuse is shown as unknown, with why); a chip without a TDP, thermal data or a price gets a note instead of that chart; extra_charts overrides the power, precision and cost charts",
  run(req, catalog) {
    checkRequest(req);
    const model = catalog.model(req.model);
    const w = reportWorkload(req, model);
    const chips = req.chips.map((c) => catalog.chip(c));
    const passes = req.chips.map((c) => passOf(c, req, w, catalog));
    // One chip the engine refuses is shown as unknown; when it refuses every chip, the input is at fault.
    if (passes.every((r) => r.error)) throw passes[0]!.error;
    const { assessment, contexts } = assess(req, w, catalog);
    const notes = [
      ...chips.flatMap((c, i) => (passes[i]!.failure ? [`${c.id}: not estimated: ${passes[i]!.failure}`] : [])),
      ...passes.flatMap((p) => (p.pass ? p.pass.warnings.map((m) => `${p.pass!.chip}, roofline pass: ${m}`) : [])),
    ];
    const ok = passes.flatMap((r) => (r.pass ? [r.pass] : []));
    const charts: ReportCharts = {
      architectures: chips.map((c) => architectureOf(c)),
      rooflines: chips.flatMap((c, i) => (passes[i]!.pass ? [rooflineInput(c, passes[i]!.pass!, w.pass)] : [])),
      ...(ok.length ? { time_breakdown: timeBreakdown(ok, w.pass) } : {}),
      ...estimateCharts(contexts, w, notes),
      ...modelCharts(req, w, model, contexts, assessment.chips, catalog, notes),
      ...req.extra_charts,
    };
    return { title: req.title ?? `xpusim report: ${w.model_name} ${req.mode} on ${chips.map((c) => c.id).join(", ")}`, assessment, charts, notes };
  },
});

/** Memory and energy breakdowns from the assessment's own estimates, and (training) its weak-scaling curve. */
function estimateCharts(contexts: readonly FactorContext[], w: ReportWorkload, notes: string[]): ReportCharts {
  for (const c of contexts) if (c.estimate_issue) notes.push(`${c.chip.id}: ${c.estimate_issue}`);
  if (!w.training) {
    const inference = contexts.flatMap((c) => (c.inference ? [c.inference] : []));
    if (!inference.length) return {};
    const energy = energyBreakdown(inference);
    return { memory_breakdown: memoryBreakdown(inference), ...(energy ? { energy_breakdown: energy } : {}) };
  }
  const training = contexts.flatMap((c) => (c.training ? [c.training] : []));
  const energy = trainingEnergyBreakdown(training);
  const curves = contexts.flatMap((c) => (c.shared ? [{ chip: c.chip.id, curve: c.shared.scalingCurve() }] : []));
  const batch = curves[0]?.curve.batch_per_chip;
  return {
    ...(training.length ? { memory_breakdown: trainingMemoryBreakdown(training) } : {}),
    ...(energy ? { energy_breakdown: energy } : {}),
    ...(curves.length ? { scaling: { title: `Weak scaling of ${w.model_name} training (${batch} sequence(s) per chip): the scalability factor's curve`, series: curves.map((c) => scalingSeriesOf(c.chip, c.curve)) } } : {}),
  };
}

/** Power and temperature over time, precision error vs speed-up, and cost by component: the power, numerics and money models on the assessment's workload and conditions. */
function modelCharts(req: ReportRequest, w: ReportWorkload, model: ModelSpec, contexts: readonly FactorContext[], assessed: readonly ChipAssessment[], catalog: Catalog, notes: string[]): ReportCharts {
  const timelines: TimelineInput[] = [];
  const costs: Array<{ unit: string; rows: CostRow[] }> = [];
  contexts.forEach((ctx, i) => {
    // A workload that cannot run on the chip has no power over time (the notes already say why).
    const t: ReturnType<typeof powerTimelineOf> = assessed[i]?.infeasible_reason ? { note: `${ctx.chip.id}: no power timeline: the workload cannot run on it` } : powerTimelineOf(ctx);
    if ("chart" in t) timelines.push(t.chart);
    else notes.push(t.note);
    const c = costRowsOf(ctx, assessed[i]?.factors.cost);
    if ("chart" in c) costs.push(c.chart);
    else notes.push(c.note);
  });
  const cost = costChartOf(costs, notes, w.text);
  const tokens = w.training ? (req.seq_len ?? 2048) : w.batch * (w.tokens ? w.input_tokens : 1);
  const precision = precisionChartOf(req.chips, contexts.map((c) => c.chip.id), model, tokens, catalog, notes);
  return { ...(timelines.length ? { power_timelines: timelines } : {}), ...(precision ? { precision } : {}), ...(cost ? { cost } : {}) };
}
