import type { Bound } from "../../cost/contract.js";
import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { EvaluateOptions, GraphCost } from "../../estimate/evaluate-graph.js";
import { evaluateGraph } from "../../estimate/evaluate-graph.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import type { CostContext } from "../../cost/contract.js";
import { inferenceActivationPeakBytes } from "../../estimate/activation-memory.js";
import { runtimeOverheadBytes, weightsPerChipBytes } from "../../estimate/inference-memory.js";
import { buildWorkload, kvCacheBytes, modelParams, type WorkloadShape } from "../../workload/build-workload.js";
import type { WorkloadGraph } from "../../workload/op.js";
import { type Precision, type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import { unnamedMathDType } from "../../estimate/native-precision.js";
import { fmtBytes } from "../../report/table.js";
import type { SpecRef } from "../catalog.js";
import { checkInferenceRequest, type InferenceLayout, inferenceNetwork } from "../../estimate/inference-layout.js";
import { kvSharePerChip, layoutWeightsPerChipBytes } from "../../estimate/inference-memory.js";
import { inferencePasses, passCommS } from "../../estimate/inference-pass.js";
import type { Catalog } from "../catalog.js";
import { defineJob } from "../job.js";
import { checkInputsApply, isTokenModel, maxContext } from "../model-inputs.js";

/**
 * One forward pass of a model (a prefill, one decode step, or a CNN/ViT forward) on one chip, with
 * the per-block and per-op breakdown: time, share, bound, FLOPs, bytes, which cost model answered.
 * What `xpusim run` shows.
 */
export interface BreakdownRequest {
  model: SpecRef;
  chip: SpecRef;
  /** Sequences or images (default 1). */
  batch?: number;
  /** New tokens per sequence (default: 2048 capped at the model's context for prefill, 1 for decode). */
  seq?: number;
  /** Tokens attended incl. the new ones (default: seq). */
  context?: number;
  image_size?: number;
  /** Default prefill. */
  phase?: "prefill" | "decode" | "forward";
  /** Math and storage dtypes; unset fields follow the math (default bf16, or the chip's native one with `dtype_default: "native"`). */
  precision?: PrecisionInput;
  /** With no math dtype given: "native" runs the chip's native one (bf16, else fp16, fp8, int8) and warns which; "schema" (default) bf16. */
  dtype_default?: "native" | "schema";
  /**
   * Tokens whose logits the LM head computes in a prefill: "all" (default; the FLOP convention of
   * models.md) or "last" (serving engines; what the inference job's TTFT prices).
   */
  logits?: "all" | "last";
  execution?: "graph" | "eager";
  cost_model?: string;
  /** Tensor-parallel chips the pass is sharded over (default 1): the ops shown are one chip's shard. */
  tp?: number;
  /** The system the tp chips sit in (default: the chip's own default system). */
  system?: SpecRef;
}

export interface BreakdownOpRow {
  block: string;
  op: string;
  kind: string;
  repeat: number;
  time_s: number;
  total_time_s: number;
  share: number;
  flops: number;
  bytes: number;
  utilization: number;
  bound: string;
  cost_model: string;
  notes: string;
}

export interface BreakdownResult {
  model: string;
  token_model: boolean;
  image_size?: number;
  chip: string;
  phase: "prefill" | "decode" | "forward";
  batch: number;
  new_tokens: number;
  context_tokens: number;
  precision: Precision;
  params_total: number;
  time_s: number;
  flops: number;
  bytes: number;
  achieved_flops_per_s: number;
  energy_j?: number;
  bound: Bound;
  time_by_bound_s: Record<Bound, number>;
  cost_models: Record<string, number>;
  /** Memory on the chip: weights + KV cache at this context + peak activations + runtime (formulas.md §7). */
  memory_per_chip_bytes: number;
  memory_breakdown_bytes: { weights: number; kv_cache: number; activations: number; other: number };
  memory_capacity_bytes: number;
  fits: boolean;
  shortfall_bytes: number;
  /** tp > 1: the degree, the system and the collective time inside the pass (in time_s). */
  tp?: number;
  system?: string;
  comm_s?: number;
  /** What the user should know (a pass that does not fit in memory). */
  warnings: string[];
  /** Per block: time per repetition, total, FLOPs, bytes (ops listed in `ops`). */
  blocks: Array<Omit<GraphCost["blocks"][number], "ops">>;
  ops: BreakdownOpRow[];
}

/** The pass shape: defaults for the token counts, checked against the model. */
function passShape(model: ModelSpec, req: BreakdownRequest, phase: NonNullable<BreakdownRequest["phase"]>): WorkloadShape {
  const maxCtx = maxContext(model);
  checkInputsApply(model, { seq: [req.seq, "tokens", "image_size"], context: [req.context, "tokens", "image_size"], image_size: [req.image_size, "images", "seq"] });
  const newTokens = req.seq ?? (phase === "decode" ? 1 : maxCtx !== undefined ? Math.min(2048, maxCtx) : 2048);
  const context = req.context ?? newTokens;
  if (maxCtx !== undefined && context > maxCtx) {
    const field = req.context !== undefined ? "context" : "seq";
    throw new XpusimError(error("E_RANGE", field, `${field} ${context} exceeds the maximum context of ${model.id} (${maxCtx} tokens)`, { hint: `use at most ${maxCtx}` }));
  }
  return { batch: req.batch ?? 1, new_tokens: newTokens, context_tokens: context, phase, ...(req.image_size ? { image_size: req.image_size } : {}), ...(req.logits ? { lm_head_tokens: req.logits } : {}) };
}

/** The priced pass: one chip's ops, and for tp > 1 the pass with its collectives (sharded-pass.ts). */
interface PricedPass {
  ops: GraphCost;
  time_s: number;
  energy_j: number | undefined;
  bound: Bound;
  time_by_bound_s: Record<Bound, number>;
  /** The graph whose activations the chip holds (sharded for tp > 1). */
  held: WorkloadGraph;
  tp?: { layout: InferenceLayout; system: string; comm_s: number };
}

function pricePass(req: BreakdownRequest, model: ModelSpec, graph: WorkloadGraph, precision: Precision, ctx: CostContext, opts: EvaluateOptions, catalog: Catalog): PricedPass {
  const tp = req.tp ?? 1;
  if (tp === 1) {
    const c = evaluateGraph(graph, ctx, opts);
    return { ops: c, time_s: c.time_s, energy_j: c.energy_j, bound: c.bound, time_by_bound_s: c.time_by_bound_s, held: graph };
  }
  const system = catalog.system(req.system, ctx.chip, tp)!;
  const batch = req.batch ?? 1;
  const inference = { model, precision, batch, input_tokens: graph.tokens_per_sequence ?? 1, output_tokens: 0, chips: tp, tp, pp: 1, system };
  const layout = checkInferenceRequest(inference);
  const passes = inferencePasses(model, precision, layout, inferenceNetwork(inference, layout), opts, req.image_size);
  const p = passes.run(ctx, graph, batch * (graph.tokens_per_sequence ?? 1));
  return { ops: p.compute, time_s: p.time_s, energy_j: p.energy_j, bound: p.bound, time_by_bound_s: p.time_by_bound_s, held: p.sharded, tp: { layout, system: system.id, comm_s: passCommS(p) } };
}

/** Memory of the pass on one chip, and a warning when it does not fit. */
function passMemory(model: ModelSpec, graph: WorkloadGraph, shape: WorkloadShape, precision: Precision, ctx: CostContext, layout: InferenceLayout | undefined) {
  const weights = layout ? layoutWeightsPerChipBytes(model, precision, layout) : weightsPerChipBytes(model, precision, 1, 1);
  const kvShare = layout ? kvSharePerChip(model, layout) : 1;
  const kv = model.category === "decoder-llm" ? kvCacheBytes(model, shape.context_tokens, precision.kv_cache, shape.batch) * kvShare : 0;
  const activations = inferenceActivationPeakBytes(graph);
  const other = runtimeOverheadBytes(ctx);
  const total = weights + kv + activations + other;
  const capacity = ctx.chip.memory.main.capacity_bytes;
  const fits = total <= capacity;
  return {
    memory_per_chip_bytes: total,
    memory_breakdown_bytes: { weights, kv_cache: kv, activations, other },
    memory_capacity_bytes: capacity,
    fits,
    shortfall_bytes: Math.max(0, total - capacity),
    warnings: fits ? [] : [`does not fit: needs ${fmtBytes(total)} on the chip, has ${fmtBytes(capacity)} (the times assume it did; \`xpusim compare\` finds the fewest chips that hold it)`],
  };
}

function opRows(cost: GraphCost, passTime: number): BreakdownOpRow[] {
  return cost.blocks.flatMap((b) =>
    b.ops.map((r) => ({
      block: b.name,
      op: r.op.name,
      kind: r.op.kind,
      repeat: b.repeat,
      time_s: r.time_s,
      total_time_s: r.time_s * b.repeat,
      share: (r.time_s * b.repeat) / passTime,
      flops: r.cost.flops,
      bytes: r.cost.bytes,
      utilization: r.cost.utilization,
      bound: r.time_s > r.cost.time_s ? "overhead" : r.cost.bound,
      cost_model: r.cost.model,
      notes: (r.cost.notes ?? []).join("; "),
    })),
  );
}

export const breakdownJob = defineJob<BreakdownRequest, BreakdownResult>({
  id: "breakdown",
  summary: "one forward pass (prefill, decode step, CNN/ViT forward) on one chip or a tensor-parallel group, broken down per block and per op",
  supports: "every catalog or user model on every chip; tp for transformers (ops of one shard, collectives priced on the system); the cost-model registry picks each op's model",
  run(req, catalog) {
    const chip = catalog.chip(req.chip);
    const model = catalog.model(req.model);
    const phase = req.phase ?? "prefill";
    const unnamed = req.dtype_default === "native" && req.precision?.compute === undefined ? unnamedMathDType(chip) : undefined;
    const precision = resolvePrecision(req.precision ?? {}, unnamed?.dtype ?? "bf16");
    const shape = passShape(model, req, phase);
    const graph = buildWorkload(model, shape, precision);
    const opts: EvaluateOptions = { ...(req.execution ? { execution: req.execution } : {}), ...(req.cost_model ? { costModel: req.cost_model } : {}) };
    const ctx = catalog.context(chip);
    const pass = pricePass(req, model, graph, precision, ctx, opts, catalog);
    const cost = pass.ops;
    const memory = passMemory(model, pass.held, shape, precision, ctx, pass.tp?.layout);
    return {
      model: graph.name,
      token_model: isTokenModel(model),
      ...(req.image_size ? { image_size: req.image_size } : {}),
      chip: chip.id,
      phase,
      batch: shape.batch,
      new_tokens: shape.new_tokens,
      context_tokens: shape.context_tokens,
      precision,
      params_total: modelParams(model).params_total,
      time_s: pass.time_s,
      flops: cost.flops,
      bytes: cost.bytes,
      achieved_flops_per_s: cost.flops / pass.time_s,
      energy_j: pass.energy_j,
      bound: pass.bound,
      time_by_bound_s: pass.time_by_bound_s,
      cost_models: cost.models_used,
      ...memory,
      warnings: [...(unnamed?.note ? [unnamed.note] : []), ...memory.warnings],
      ...(pass.tp ? { tp: pass.tp.layout.tp, system: pass.tp.system, comm_s: pass.tp.comm_s } : {}),
      blocks: cost.blocks.map(({ ops, ...b }) => b),
      ops: opRows(cost, pass.time_s),
    };
  },
});
