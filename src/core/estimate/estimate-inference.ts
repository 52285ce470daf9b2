import type { CostContext } from "../cost/contract.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { buildWorkload, kvCacheBytes } from "../workload/build-workload.js";
import type { WorkloadGraph } from "../workload/op.js";
import { formatPrecision, type Precision } from "../workload/precision.js";
import { inferenceActivationPeakBytes } from "./activation-memory.js";
import type { EvaluateOptions } from "./evaluate-graph.js";
import { applyHostGaps } from "./inference-host-gaps.js";
import { type ExecutionPrecision, fallbackWarning, resolveExecutionPrecision } from "./execution-precision.js";
import { type DecodeEstimate, decodeContextPoints, plainDecode } from "./inference-decode.js";
import { maxBatchThatFits, maxContextThatFits } from "./inference-fit-search.js";
import { checkInferenceRequest, type InferenceLayout, inferenceNetwork } from "./inference-layout.js";
import { kvSharePerChip, layoutWeightsPerChipBytes, runtimeOverheadBytes } from "./inference-memory.js";
import { hiddenSize, type InferencePasses, inferencePasses, passCommS } from "./inference-pass.js";
import type { InferenceEstimate, InferenceRequest, PhaseResult } from "./inference-request.js";
import { draftModelCost, speculativeDecode } from "./inference-speculative.js";
import type { ShardedPassCost } from "./sharded-pass.js";
import { isLayerBlock } from "../workload/graph-semantics.js";
import { fmtBytes } from "../units/format-bytes.js";

export type { InferenceEstimate, InferenceRequest, PhaseResult } from "./inference-request.js";
export { kvShareTp, weightsPerChipBytes } from "./inference-memory.js";

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
 *
 * The seams, one file each: the layout and its checks (inference-layout.ts), the passes of a
 * replica (inference-pass.ts), decode (inference-decode.ts), speculative decoding
 * (inference-speculative.ts), memory (inference-memory.ts), how far it stretches
 * (inference-fit-search.ts); this file assembles the result.
 */
export function estimateInference(req: InferenceRequest, ctx: CostContext, opts: EvaluateOptions = {}): InferenceEstimate {
  const layout = checkInferenceRequest(req);
  const net = inferenceNetwork(req, layout);
  const exec = resolveExecutionPrecision(ctx.chip, req.precision);
  const precision = exec.precision;
  const model = req.model;
  const passes = inferencePasses(model, precision, layout, net, opts, req.image_size);
  const b = layout.batchPerReplica;
  // Under context parallelism each rank holds input/cp tokens of every prompt.
  const prefillGraph = buildWorkload(model, passes.prefillShape(b, req.input_tokens / layout.cp), precision);
  const tokenModel = prefillGraph.category === "decoder-llm";
  const prefill = passes.run(ctx, prefillGraph, b * (prefillGraph.tokens_per_sequence ?? 1));
  // The same chip with dequantisation switched off, to report what it costs.
  const noDequantCtx = DTYPE_BYTES[precision.weights] < DTYPE_BYTES[precision.compute] ? withoutDequant(ctx) : undefined;
  const steps = tokenModel ? Math.max(0, req.output_tokens - 1) : 0;
  const decode = steps > 0 ? decodeOf(req, { passes, ctx, ...(noDequantCtx ? { noDequantCtx } : {}), model, steps, points: decodeContextPoints(req.input_tokens, steps) }) : undefined;
  const warnings: string[] = [];
  if (!tokenModel && req.output_tokens > 0 && prefillGraph.category !== "cnn" && prefillGraph.category !== "vision-transformer") {
    warnings.push(`${prefillGraph.category} models do not generate tokens; output_tokens ignored`);
  }
  const draftModel = tokenModel ? req.speculative?.draft : undefined;
  const draft = draftModel ? draftModelCost(passes, ctx, draftModel, { hidden: hiddenSize(model), input_tokens: req.input_tokens, output_tokens: req.output_tokens, draft_tokens: req.speculative?.draft_tokens ?? 0 }, precision, layout) : undefined;
  const memory = memoryBreakdown(req, ctx, precision, layout, tokenModel, prefill, draft?.memory_bytes);
  const result = assemble({ req, ctx, exec, layout, prefillGraph, tokenModel, prefill, decode, draftPrefill: draft?.prefill, memory, warnings });
  if (noDequantCtx) result.precision.dequant_time_fraction = dequantFraction(passes, noDequantCtx, prefillGraph, b, prefill, decode);
  if (exec.fallback) warnings.unshift(fallbackNote(ctx, exec, result, prefill, draft?.prefill, decode, steps));
  if (layout.modelParallel > 1 && req.system) result.communication = communicationOf(prefill, req.system.id);
  const computeJ = prefill.energy_j !== undefined ? prefill.energy_j + (draft?.prefill.energy_j ?? 0) + (decode?.phase.energy_j ?? 0) : undefined;
  // After the sum above: the host gaps also add their idle energy to the phases they stretch.
  const hostGapJ = req.engine_gpu_busy_fraction !== undefined ? applyHostGaps(result, ctx, req.engine_gpu_busy_fraction, req.chips / layout.replicas) : 0;
  const energyPerReplica = computeJ !== undefined ? computeJ + hostGapJ : undefined;
  addEnergyAndCost(result, ctx.chip.cost.cloud_usd_per_hour, tokenModel ? req.batch * req.output_tokens : 0, energyPerReplica);
  if (req.fit_search !== false && (tokenModel || model.category === "encoder")) {
    const fit = { model, precision, layout, fixedBytes: memory.weights + memory.other + (memory.draft_model ?? 0), kvShare: kvSharePerChip(model, layout), capacityBytes: result.memory_capacity_bytes, tokenModel, inputTokens: req.input_tokens, outputTokens: req.output_tokens, prefillShape: passes.prefillShape };
    result.max_batch_that_fits = maxBatchThatFits(fit);
    result.max_context_that_fits = maxContextThatFits(fit);
  }
  if (!result.fits) {
    const fitHint = result.max_batch_that_fits !== undefined && result.max_batch_that_fits > 0 ? `; batch ≤ ${result.max_batch_that_fits} fits at this length` : "";
    warnings.push(`does not fit: needs ${fmtBytes(result.memory_per_chip_bytes)} per chip, has ${fmtBytes(result.memory_capacity_bytes)}${fitHint}`);
  }
  return result;
}

