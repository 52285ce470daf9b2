import type { Bound, CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload, kvCacheBytes, modelParams } from "../workload/build-workload.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import type { Precision } from "../workload/precision.js";
import { inferenceActivationPeakBytes } from "./activation-memory.js";
import { type EvaluateOptions, evaluateGraph, type GraphCost } from "./evaluate-graph.js";

/**
 * Single-batch inference: prefill of the whole batch, then decode steps against a growing KV cache.
 *
 *   ttft_s        = prefill time of the batch (input_tokens per sequence)
 *   tpot_s        = mean decode-step time over the output tokens after the first
 *   e2e_latency_s = ttft_s + (output_tokens − 1) · tpot_s   (vLLM/TensorRT-LLM convention; formulas.md §7)
 *
 * The decode mean is integrated with Simpson's rule over the context length (first, middle, last
 * step): a step's cost is linear in context (KV reads, attention FLOPs) plus constant terms, for
 * which Simpson is exact; tile quantisation makes it very nearly so.
 *
 * Multi-chip: data-parallel replicas (chips / (tp·pp) copies, each serving batch / replicas) are exact.
 * Tensor and pipeline parallel inference are modelled in the serving issue; until then they are
 * refused with a clear reason.
 *
 * Serving engines compute logits for the last position of each sequence only (lm_head_tokens: last).
 *
 * Memory per chip, the way serving engines see it (formulas.md §7): weights + KV cache of the whole
 * batch at full length + peak activations + runtime overhead (CUDA context, workspaces).
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
}

export interface PhaseResult {
  time_s: number;
  flops: number;
  bytes: number;
  bound: Bound;
  energy_j?: number;
}

export interface InferenceEstimate {
  kind: "inference";
  model: string;
  chip: string;
  chips: number;
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
  memory_breakdown_bytes: { weights: number; kv_cache: number; activations: number; other: number };
  memory_capacity_bytes: number;
  fits: boolean;
  /** Bytes missing when it does not fit. */
  shortfall_bytes: number;
  energy_j?: number;
  energy_per_output_token_j?: number;
  bound: Bound;
  phases: { prefill: PhaseResult; decode?: PhaseResult & { steps: number } };
  /** The prefill graph evaluation, for per-op breakdowns. */
  prefill_detail: GraphCost;
  warnings: string[];
}

/** Runtime memory not in weights/KV/activations (framework context, workspaces); family data. */
function runtimeOverheadBytes(ctx: CostContext): number {
  const v = ctx.efficiency.runtime_overhead_bytes;
  return typeof v === "number" ? v : 0;
}

function phase(g: GraphCost): PhaseResult {
  const p: PhaseResult = { time_s: g.time_s, flops: g.flops, bytes: g.bytes, bound: g.bound };
  if (g.energy_j !== undefined) p.energy_j = g.energy_j;
  return p;
}

