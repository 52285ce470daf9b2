import type { Bound, CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { System } from "../network/build-system.js";
import { type LayoutNetwork, layoutNetwork } from "../parallel/network-context.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload, kvCacheBytes, modelParams } from "../workload/build-workload.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import type { WorkloadGraph } from "../workload/op.js";
import { formatPrecision, type Precision } from "../workload/precision.js";
import { inferenceActivationPeakBytes } from "./activation-memory.js";
import type { EvaluateOptions, GraphCost } from "./evaluate-graph.js";
import { shardTensorParallel } from "../parallel/tensor-parallel.js";
import { evaluateShardedPass, type ShardedPassCost } from "./sharded-pass.js";
import { contextParallelProblem } from "../parallel/context-parallel.js";
import { expertCount, expertParallelProblem, routedExpertParams } from "../parallel/expert-parallel.js";
import { isLayerBlock } from "../workload/graph-semantics.js";
import { fallbackWarning, resolveExecutionPrecision } from "./execution-precision.js";
import { checkSpeculative, expectedTokensPerStep, type SpeculativeOptions, type SpeculativeResult } from "./speculative-decoding.js";

/**
 * Static-batch inference: prefill of the whole batch, then decode steps against a growing KV cache.
 *
 *   ttft_s        = prefill time of the batch (input_tokens per sequence)
 *   tpot_s        = mean decode-step time over the output tokens after the first
 *   e2e_latency_s = ttft_s + (output_tokens − 1) · tpot_s   (vLLM/TensorRT-LLM convention; formulas.md §7)
 *
 * The decode mean is integrated with Simpson's rule over the context length (first, middle, last
 * step): a step's cost is linear in context (KV reads, attention FLOPs) plus constant terms, for
 * which Simpson is exact; tile quantisation makes it very nearly so.
 *
 * Multi-chip: chips = replicas × tp × pp. Data-parallel replicas each serve batch / replicas.
 * Inside a replica, tensor parallelism (Megatron, Shoeybi et al. 2019) shards every layer over tp
 * chips of one scale-up domain and adds 2 all-reduces per layer on the system's link model;
 * pipeline parallelism runs the layers as pp stages one after another with a point-to-point
 * activation transfer between stages (sharded-pass.ts). Without expert parallelism MoE experts are
 * tensor-sharded like dense FFNs (vLLM's default). With ep > 1 the routed experts are split over ep
 * data-parallel replicas (chips = replicas × tp × pp × cp, ep | replicas; rank order tp, cp, ep, pp):
 * routed-expert weights ÷ ep, a dispatch and a combine all-to-all per MoE layer. With cp > 1 the
 * prompt is split over cp ranks (ring attention in prefill, input divisible by 2·cp) and the KV
 * cache ÷ cp (decode scans the local shard and gathers the partial outputs).
 *
 * Serving engines compute logits for the last position of each sequence only (lm_head_tokens: last).
 *
 * Memory per chip, the way serving engines see it (formulas.md §7): weights + KV cache of the whole
 * batch at full length + peak activations + runtime overhead (CUDA context, workspaces). With
 * tp/pp: weights of the body ÷ (tp·pp), embedding and LM head ÷ tp on the first / last stage (a
 * tied table is held by both); KV ÷ pp and split over tp by KV heads — ⌈kv_heads / tp⌉ heads per
 * chip, so a GQA/MQA cache is replicated once tp exceeds kv_heads, and an MLA latent (shared by all
 * heads) is replicated on every TP rank; activations are those of the sharded graph.
 */
export interface InferenceRequest {
  model: ModelSpec;
  precision: Precision;
  batch: number;
  input_tokens: number;
  output_tokens: number;
  image_size?: number;
  chips: number;
  tp: number;
  pp: number;
  /** Expert parallelism over data-parallel replicas (MoE; default 1). */
  ep?: number;
  /** Context parallelism: the prompt and KV cache split over cp ranks (default 1). */
  cp?: number;
  /** The system the chips sit in; required when tp·pp·ep·cp > 1 (prices the collectives). */
  system?: System;
  /** Search the largest batch and context that fit (default true; off in tight sweeps). */
  fit_search?: boolean;
  /** Speculative decoding (speculative-decoding.ts); absent = plain one-token decode steps. */
  speculative?: SpeculativeOptions;
}

export interface PhaseResult {
  time_s: number;
  flops: number;
  bytes: number;
  bound: Bound;
  energy_j?: number;
  /** Tensor- and pipeline-parallel communication inside the phase, s. */
  comm_s?: number;
}

export interface InferenceEstimate {
  kind: "inference";
  model: string;
  chip: string;
  chips: number;
  tp: number;
  pp: number;
  ep: number;
  cp: number;
  replicas: number;
  batch_per_replica: number;
  /** Prefill of the whole batch. */
  ttft_s: number;
  /** Mean time per output token of one sequence (decode step time). */
  tpot_s: number;
  e2e_latency_s: number;
  /** Aggregate over all chips. */
  output_tokens_per_s: number;
  /** Sequences or images per second, aggregate. */
  samples_per_s: number;
  memory_per_chip_bytes: number;
  memory_breakdown_bytes: { weights: number; kv_cache: number; activations: number; other: number; draft_model?: number };
  memory_capacity_bytes: number;
  fits: boolean;
  /** Bytes missing when it does not fit. */
  shortfall_bytes: number;
  /** Largest total batch (all replicas) that fits at this input + output length (absent when not searched). */
  max_batch_that_fits?: number;
  /** Longest sequence (prompt + output tokens) that fits at this batch, capped at the model's maximum. */
  max_context_that_fits?: number;
  energy_j?: number;
  energy_per_output_token_j?: number;
  /** Mean power of all chips over the run, W. */
  average_power_w?: number;
  /** Cloud price of the chips over the run per million output tokens (from the chip's $/hour). */
  usd_per_million_tokens?: number;
  bound: Bound;
  phases: { prefill: PhaseResult; decode?: PhaseResult & { steps: number } };
  /** Collectives of one pass: all-reduces per decoder layer, total per pass (tp > 1). */
  communication?: { tp_collectives_per_layer: number; tp_collectives_per_pass: number; system: string };
  /** The prefill graph evaluation (sharded ops of one chip), for per-op breakdowns. */
  prefill_detail: GraphCost;
  /**
   * Requested and executed precision (they differ when the chip lacks the math dtype), and the share
   * of each phase's time that on-the-fly weight dequantisation adds (t / t_without_dequant − 1).
   */
  precision: { requested: string; executed: string; fallback: boolean; dequant_time_fraction?: { prefill: number; decode?: number } };
  speculative?: SpeculativeResult;
  warnings: string[];
}

/** Runtime memory not in weights/KV/activations (framework context, workspaces); family data. */
function runtimeOverheadBytes(ctx: CostContext): number {
  const v = ctx.efficiency.runtime_overhead_bytes;
  return typeof v === "number" ? v : 0;
}

function phase(g: ShardedPassCost): PhaseResult {
  const p: PhaseResult = { time_s: g.time_s, flops: g.compute.flops, bytes: g.compute.bytes, bound: g.bound };
  if (g.energy_j !== undefined) p.energy_j = g.energy_j;
  if (g.tp_comm_s + g.pp_comm_s + g.ep_comm_s + g.cp_comm_s > 0) p.comm_s = g.tp_comm_s + g.pp_comm_s + g.ep_comm_s + g.cp_comm_s;
  return p;
}

function range(path: string, message: string, hint?: string): XpusimError {
  return new XpusimError(error("E_RANGE", path, message, hint ? { hint } : {}));
}

/** Structural checks of a tp/pp layout against the model (vLLM / TensorRT-LLM refuse the same). */
function checkLayout(model: ModelSpec, tp: number, pp: number): void {
  if (!Number.isInteger(tp) || tp < 1) throw range("parallelism.tp", `tp must be a positive integer, got ${String(tp)}`);
  if (!Number.isInteger(pp) || pp < 1) throw range("parallelism.pp", `pp must be a positive integer, got ${String(pp)}`);
  if (tp === 1 && pp === 1) return;
  if (model.category !== "decoder-llm" && model.category !== "encoder" && model.category !== "vision-transformer") {
    throw new XpusimError(error("E_UNSUPPORTED", "parallelism", `tensor/pipeline parallelism is modelled for transformer models; ${model.id} is a ${model.category}`, { hint: "use data-parallel replicas (tp = pp = 1)" }));
  }
  const heads = model.attention.heads;
  if (heads % tp !== 0) throw range("parallelism.tp", `tp = ${tp} does not divide the ${heads} attention heads of ${model.id}`, `use a tp that divides ${heads}`);
  const kv = model.attention.kv_heads ?? heads;
  if (!model.attention.mla && kv % tp !== 0 && tp % kv !== 0) {
    throw range("parallelism.tp", `tp = ${tp} and the ${kv} KV heads of ${model.id} neither divide each other`, "KV heads are split or replicated evenly only when one divides the other");
  }
  if (pp > model.layers) throw range("parallelism.pp", `pp = ${pp} exceeds the ${model.layers} layers of ${model.id}`);
}

/** Fraction of the KV cache one TP rank holds: ⌈K/tp⌉ of K heads; MLA latents are replicated. */
export function kvShareTp(model: ModelSpec, tp: number): number {
  if (model.category !== "decoder-llm" || tp === 1) return 1;
  const a = model.attention;
  if (a.mla) return 1;
  const k = a.kv_heads ?? a.heads;
  return Math.ceil(k / tp) / k;
}

/** Weight bytes on the most loaded chip of a tp × pp layout. */
export function weightsPerChipBytes(model: ModelSpec, precision: Precision, tp: number, pp: number): number {
  const p = modelParams(model);
  const wb = DTYPE_BYTES[precision.weights];
  if (tp === 1 && pp === 1) return p.params_total * wb;
  const tied = "tied_embeddings" in model && model.tied_embeddings === true;
  const head = tied ? p.params_embedding : p.params_lm_head_untied;
  const body = p.params_total - p.params_embedding - p.params_lm_head_untied;
  if (pp === 1) return ((p.params_total) / tp) * wb;
  // First stage: embedding + its layers; last stage: its layers + the LM head (its own copy if tied).
  return (body / (tp * pp) + Math.max(p.params_embedding, head) / tp) * wb;
}
export function estimateInference(req: InferenceRequest, ctx: CostContext, opts: EvaluateOptions = {}): InferenceEstimate {
  const warnings: string[] = [];
  const { tp, pp } = req;
  const ep = req.ep ?? 1;
  const cp = req.cp ?? 1;
  checkLayout(req.model, tp, pp);
  const epProblem = expertParallelProblem(expertCount(req.model), ep, req.model.id);
  if (epProblem) throw range("parallelism.ep", epProblem.message, epProblem.hint);
  if (cp > 1) {
    if (req.model.category !== "decoder-llm" && req.model.category !== "encoder") throw new XpusimError(error("E_UNSUPPORTED", "parallelism.cp", `context parallelism is modelled for decoder and encoder models; ${req.model.id} is a ${req.model.category}`, { hint: "use cp = 1" }));
    const cpProblem = contextParallelProblem(req.input_tokens, cp);
    if (cpProblem) throw range("parallelism.cp", cpProblem.message.replace("sequence length", "input length"), cpProblem.hint);
  }
  const modelParallel = tp * pp * cp;
  if (req.chips % modelParallel !== 0) {
    throw new XpusimError(error("E_RANGE", "hardware.count", `chip count ${req.chips} is not a multiple of tp·pp${cp > 1 ? "·cp" : ""} = ${modelParallel}`, { hint: `use ${modelParallel}, ${2 * modelParallel}, … chips, or change tp/pp${cp > 1 ? "/cp" : ""}` }));
  }
  const replicas = req.chips / modelParallel;
  if (ep > 1 && replicas % ep !== 0) throw range("parallelism.ep", `ep = ${ep} does not divide the ${replicas} data-parallel replicas (expert parallelism splits experts over replicas)`, `use ${ep * modelParallel}, ${2 * ep * modelParallel}, … chips, or an ep that divides ${replicas}`);
  if (req.batch % replicas !== 0) {
    throw new XpusimError(
      error("E_RANGE", "inference.batch", `batch ${req.batch} does not divide evenly over ${replicas} data-parallel replicas`, {
        hint: `use a batch that is a multiple of ${replicas}`,
      }),
    );
  }
  const model = req.model;
  if (req.speculative) checkSpeculative(req.speculative, model);
  const exec = resolveExecutionPrecision(ctx.chip, req.precision);
  const precision = exec.precision;
  if ((model.category === "decoder-llm" || model.category === "encoder") && req.input_tokens + (model.category === "decoder-llm" ? req.output_tokens : 0) > model.max_context) {
    const total = req.input_tokens + (model.category === "decoder-llm" ? req.output_tokens : 0);
    throw new XpusimError(
      error("E_RANGE", "inference.input_tokens", `${total} tokens (input ${req.input_tokens}${model.category === "decoder-llm" ? ` + output ${req.output_tokens}` : ""}) exceed the maximum context of ${model.id}, ${model.max_context} tokens`, {
        hint: `keep input + output ≤ ${model.max_context}`,
      }),
    );
  }
  let net: LayoutNetwork | undefined;
  if (modelParallel * ep > 1) {
    if (!req.system) {
      throw new XpusimError(error("E_SCHEMA", "hardware.system", `tp = ${tp}, pp = ${pp}${ep > 1 ? `, ep = ${ep}` : ""}${cp > 1 ? `, cp = ${cp}` : ""} need a system (nodes and links) to price the collectives`, { hint: "set hardware.system to a catalog system id (`xpusim collective --list`)" }));
    }
    net = ep === 1 && cp === 1 ? layoutNetwork(req.system, tp, 1, pp) : layoutNetwork(req.system, tp, ep, pp, ep, cp);
  }
  const b = req.batch / replicas;
  const hidden = "hidden_size" in model && typeof model.hidden_size === "number" ? model.hidden_size : 0;
  const actBytes = DTYPE_BYTES[precision.activations];
  const passIn = (c: CostContext, graph: WorkloadGraph, tokens: number, h = hidden) =>
    ep === 1 && cp === 1
      ? evaluateShardedPass(graph, c, opts, tp, pp, net, tokens * h * actBytes)
      : evaluateShardedPass(graph, c, opts, tp, pp, net, tokens * h * actBytes, true, { ep, cp, cp_phase: graph.phase === "decode" ? "decode" : "prefill" });
  const pass = (graph: WorkloadGraph, tokens: number) => passIn(ctx, graph, tokens);
  // The same chip with dequantisation switched off, to report what it costs.
  const dequantApplies = DTYPE_BYTES[precision.weights] < DTYPE_BYTES[precision.compute];
  const noDqCtx: CostContext = { ...ctx, efficiency: { ...ctx.efficiency, dequant_ops_per_element: {} } };
  const prefillShape = (batch: number, input: number) => ({ batch, new_tokens: input, context_tokens: input, phase: "prefill" as const, lm_head_tokens: "last" as const, ...(req.image_size ? { image_size: req.image_size } : {}) });
  // Under context parallelism each rank holds input/cp tokens of every prompt.
  const prefillGraph = buildWorkload(model, prefillShape(b, req.input_tokens / cp), precision);
  const tokenModel = prefillGraph.category === "decoder-llm";
  const prefill = pass(prefillGraph, b * (prefillGraph.tokens_per_sequence ?? 1));
  // Routed experts ÷ ep (they sit in the body, already ÷ tp·pp); the KV cache ÷ cp.
  const weights = weightsPerChipBytes(model, precision, tp, pp) - (ep > 1 ? (routedExpertParams(model) * (1 - 1 / ep) * DTYPE_BYTES[precision.weights]) / (tp * pp) : 0);
  const kvShare = kvShareTp(model, tp) / pp / cp;
  let kv = 0;
  let decode: (PhaseResult & { steps: number }) | undefined;
  let tpot = 0;
  let noDqDecodeTpot: number | undefined;
  let speculative: SpeculativeResult | undefined;
  const steps = tokenModel ? Math.max(0, req.output_tokens - 1) : 0;
  if (tokenModel) {
    kv = kvCacheBytes(model, req.input_tokens + req.output_tokens, precision.kv_cache, b) * kvShare;
    if (steps > 0) {
      // Decode step i (1..steps) attends input + i tokens. Simpson over [first, last].
      const first = req.input_tokens + 1;
      const last = req.input_tokens + steps;
      const decodeAt = (c: CostContext, m: ModelSpec, ctxLen: number, newTokens: number, h: number) =>
        passIn(c, buildWorkload(m, { batch: b, new_tokens: newTokens, context_tokens: ctxLen, phase: "decode", lm_head_tokens: newTokens > 1 ? "all" : "last" }, precision), b * newTokens, h);
      const points = steps > 2 ? [first, Math.round((first + last) / 2), last] : steps > 1 ? [first, last] : [first];
      const simpson = (v: number[]): number => (v.length === 3 ? (v[0]! + 4 * v[1]! + v[2]!) / 6 : v.length === 2 ? (v[0]! + v[1]!) / 2 : v[0]!);
      const spec = req.speculative;
      if (!spec) {
        const gs = points.map((c) => decodeAt(ctx, model, c, 1, hidden));
        const mean = (f: (g: ShardedPassCost) => number) => simpson(gs.map(f));
        tpot = mean((g) => g.time_s);
        decode = { steps, time_s: tpot * steps, flops: mean((g) => g.compute.flops) * steps, bytes: mean((g) => g.compute.bytes) * steps, bound: (gs[1] ?? gs[0]!).bound };
        const comm = mean((g) => g.tp_comm_s + g.pp_comm_s + g.ep_comm_s + g.cp_comm_s);
        if (comm > 0) decode.comm_s = comm * steps;
        if (gs[0]!.energy_j !== undefined) decode.energy_j = mean((g) => g.energy_j ?? 0) * steps;
        if (dequantApplies) noDqDecodeTpot = simpson(points.map((c) => decodeAt(noDqCtx, model, c, 1, hidden).time_s));
      } else {
        // Per step: k draft decode steps + one target pass verifying k + 1 tokens (Leviathan et al. 2023).
        const k = spec.draft_tokens;
        const ctxCap = model.category === "decoder-llm" ? Math.max(model.max_context, k + 1) : Infinity;
        const e = expectedTokensPerStep(spec.acceptance_rate, k);
        const draft = spec.draft;
        const draftHidden = draft && "hidden_size" in draft && typeof draft.hidden_size === "number" ? draft.hidden_size : hidden;
        const verify = points.map((c) => decodeAt(ctx, model, Math.min(c + k, ctxCap), k + 1, hidden));
        const drafts = draft ? points.map((c) => decodeAt(ctx, draft, Math.min(c, draft.category === "decoder-llm" ? draft.max_context : c), 1, draftHidden)) : undefined;
        const plain = points.map((c) => decodeAt(ctx, model, c, 1, hidden));
        const stepOf = (f: (g: ShardedPassCost) => number, i: number) => f(verify[i]!) + (drafts ? k * f(drafts[i]!) : 0);
        const perToken = (f: (g: ShardedPassCost) => number) => simpson(points.map((_, i) => stepOf(f, i))) / e;
        tpot = perToken((g) => g.time_s);
        const verifyS = simpson(verify.map((g) => g.time_s));
        const draftS = drafts ? simpson(drafts.map((g) => g.time_s)) : 0;
        const plainS = simpson(plain.map((g) => g.time_s));
        decode = { steps, time_s: tpot * steps, flops: perToken((g) => g.compute.flops) * steps, bytes: perToken((g) => g.compute.bytes) * steps, bound: (verify[1] ?? verify[0]!).bound };
        const comm = perToken((g) => g.tp_comm_s + g.pp_comm_s + g.ep_comm_s + g.cp_comm_s);
        if (comm > 0) decode.comm_s = comm * steps;
        if (verify[0]!.energy_j !== undefined) decode.energy_j = perToken((g) => g.energy_j ?? 0) * steps;
        speculative = {
          ...(draft ? { draft_model: draft.id } : {}),
          draft_tokens: k,
          acceptance_rate: spec.acceptance_rate,
          expected_tokens_per_step: e,
          target_passes: Math.ceil(steps / e),
          draft_step_s: draftS,
          verify_step_s: verifyS,
          plain_tpot_s: plainS,
          speedup: tpot > 0 ? plainS / tpot : 0,
        };
        if (dequantApplies) {
          const nv = simpson(points.map((c) => decodeAt(noDqCtx, model, Math.min(c + k, ctxCap), k + 1, hidden).time_s));
          const nd = draft ? simpson(points.map((c) => decodeAt(noDqCtx, draft, c, 1, draftHidden).time_s)) : 0;
          noDqDecodeTpot = (nv + k * nd) / e;
        }
      }
    }
  } else if (req.output_tokens > 0 && prefillGraph.category !== "cnn" && prefillGraph.category !== "vision-transformer") {
    warnings.push(`${prefillGraph.category} models do not generate tokens; output_tokens ignored`);
  }
  const activations = inferenceActivationPeakBytes(prefill.sharded);
  const other = runtimeOverheadBytes(ctx);
  // A draft model holds its own weights and KV cache, and prefills the prompt before the first step.
  const draftModel = tokenModel ? req.speculative?.draft : undefined;
  let draftPrefill: ShardedPassCost | undefined;
  let draftMemory = 0;
  if (draftModel) {
    const draftHidden = "hidden_size" in draftModel && typeof draftModel.hidden_size === "number" ? draftModel.hidden_size : hidden;
    const dg = buildWorkload(draftModel, prefillShape(b, req.input_tokens), precision);
    draftPrefill = passIn(ctx, dg, b * req.input_tokens, draftHidden);
    draftMemory = weightsPerChipBytes(draftModel, precision, tp, pp) + kvCacheBytes(draftModel, req.input_tokens + req.output_tokens + (req.speculative?.draft_tokens ?? 0), precision.kv_cache, b) * kvShareTp(draftModel, tp) / pp;
  }
  const memory = weights + draftMemory + kv + activations + other;
  const capacity = ctx.chip.memory.main.capacity_bytes;
  const ttft = prefill.time_s + (draftPrefill?.time_s ?? 0);
  const e2e = ttft + (decode ? decode.time_s : 0);
  const outTokens = tokenModel ? req.batch * req.output_tokens : 0;
  const energyPerReplica = prefill.energy_j !== undefined ? prefill.energy_j + (draftPrefill?.energy_j ?? 0) + (decode?.energy_j ?? 0) : undefined;
  const result: InferenceEstimate = {
    kind: "inference",
    model: prefillGraph.name,
    chip: ctx.chip.id,
    chips: req.chips,
    tp,
    pp,
    ep,
    cp,
    replicas,
    batch_per_replica: b,
    ttft_s: ttft,
    tpot_s: tpot,
    e2e_latency_s: e2e,
    output_tokens_per_s: tokenModel && e2e > 0 ? outTokens / e2e : 0,
    samples_per_s: e2e > 0 ? req.batch / e2e : 0,
    memory_per_chip_bytes: memory,
    memory_breakdown_bytes: { weights, kv_cache: kv, activations, other, ...(draftModel ? { draft_model: draftMemory } : {}) },
    memory_capacity_bytes: capacity,
    fits: memory <= capacity,
    shortfall_bytes: Math.max(0, memory - capacity),
    bound: decode && decode.time_s > prefill.time_s ? decode.bound : prefill.bound,
    phases: { prefill: phase(prefill), ...(decode ? { decode } : {}) },
    prefill_detail: prefill.compute,
    precision: { requested: formatPrecision(req.precision), executed: formatPrecision(precision), fallback: exec.fallback !== undefined },
    ...(speculative ? { speculative } : {}),
    warnings,
  };
  if (dequantApplies) {
    const noDqPrefill = passIn(noDqCtx, prefillGraph, b * (prefillGraph.tokens_per_sequence ?? 1)).time_s;
    const frac: { prefill: number; decode?: number } = { prefill: noDqPrefill > 0 ? prefill.time_s / noDqPrefill - 1 : 0 };
    if (noDqDecodeTpot !== undefined && noDqDecodeTpot > 0) frac.decode = tpot / noDqDecodeTpot - 1;
    result.precision.dequant_time_fraction = frac;
  }
  if (exec.fallback) {
    const noDqE2e = result.precision.dequant_time_fraction
      ? prefill.time_s / (1 + result.precision.dequant_time_fraction.prefill) + (draftPrefill?.time_s ?? 0) + (noDqDecodeTpot ?? tpot) * steps
      : e2e;
    warnings.unshift(fallbackWarning(ctx.chip, exec.fallback, precision.weights, result.precision.dequant_time_fraction ? e2e / noDqE2e - 1 : undefined));
  }
  if (modelParallel > 1 && req.system) {
    const layerBlock = prefill.sharded.blocks.find(isLayerBlock)?.name;
    result.communication = {
      tp_collectives_per_layer: layerBlock ? prefill.tp_collectives_per_block[layerBlock]! : 0,
      tp_collectives_per_pass: prefill.tp_collectives,
      system: req.system.id,
    };
  }
  if (energyPerReplica !== undefined) {
    result.energy_j = energyPerReplica * replicas;
    if (outTokens > 0) result.energy_per_output_token_j = result.energy_j / outTokens;
    if (e2e > 0) result.average_power_w = result.energy_j / e2e;
  }
  const cph = ctx.chip.cost.cloud_usd_per_hour;
  if (cph !== undefined && result.output_tokens_per_s > 0) result.usd_per_million_tokens = ((cph * req.chips) / 3600 / result.output_tokens_per_s) * 1e6;
  if (req.fit_search !== false && (tokenModel || model.category === "encoder")) {
    const fixed = weights + other + draftMemory;
    const memAt = (batch: number, total: number, input: number): number => {
      const g = buildWorkload(model, prefillShape(batch, input), precision);
      const act = modelParallel > 1 ? inferenceActivationPeakBytes(evaluateShardingShapes(g, tp)) : inferenceActivationPeakBytes(g);
      return fixed + (tokenModel ? kvCacheBytes(model, total, precision.kv_cache, batch) * kvShare : 0) + act;
    };
    const outLen = tokenModel ? req.output_tokens : 0;
    const total = req.input_tokens + outLen;
    const largest = (lo: number, hi: number, ok: (x: number) => boolean): number => {
      if (!ok(lo)) return lo - 1;
      while (ok(hi) && hi < 2 ** 24) {
        lo = hi;
        hi *= 2;
      }
      if (ok(hi)) return hi;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (ok(mid)) lo = mid;
        else hi = mid;
      }
      return lo;
    };
    result.max_batch_that_fits = Math.max(0, largest(1, Math.max(2, b * 2), (x) => memAt(x, total, req.input_tokens) <= capacity)) * replicas;
    const maxCtx = model.category === "decoder-llm" || model.category === "encoder" ? model.max_context : total;
    if (memAt(b, maxCtx, Math.max(1, maxCtx - outLen)) <= capacity) result.max_context_that_fits = maxCtx;
    else {
      let lo = outLen + 1;
      let hi = maxCtx;
      if (memAt(b, lo, 1) > capacity) result.max_context_that_fits = 0;
      else {
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (memAt(b, mid, Math.max(1, mid - outLen)) <= capacity) lo = mid;
          else hi = mid;
        }
        result.max_context_that_fits = lo;
      }
    }
  }
  if (!result.fits) {
    const fitHint = result.max_batch_that_fits !== undefined && result.max_batch_that_fits > 0 ? `; batch ≤ ${result.max_batch_that_fits} fits at this length` : "";
    warnings.push(`does not fit: needs ${(memory / 1e9).toFixed(1)} GB per chip, has ${(capacity / 1e9).toFixed(1)} GB${fitHint}`);
  }
  return result;
}

/** The graph with its blocks' ops sharded over tp (shapes only, for memory). */
function evaluateShardingShapes(graph: WorkloadGraph, tp: number): WorkloadGraph {
  return { ...graph, blocks: graph.blocks.map((b) => ({ ...b, ops: shardTensorParallel(b.ops, tp, false).ops })) };
}