function withoutDequant(ctx: CostContext): CostContext {
  return { ...ctx, efficiency: { ...ctx.efficiency, dequant_ops_per_element: {} } };
}

function decodeOf(req: InferenceRequest, setup: Parameters<typeof plainDecode>[0]): DecodeEstimate {
  return req.speculative ? speculativeDecode(setup, req.speculative) : plainDecode(setup);
}

type MemoryBreakdown = InferenceEstimate["memory_breakdown_bytes"];

/** Weights + draft model + KV cache + peak activations + runtime, per chip (inference-memory.ts). */
function memoryBreakdown(req: InferenceRequest, ctx: CostContext, precision: Precision, layout: InferenceLayout, tokenModel: boolean, prefill: ShardedPassCost, draftBytes: number | undefined): MemoryBreakdown & { total: number } {
  const weights = layoutWeightsPerChipBytes(req.model, precision, layout);
  const kv = tokenModel ? kvCacheBytes(req.model, req.input_tokens + req.output_tokens, precision.kv_cache, layout.batchPerReplica) * kvSharePerChip(req.model, layout) : 0;
  const activations = inferenceActivationPeakBytes(prefill.sharded);
  const other = runtimeOverheadBytes(ctx);
  const total = weights + (draftBytes ?? 0) + kv + activations + other;
  return { weights, kv_cache: kv, activations, other, ...(draftBytes !== undefined ? { draft_model: draftBytes } : {}), total };
}

function phaseOf(g: ShardedPassCost): PhaseResult {
  const p: PhaseResult = { time_s: g.time_s, flops: g.compute.flops, bytes: g.compute.bytes, bound: g.bound };
  if (g.energy_j !== undefined) p.energy_j = g.energy_j;
  if (passCommS(g) > 0) p.comm_s = passCommS(g);
  return p;
}

interface Assembly {
  req: InferenceRequest;
  ctx: CostContext;
  exec: ExecutionPrecision;
  layout: InferenceLayout;
  prefillGraph: WorkloadGraph;
  tokenModel: boolean;
  prefill: ShardedPassCost;
  decode: DecodeEstimate | undefined;
  draftPrefill: ShardedPassCost | undefined;
  memory: MemoryBreakdown & { total: number };
  warnings: string[];
}

