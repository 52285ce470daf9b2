import type { Bound, CostContext } from "../cost/contract.js";
import { estimateOp } from "../cost/registry.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { buildWorkload, modelParams } from "../workload/build-workload.js";
import type { ElementwiseOp } from "../workload/op.js";
import type { Precision } from "../workload/precision.js";
import { trainingActivationBytes } from "./activation-memory.js";
import { backwardBlocks } from "./backward-ops.js";
import { dominantBound, eagerDispatchS, type EvaluateOptions, emptyBoundTimes, evaluateGraph } from "./evaluate-graph.js";

/**
 * Training step on one chip, or on data-parallel replicas of one chip.
 *
 *   step_time_s = micro-batches × (forward + backward + recomputation) + optimizer step
 *
 * Forward and backward are priced op by op (backward-ops.ts); recomputation adds one forward (full)
 * or the attention core (selective; Korthikanti et al. 2022). The optimizer is mixed-precision Adam,
 * a memory-bound pass over the fp32 master weights, both moments and the gradients.
 *
 * Memory per chip (ZeRO accounting, Rajbhandari et al. SC20): weights and gradients in the weight
 * dtype, optimizer 12 B/param (fp32 master, momentum, variance), divided over dp by ZeRO stage;
 * activations from the op graph (activation-memory.ts) for one micro-batch, by recompute policy.
 *
 * Not modelled yet (issue #3): tensor/pipeline/expert/context parallelism and all communication.
 * With dp > 1 the gradient all-reduce is reported as unmodelled in `warnings`.
 */
export interface TrainingRequest {
  model: ModelSpec;
  precision: Precision;
  global_batch: number;
  seq_len: number;
  image_size?: number;
  recompute: "none" | "selective" | "full";
  chips: number;
  tp: number;
  pp: number;
  dp: number;
  ep: number;
  cp: number;
  zero: number;
  microbatch: number;
  /** Token budget for time-to-train. */
  tokens?: number;
}

export interface TrainingEstimate {
  kind: "training";
  model: string;
  chip: string;
  chips: number;
  step_time_s: number;
  step_breakdown_s: { forward: number; backward: number; recompute: number; optimizer: number; communication_exposed: number; pipeline_bubble: number };
  tokens_per_s: number;
  samples_per_s: number;
  model_flops_per_step: number;
  hardware_flops_per_step: number;
  model_flops_per_s_per_chip: number;
  hardware_flops_per_s_per_chip: number;
  mfu: number;
  hfu: number;
  memory_per_chip_bytes: number;
  memory_breakdown_bytes: { weights: number; gradients: number; optimizer: number; activations: number; kv_cache: number; other: number };
  memory_capacity_bytes: number;
  fits: boolean;
  shortfall_bytes: number;
  microbatches_per_step: number;
  energy_j?: number;
  energy_per_step_j?: number;
  time_to_train_s?: number;
  chip_hours?: number;
  cost_usd?: number;
  bound: Bound;
  warnings: string[];
}