export function estimateInference(req: InferenceRequest, ctx: CostContext, opts: EvaluateOptions = {}): InferenceEstimate {
  const warnings: string[] = [];
  const modelParallel = req.tp * req.pp;
  if (modelParallel > 1) {
    throw new XpusimError(
      error("E_UNSUPPORTED", "parallelism", `tensor/pipeline-parallel inference (tp=${req.tp}, pp=${req.pp}) is not modelled yet`, {
        hint: "use tp=1, pp=1 (data-parallel replicas are supported); multi-chip serving is tracked in issue #4",
      }),
    );
  }
  if (req.chips % modelParallel !== 0) {
    throw new XpusimError(error("E_RANGE", "hardware.count", `chip count ${req.chips} is not a multiple of tp·pp = ${modelParallel}`));
  }
  const replicas = req.chips / modelParallel;
  if (req.batch % replicas !== 0) {
    throw new XpusimError(
      error("E_RANGE", "inference.batch", `batch ${req.batch} does not divide evenly over ${replicas} data-parallel replicas`, {
        hint: `use a batch that is a multiple of ${replicas}`,
      }),
    );
  }
  const b = req.batch / replicas;
  const prefillGraph = buildWorkload(
    req.model,
    { batch: b, new_tokens: req.input_tokens, context_tokens: req.input_tokens, phase: "prefill", lm_head_tokens: "last", ...(req.image_size ? { image_size: req.image_size } : {}) },
    req.precision,
  );
  const tokenModel = prefillGraph.category === "decoder-llm";
  const prefill = evaluateGraph(prefillGraph, ctx, opts);
  const params = modelParams(req.model);
  const weights = params.params_total * DTYPE_BYTES[req.precision.weights];
  let kv = 0;
  let decode: (PhaseResult & { steps: number }) | undefined;
  let tpot = 0;
  const steps = tokenModel ? Math.max(0, req.output_tokens - 1) : 0;
  if (tokenModel) {
    kv = kvCacheBytes(req.model, req.input_tokens + req.output_tokens, req.precision.kv_cache, b);
    if (steps > 0) {
      // Decode step i (1..steps) attends input + i tokens. Simpson over [first, last].
      const first = req.input_tokens + 1;
      const last = req.input_tokens + steps;
      const at = (ctxLen: number) =>
        evaluateGraph(buildWorkload(req.model, { batch: b, new_tokens: 1, context_tokens: ctxLen, phase: "decode", lm_head_tokens: "last" }, req.precision), ctx, opts);
      const g0 = at(first);
      const g2 = steps > 1 ? at(last) : g0;
      const g1 = steps > 2 ? at(Math.round((first + last) / 2)) : undefined;
      const mean = (f: (g: GraphCost) => number) => (g1 ? (f(g0) + 4 * f(g1) + f(g2)) / 6 : (f(g0) + f(g2)) / 2);
      tpot = mean((g) => g.time_s);
      const e0 = g0.energy_j;
      decode = {
        steps,
        time_s: tpot * steps,
        flops: mean((g) => g.flops) * steps,
        bytes: mean((g) => g.bytes) * steps,
        bound: (g1 ?? g0).bound,
      };
      if (e0 !== undefined) decode.energy_j = mean((g) => g.energy_j ?? 0) * steps;
    }
  } else if (req.output_tokens > 0 && prefillGraph.category !== "cnn" && prefillGraph.category !== "vision-transformer") {
    warnings.push(`${prefillGraph.category} models do not generate tokens; output_tokens ignored`);
  }
  const activations = inferenceActivationPeakBytes(prefillGraph);
  const other = runtimeOverheadBytes(ctx);
  const memory = weights + kv + activations + other;
  const capacity = ctx.chip.memory.main.capacity_bytes;
  const ttft = prefill.time_s;
  const e2e = ttft + (decode ? decode.time_s : 0);
  const outTokens = tokenModel ? req.batch * req.output_tokens : 0;
  const energyPerChip = prefill.energy_j !== undefined ? prefill.energy_j + (decode?.energy_j ?? 0) : undefined;
  const result: InferenceEstimate = {
    kind: "inference",
    model: prefillGraph.name,
    chip: ctx.chip.id,
    chips: req.chips,
    replicas,
    batch_per_replica: b,
    ttft_s: ttft,
    tpot_s: tpot,
    e2e_latency_s: e2e,
    output_tokens_per_s: tokenModel && e2e > 0 ? outTokens / e2e : 0,
    samples_per_s: e2e > 0 ? req.batch / e2e : 0,
    memory_per_chip_bytes: memory,
    memory_breakdown_bytes: { weights, kv_cache: kv, activations, other },
    memory_capacity_bytes: capacity,
    fits: memory <= capacity,
    shortfall_bytes: Math.max(0, memory - capacity),
    bound: decode && decode.time_s > prefill.time_s ? decode.bound : prefill.bound,
    phases: { prefill: phase(prefill), ...(decode ? { decode } : {}) },
    prefill_detail: prefill,
    warnings,
  };
  if (energyPerChip !== undefined) {
    result.energy_j = energyPerChip * req.chips;
    if (outTokens > 0) result.energy_per_output_token_j = result.energy_j / outTokens;
  }
  if (!result.fits) warnings.push(`does not fit: needs ${(memory / 1e9).toFixed(1)} GB per chip, has ${(capacity / 1e9).toFixed(1)} GB`);
  return result;
}