/** The result's core fields: latencies, throughput, memory, bound, phases, precision. */
function assemble(a: Assembly): InferenceEstimate {
  const { req, layout, prefill, decode, memory } = a;
  const ttft = prefill.time_s + (a.draftPrefill?.time_s ?? 0);
  const e2e = ttft + (decode ? decode.phase.time_s : 0);
  const outTokens = a.tokenModel ? req.batch * req.output_tokens : 0;
  const capacity = a.ctx.chip.memory.main.capacity_bytes;
  const { total, ...breakdown } = memory;
  return {
    kind: "inference",
    model: a.prefillGraph.name,
    chip: a.ctx.chip.id,
    chips: req.chips,
    tp: layout.tp,
    pp: layout.pp,
    ep: layout.ep,
    cp: layout.cp,
    replicas: layout.replicas,
    batch_per_replica: layout.batchPerReplica,
    ttft_s: ttft,
    tpot_s: decode?.tpot_s ?? 0,
    e2e_latency_s: e2e,
    output_tokens_per_s: a.tokenModel && e2e > 0 ? outTokens / e2e : 0,
    samples_per_s: e2e > 0 ? req.batch / e2e : 0,
    memory_per_chip_bytes: total,
    memory_breakdown_bytes: breakdown,
    memory_capacity_bytes: capacity,
    fits: total <= capacity,
    shortfall_bytes: Math.max(0, total - capacity),
    bound: decode && decode.phase.time_s > prefill.time_s ? decode.phase.bound : prefill.bound,
    phases: { prefill: phaseOf(prefill), ...(decode ? { decode: decode.phase } : {}) },
    prefill_detail: prefill.compute,
    precision: { requested: formatPrecision(req.precision), executed: formatPrecision(a.exec.precision), fallback: a.exec.fallback !== undefined },
    ...(decode?.speculative ? { speculative: decode.speculative } : {}),
    warnings: a.warnings,
  };
}

/** The share of each phase's time that on-the-fly weight dequantisation adds (t / t_without − 1). */
function dequantFraction(passes: InferencePasses, noDq: CostContext, prefillGraph: WorkloadGraph, b: number, prefill: ShardedPassCost, decode: DecodeEstimate | undefined): { prefill: number; decode?: number } {
  const noDqPrefill = passes.run(noDq, prefillGraph, b * (prefillGraph.tokens_per_sequence ?? 1)).time_s;
  const frac: { prefill: number; decode?: number } = { prefill: noDqPrefill > 0 ? prefill.time_s / noDqPrefill - 1 : 0 };
  const noDqTpot = decode?.no_dequant_tpot_s;
  if (noDqTpot !== undefined && noDqTpot > 0) frac.decode = (decode?.tpot_s ?? 0) / noDqTpot - 1;
  return frac;
}

/** The warning for a math dtype the chip lacks, with the end-to-end time dequantisation adds. */
function fallbackNote(ctx: CostContext, exec: ExecutionPrecision, r: InferenceEstimate, prefill: ShardedPassCost, draftPrefill: ShardedPassCost | undefined, decode: DecodeEstimate | undefined, steps: number): string {
  const frac = r.precision.dequant_time_fraction;
  const tpot = decode?.tpot_s ?? 0;
  const noDqE2e = frac ? prefill.time_s / (1 + frac.prefill) + (draftPrefill?.time_s ?? 0) + (decode?.no_dequant_tpot_s ?? tpot) * steps : r.e2e_latency_s;
  return fallbackWarning(ctx.chip, exec.fallback!, exec.precision.weights, frac ? r.e2e_latency_s / noDqE2e - 1 : undefined);
}

/** Collectives of one pass: all-reduces per decoder layer and in total. */
function communicationOf(prefill: ShardedPassCost, system: string): NonNullable<InferenceEstimate["communication"]> {
  const layerBlock = prefill.sharded.blocks.find(isLayerBlock)?.name;
  return { tp_collectives_per_layer: layerBlock ? prefill.tp_collectives_per_block[layerBlock]! : 0, tp_collectives_per_pass: prefill.tp_collectives, system };
}

/** Energy of all replicas, per output token, mean power; cloud cost per million output tokens. */
function addEnergyAndCost(r: InferenceEstimate, cloudUsdPerHour: number | undefined, outTokens: number, energyPerReplica: number | undefined): void {
  if (energyPerReplica !== undefined) {
    r.energy_j = energyPerReplica * r.replicas;
    if (outTokens > 0) r.energy_per_output_token_j = r.energy_j / outTokens;
    if (r.e2e_latency_s > 0) r.average_power_w = r.energy_j / r.e2e_latency_s;
  }
  if (cloudUsdPerHour !== undefined && r.output_tokens_per_s > 0) r.usd_per_million_tokens = ((cloudUsdPerHour * r.chips) / 3600 / r.output_tokens_per_s) * 1e6;
}