export function estimateTraining(req: TrainingRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingEstimate {
  const warnings: string[] = [];
  if (req.tp > 1 || req.pp > 1 || req.ep > 1 || req.cp > 1) {
    throw new XpusimError(
      error("E_UNSUPPORTED", "parallelism", `tensor/pipeline/expert/context parallel training (tp=${req.tp}, pp=${req.pp}, ep=${req.ep}, cp=${req.cp}) is not modelled yet`, {
        hint: "use data parallelism only (dp = chips); multi-chip training is tracked in issue #3",
      }),
    );
  }
  if (req.dp !== req.chips) {
    throw new XpusimError(error("E_RANGE", "parallelism.dp", `dp=${req.dp} must equal the chip count ${req.chips} when tp = pp = 1`, { hint: `set parallelism.dp: ${req.chips}` }));
  }
  if (req.global_batch % (req.dp * req.microbatch) !== 0) {
    throw new XpusimError(
      error("E_RANGE", "training.global_batch", `global batch ${req.global_batch} is not divisible by dp × microbatch = ${req.dp * req.microbatch}`, {
        hint: `use a multiple of ${req.dp * req.microbatch}`,
      }),
    );
  }
  const micro = req.global_batch / (req.dp * req.microbatch);
  const fwdGraph = buildWorkload(
    req.model,
    { batch: req.microbatch, new_tokens: req.seq_len, context_tokens: req.seq_len, phase: "forward", training: true, ...(req.image_size ? { image_size: req.image_size } : {}) },
    req.precision,
  );
  const fwd = evaluateGraph(fwdGraph, ctx, opts);
  const byBound = { ...fwd.time_by_bound_s };
  const dispatch = opts.execution === "eager" ? eagerDispatchS(ctx) : 0;
  const kernelEfficiency = dispatch > 0 ? { ...ctx.efficiency, eager_dispatch_overhead_s: 0 } : ctx.efficiency;
  const opOpts = { ...(opts.costModel ? { model: opts.costModel } : {}), ...(opts.execution ? { execution: opts.execution } : {}) };

  // Backward: price each backward item (new GEMM shapes priced directly; others scale the forward).
  let bwdTime = 0;
  let bwdFlops = 0;
  let energy = fwd.energy_j;
  const bwdBound = emptyBoundTimes();
  for (const block of backwardBlocks(fwdGraph.blocks)) {
    for (const item of block.items) {
      // Price the kernel without host dispatch, scale it, then apply dispatch once per backward kernel.
      const { cost } = estimateOp(item.op, ctx.chip, kernelEfficiency, opOpts);
      const t = Math.max(cost.time_s * item.factor, dispatch);
      bwdTime += t * block.repeat;
      bwdFlops += cost.flops * item.factor * block.repeat;
      bwdBound[t === dispatch && dispatch > cost.time_s * item.factor ? "overhead" : cost.bound] += t * block.repeat;
      if (energy !== undefined) energy = cost.energy_j === undefined ? undefined : energy + cost.energy_j * item.factor * block.repeat;
    }
  }
  for (const k of Object.keys(byBound) as Bound[]) byBound[k] += bwdBound[k];

  // Recomputation.
  let recomputeTime = 0;
  let recomputeFlops = 0;
  if (req.recompute === "full") {
    recomputeTime = fwd.time_s;
    recomputeFlops = fwd.flops;
  } else if (req.recompute === "selective") {
    for (const b of fwd.blocks)
      for (const o of b.ops)
        if (o.op.kind === "attention" || o.op.kind === "softmax") {
          recomputeTime += o.time_s * b.repeat;
          recomputeFlops += o.cost.flops * b.repeat;
        }
  }

  // Optimizer: Adam over this chip's parameter shard. Reads fp32 master, m, v and the gradient,
  // writes master, m, v and the low-precision weights: ≈ 7 fp32-sized streams per parameter.
  const params = modelParams(req.model);
  const shard = req.zero >= 1 ? params.params_total / req.dp : params.params_total;
  const adam: ElementwiseOp = { name: "optimizer.adam", kind: "elementwise", fn: "adam", dtype: "fp32", act_dtype: "fp32", elements: Math.ceil(shard), inputs: 6, flops_per_element: 12 };
  const optCost = estimateOp(adam, ctx.chip, ctx.efficiency, opOpts).cost;
  const optimizer = optCost.time_s;

  const perMicro = fwd.time_s + bwdTime + recomputeTime;
  const step = micro * perMicro + optimizer;
  if (req.dp > 1) warnings.push(`data-parallel gradient synchronisation over ${req.dp} chips is not modelled yet (issue #3): step time excludes it`);

  const modelFlopsPerStep = (fwd.flops + bwdFlops) * micro * req.dp;
  const hwFlopsPerStep = (fwd.flops + bwdFlops + recomputeFlops) * micro * req.dp;
  const tokensPerSample = fwdGraph.category === "decoder-llm" || fwdGraph.category === "encoder" ? req.seq_len : 1;
  const peak = ctx.chip.matrix.peak_flops_per_s[req.precision.compute] ?? ctx.chip.vector.peak_flops_per_s[req.precision.compute] ?? Number.NaN;

  // Memory (ZeRO accounting).
  const wBytes = DTYPE_BYTES[req.precision.weights];
  const P = params.params_total;
  const weights = (req.zero >= 3 ? P / req.dp : P) * wBytes;
  const gradients = (req.zero >= 2 ? P / req.dp : P) * wBytes;
  const optimizerBytes = (req.zero >= 1 ? P / req.dp : P) * 12;
  const act = trainingActivationBytes(fwdGraph);
  const activations =
    req.recompute === "full" ? act.block_inputs + act.largest_block : req.recompute === "selective" ? act.total - act.selective_savings : act.total;
  const rt = ctx.efficiency.runtime_overhead_bytes;
  const other = typeof rt === "number" ? rt : 0;
  const memory = weights + gradients + optimizerBytes + activations + other;
  const capacity = ctx.chip.memory.main.capacity_bytes;

  const res: TrainingEstimate = {
    kind: "training",
    model: fwdGraph.name,
    chip: ctx.chip.id,
    chips: req.chips,
    step_time_s: step,
    step_breakdown_s: { forward: micro * fwd.time_s, backward: micro * bwdTime, recompute: micro * recomputeTime, optimizer, communication_exposed: 0, pipeline_bubble: 0 },
    tokens_per_s: (req.global_batch * tokensPerSample) / step,
    samples_per_s: req.global_batch / step,
    model_flops_per_step: modelFlopsPerStep,
    hardware_flops_per_step: hwFlopsPerStep,
    model_flops_per_s_per_chip: modelFlopsPerStep / step / req.chips,
    hardware_flops_per_s_per_chip: hwFlopsPerStep / step / req.chips,
    mfu: modelFlopsPerStep / step / req.chips / peak,
    hfu: hwFlopsPerStep / step / req.chips / peak,
    memory_per_chip_bytes: memory,
    memory_breakdown_bytes: { weights, gradients, optimizer: optimizerBytes, activations, kv_cache: 0, other },
    memory_capacity_bytes: capacity,
    fits: memory <= capacity,
    shortfall_bytes: Math.max(0, memory - capacity),
    microbatches_per_step: micro,
    bound: dominantBound(byBound),
    warnings,
  };
  if (energy !== undefined && optCost.energy_j !== undefined) {
    const perChip = micro * (energy + (req.recompute === "full" ? (fwd.energy_j ?? 0) : 0)) + optCost.energy_j;
    res.energy_per_step_j = perChip * req.chips;
    res.energy_j = res.energy_per_step_j;
  }
  if (req.tokens !== undefined && tokensPerSample > 1) {
    const steps = req.tokens / (req.global_batch * req.seq_len);
    res.time_to_train_s = steps * step;
    res.chip_hours = (res.time_to_train_s / 3600) * req.chips;
    if (ctx.chip.cost.cloud_usd_per_hour !== undefined) res.cost_usd = res.chip_hours * ctx.chip.cost.cloud_usd_per_hour;
    if (res.energy_per_step_j !== undefined) res.energy_j = res.energy_per_step_j * steps;
  }
  if (!res.fits) warnings.push(`does not fit: needs ${(memory / 1e9).toFixed(1)} GB per chip, has ${(capacity / 1e9).toFixed(1)} GB`);
  if (!Number.isFinite(peak)) warnings.push(`${ctx.chip.id} has no ${req.precision.compute} peak: MFU unavailable`);
  return res;
}
