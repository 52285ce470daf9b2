import type { Bound, CostContext } from "../cost/contract.js";
import { estimateOp } from "../cost/registry.js";
import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { System } from "../network/build-system.js";
import { type LayoutNetwork, layoutNetwork } from "../parallel/network-context.js";
import { shardTensorParallel } from "../parallel/tensor-parallel.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { buildWorkload, modelParams } from "../workload/build-workload.js";
import { graphTotals, opFlops, opParams } from "../workload/op-metrics.js";
import type { Block, CollectiveOp, ElementwiseOp, Op } from "../workload/op.js";
import type { Precision } from "../workload/precision.js";
import { savedActivationBytes } from "./activation-memory.js";
import { backwardOf } from "./backward-ops.js";
import { dominantBound, eagerDispatchS, type EvaluateOptions, emptyBoundTimes } from "./evaluate-graph.js";

/**
 * A training step on a layout of (tp, pp, dp) chips, Megatron-style (Narayanan et al. SC21,
 * arXiv 2104.04473; Korthikanti et al. 2022, arXiv 2205.05198). formulas.md §10:
 *
 *   step = m·t_stage + bubble + exposed p2p + exposed data-parallel reduction + optimizer
 *   t_stage  = the slowest pipeline stage's forward + backward (+ recompute) of one micro-batch,
 *              TP collectives included (Megatron does not overlap them)
 *   bubble   = (pp − 1)/v · t_stage_mean   (1F1B; v = interleaved chunks per rank)
 *   p2p      = 2·v sends of the stage boundary activations per micro-batch (scatter/gather over tp)
 *   DP       = all-reduce (ZeRO: reduce-scatter + all-gather) of the rank's gradients, exposed beyond the
 *              last micro-batch's backward when overlapped, whole when not
 *
 * Ops are priced by the cost-model registry after tensor-parallel sharding (parallel/tensor-parallel.ts);
 * backward ops come from backward-ops.ts; collectives from the network models on the system.
 *
 * Memory per chip (the most loaded stage): weights (weight dtype) + fp32 main gradients + Adam 12 B/param
 * (Megatron's 18 B/param accounting: theoretical_memory_usage.py; ZeRO stages divide by dp),
 * activations = saved inputs of the sharded ops per layer (÷ t for replicated ones under sequence
 * parallelism) × layers per stage × in-flight micro-batches (pp for 1F1B) × the interleaving penalty
 * 1 + (pp − 1)/(pp·v), with dropout masks when dropout is on (Korthikanti §4).
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
  /** Megatron sequence parallelism (with tp > 1). */
  sp?: boolean;
  /** Interleaved virtual pipeline chunks per rank (1 = plain 1F1B). */
  interleave?: number;
  /** The cluster; required when chips > 1. */
  system?: System;
  /** Overlap the data-parallel gradient reduction with the last backward (default true). */
  overlap_grad_reduce?: boolean;
  /** FlashAttention-style fused attention (default true). */
  flash_attention?: boolean;
  /** Dropout masks kept for backward (GPT-3-era training; default false). */
  dropout?: boolean;
  /** Token budget for time-to-train. */
  tokens?: number;
}

export interface TrainingEstimate {
  kind: "training";
  model: string;
  chip: string;
  chips: number;
  system?: string;
  layout: { tp: number; pp: number; dp: number; ep: number; cp: number; sp: boolean; zero: number; microbatch: number; interleave: number; recompute: string };
  step_time_s: number;
  step_breakdown_s: {
    forward: number;
    backward: number;
    recompute: number;
    optimizer: number;
    /** Tensor-parallel collectives (on the critical path). */
    tensor_parallel_comm: number;
    /** Pipeline point-to-point transfers. */
    pipeline_p2p: number;
    /** Data-parallel gradient reduction not hidden behind compute. */
    data_parallel_exposed: number;
    /** All communication on the critical path (sum of the three above). */
    communication_exposed: number;
    pipeline_bubble: number;
  };
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

interface BlockPrice {
  fwd: number;
  bwd: number;
  rec: number;
  /** Forward / backward / recompute TP collective time of one repetition. */
  tp_comm: number;
  energy_j?: number;
  params: number;
  /** Saved activation bytes of one repetition (one micro-batch). */
  act: number;
  /** Saved bytes selective recomputation avoids (attention scores). */
  act_selective: number;
  /** Bytes of the block input (what full recomputation keeps). */
  act_input: number;
  bounds: Record<Bound, number>;
}

const isLayerBlock = (b: Block) => /layer/.test(b.name) || b.repeat > 1;

function bad(path: string, message: string, hint?: string): Diagnostic {
  return error("E_RANGE", path, message, hint ? { hint } : {});
}

/** Divisibility and layout checks; every problem is reported, with the field it concerns. */
export function checkLayout(req: TrainingRequest, layers: number, heads: number | undefined, kvHeads: number | undefined): Diagnostic[] {
  const d: Diagnostic[] = [];
  const v = req.interleave ?? 1;
  if (req.ep > 1 || req.cp > 1) d.push(error("E_UNSUPPORTED", "parallelism", `expert/context parallelism (ep=${req.ep}, cp=${req.cp}) is not modelled yet`, { hint: "use ep = cp = 1" }));
  if (req.tp * req.pp * req.dp * req.cp !== req.chips) {
    d.push(bad("parallelism", `tp·pp·dp·cp = ${req.tp}·${req.pp}·${req.dp}·${req.cp} = ${req.tp * req.pp * req.dp * req.cp} does not equal the chip count ${req.chips}`, "the degrees must multiply to hardware.count"));
  }
  if (req.global_batch % (req.dp * req.microbatch) !== 0) {
    d.push(bad("training.global_batch", `global batch ${req.global_batch} is not divisible by dp × microbatch = ${req.dp * req.microbatch}`, `use a multiple of ${req.dp * req.microbatch}`));
  }
  if (heads !== undefined && req.tp > 1 && heads % req.tp !== 0) d.push(bad("parallelism.tp", `tp=${req.tp} does not divide the ${heads} attention heads`));
  if (kvHeads !== undefined && req.tp > 1 && kvHeads % req.tp !== 0 && req.tp % kvHeads !== 0) {
    d.push(bad("parallelism.tp", `tp=${req.tp} and the ${kvHeads} KV heads neither divide each other`, "KV heads are split or replicated in whole groups"));
  }
  if (req.pp > 1 && layers % (req.pp * v) !== 0) d.push(bad("parallelism.pp", `pp × interleave = ${req.pp * v} does not divide the ${layers} layers`));
  if (v > 1 && req.pp === 1) d.push(bad("parallelism.interleave", "interleaving needs pipeline parallelism (pp > 1)"));
  if (req.sp && req.tp === 1) d.push(bad("parallelism.sp", "sequence parallelism needs tp > 1"));
  if (req.zero > 0 && req.dp === 1) d.push(bad("parallelism.zero", `ZeRO stage ${req.zero} shards over data-parallel ranks, but dp = 1`));
  if ((req.tp > 1 || req.pp > 1) && layers === 0) d.push(error("E_UNSUPPORTED", "parallelism", "tensor/pipeline parallelism is modelled for transformer models only"));
  return d;
}

export function estimateTraining(req: TrainingRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingEstimate {
  const warnings: string[] = [];
  const tp = req.tp;
  const pp = req.pp;
  const dp = req.dp;
  const v = req.interleave ?? 1;
  const sp = !!req.sp && tp > 1;
  const flash = req.flash_attention ?? true;
  const fwdGraph = buildWorkload(
    req.model,
    { batch: req.microbatch, new_tokens: req.seq_len, context_tokens: req.seq_len, phase: "forward", training: true, fused_attention: flash, ...(req.image_size ? { image_size: req.image_size } : {}) },
    req.precision,
  );
  const layerBlocks = fwdGraph.blocks.filter(isLayerBlock);
  const layers = layerBlocks.reduce((s, b) => s + b.repeat, 0);
  const attn = layerBlocks.flatMap((b) => b.ops).find((o) => o.kind === "attention");
  const problems = checkLayout(req, layers, attn?.kind === "attention" ? attn.heads : undefined, attn?.kind === "attention" ? attn.kv_heads : undefined);
  if (problems.length) throw new XpusimError(problems);
  if (req.chips > 1 && !req.system) throw new XpusimError(error("E_SCHEMA", "hardware.system", `${req.chips} chips need a system (nodes and networks) to price communication`, { hint: "set hardware.system to a catalog system id (`xpusim collective --list`)" }));
  const net: LayoutNetwork | undefined = req.system && req.chips > 1 ? layoutNetwork(req.system, tp, dp, pp) : undefined;
  const m = req.global_batch / (dp * req.microbatch);

  const dispatch = opts.execution === "eager" ? eagerDispatchS(ctx) : 0;
  const kernelEff = dispatch > 0 ? { ...ctx.efficiency, eager_dispatch_overhead_s: 0 } : ctx.efficiency;
  const opOpts = { ...(opts.costModel ? { model: opts.costModel } : {}), ...(opts.execution ? { execution: opts.execution } : {}) };
  const price = (op: Op, factor: number) => {
    const { cost } = estimateOp(op, ctx.chip, kernelEff, opOpts);
    const t = Math.max(cost.time_s * factor, dispatch);
    return { t, cost, bound: (dispatch > cost.time_s * factor ? "overhead" : cost.bound) as Bound };
  };
  const actBytes = DTYPE_BYTES[req.precision.activations];
  const tpComm = (c: CollectiveOp) => (net ? net.tp(c.collective, c.bytes) : 0);

  const priceBlock = (block: Block): BlockPrice => {
    const sh = shardTensorParallel(block.ops, tp, sp);
    const bounds = emptyBoundTimes();
    let fwd = 0;
    let bwd = 0;
    let rec = 0;
    let energy: number | undefined = 0;
    let recEnergy = 0;
    let params = 0;
    let act = 0;
    let actSel = 0;
    let actInput = 0;
    for (const op of sh.ops) {
      const f = price(op, 1);
      fwd += f.t;
      bounds[f.bound] += f.t;
      energy = energy === undefined || f.cost.energy_j === undefined ? undefined : energy + f.cost.energy_j;
      if (req.recompute === "full" || (req.recompute === "selective" && op.kind === "attention")) {
        rec += f.t;
        recEnergy += f.cost.energy_j ?? 0;
      }
      for (const item of backwardOf(op)) {
        const b = price(item.op, item.factor);
        bwd += b.t;
        bounds[b.bound] += b.t;
        energy = energy === undefined || b.cost.energy_j === undefined ? undefined : energy + b.cost.energy_j * item.factor;
      }
      params += opParams(op);
      let saved = savedActivationBytes(op);
      if (sp && sh.replicated.has(op.name)) saved /= tp;
      if (actInput === 0 && saved > 0) actInput = saved;
      if (op.kind === "attention") {
        const keys = op.window ? Math.min(op.window, op.seq_kv) : op.seq_kv;
        const scores = op.batch * op.heads * op.seq_q * keys;
        if (!op.fused) actSel += scores * actBytes + (req.dropout ? scores * (1 + actBytes) : 0);
        if (req.dropout) {
          // Korthikanti §4.1: attention-output and MLP-output dropout masks, 1 byte per element each.
          const td = op.batch * op.seq_q * op.heads * tp * op.head_dim_v;
          saved += (2 * td) / (sp ? tp : 1);
          if (!op.fused) saved += scores * (1 + actBytes);
        }
      }
      act += saved;
    }
    // Forward collectives; backward has the same count; full recomputation repeats the forward ones.
    const comm = sh.comm.reduce((s, c) => s + tpComm(c), 0);
    const res: BlockPrice = {
      fwd,
      bwd,
      rec: rec + (req.recompute === "full" ? comm : 0),
      tp_comm: comm * (req.recompute === "full" ? 3 : 2),
      params,
      act,
      act_selective: actSel,
      act_input: actInput,
      bounds,
    };
    if (energy !== undefined) res.energy_j = energy + recEnergy;
    return res;
  };

  // Price each distinct block once.
  const prices = new Map<Block, BlockPrice>();
  for (const b of fwdGraph.blocks) prices.set(b, priceBlock(b));
  const first = fwdGraph.blocks.indexOf(layerBlocks[0] ?? fwdGraph.blocks[0]!);
  const lastLayer = layerBlocks.length ? fwdGraph.blocks.indexOf(layerBlocks[layerBlocks.length - 1]!) : fwdGraph.blocks.length - 1;
  const pre = layerBlocks.length ? fwdGraph.blocks.slice(0, first) : [];
  const post = layerBlocks.length ? fwdGraph.blocks.slice(lastLayer + 1) : [];
  const body = layerBlocks.length ? layerBlocks : fwdGraph.blocks;

  type Sum = { fwd: number; bwd: number; rec: number; tp: number; energy: number | undefined; params: number; act: number; actSel: number; actInput: number; largest: number; bounds: Record<Bound, number> };
  const sum = (blocks: readonly Block[], scale: (b: Block) => number): Sum => {
    const s: Sum = { fwd: 0, bwd: 0, rec: 0, tp: 0, energy: 0, params: 0, act: 0, actSel: 0, actInput: 0, largest: 0, bounds: emptyBoundTimes() };
    for (const b of blocks) {
      const p = prices.get(b)!;
      const k = scale(b);
      s.fwd += p.fwd * k;
      s.bwd += p.bwd * k;
      s.rec += p.rec * k;
      s.tp += p.tp_comm * k;
      s.energy = s.energy === undefined || p.energy_j === undefined ? undefined : s.energy + p.energy_j * k;
      s.params += p.params * k;
      s.act += p.act * k;
      s.actSel += p.act_selective * k;
      s.actInput += p.act_input * k;
      s.largest = Math.max(s.largest, p.act);
      for (const key of Object.keys(s.bounds) as Bound[]) s.bounds[key] += p.bounds[key] * k;
    }
    return s;
  };
  const perStage = (b: Block) => (layerBlocks.includes(b) ? b.repeat / pp : 1);
  const mid = sum(body, perStage);
  const firstStage = pp === 1 ? sum(fwdGraph.blocks, (b) => (layerBlocks.includes(b) ? b.repeat : 1)) : addSums(mid, sum(pre, () => 1));
  const lastStage = pp === 1 ? firstStage : addSums(mid, sum(post, () => 1));
  const stageTime = (s: Sum) => s.fwd + s.bwd + s.rec + s.tp;
  const tFirst = stageTime(firstStage);
  const tLast = stageTime(lastStage);
  const tMax = Math.max(tFirst, tLast, stageTime(mid));
  const slow = tMax === tFirst ? firstStage : tMax === tLast ? lastStage : mid;
  const tMean = pp === 1 ? tMax : (tFirst + tLast + (pp - 2) * stageTime(mid)) / pp;
  const bubble = ((pp - 1) / v) * tMean;

  // Pipeline p2p: the stage-boundary activation (÷ tp by scatter/gather or SP), forward and backward, per chunk.
  const hidden = "hidden_size" in req.model && typeof req.model.hidden_size === "number" ? req.model.hidden_size : 0;
  const p2pBytes = (req.microbatch * req.seq_len * hidden * actBytes) / tp;
  const p2p = net && pp > 1 ? m * 2 * v * net.pp(p2pBytes) : 0;

  // Data-parallel gradient reduction of the most loaded rank's parameters.
  let tiedCopy = 0;
  if (pp > 1 && "tied_embeddings" in req.model && req.model.tied_embeddings) {
    const emb = pre.flatMap((b) => b.ops).find((o) => o.kind === "embedding");
    if (emb) tiedCopy = opParams(emb) / tp;
  }
  const rankParams = Math.max(firstStage.params, lastStage.params + tiedCopy);
  const gradBytes = rankParams * DTYPE_BYTES[req.precision.weights];
  const dpTime = net && dp > 1 ? (req.zero >= 1 ? net.dp("reduce_scatter", gradBytes) + net.dp("all_gather", gradBytes) : net.dp("all_reduce", gradBytes)) : 0;
  const overlap = req.overlap_grad_reduce ?? true;
  const dpExposed = overlap ? Math.max(0, dpTime - slow.bwd) : dpTime;

  // Optimizer: Adam over this rank's shard (7 fp32-sized streams per parameter).
  const shard = req.zero >= 1 ? rankParams / dp : rankParams;
  const adam: ElementwiseOp = { name: "optimizer.adam", kind: "elementwise", fn: "adam", dtype: "fp32", act_dtype: "fp32", elements: Math.max(1, Math.ceil(shard)), inputs: 6, flops_per_element: 12 };
  const optCost = estimateOp(adam, ctx.chip, ctx.efficiency, opOpts).cost;
  const optimizer = optCost.time_s;

  const compute = m * tMax + bubble;
  const step = compute + p2p + dpExposed + optimizer;

  // FLOPs: model FLOPs = 3 × forward (forward + 2× backward, Narayanan §5.1), hardware adds recomputation.
  const totals = graphTotals(fwdGraph);
  const attnFlops = fwdGraph.blocks.reduce((s, b) => s + b.ops.filter((o) => o.kind === "attention").reduce((x, o) => x + opFlops(o), 0) * b.repeat, 0);
  const recFlops = req.recompute === "full" ? totals.flops : req.recompute === "selective" ? attnFlops : 0;
  const samples = req.global_batch;
  const modelFlopsPerStep = 3 * totals.flops * (samples / req.microbatch);
  const hwFlopsPerStep = modelFlopsPerStep + recFlops * (samples / req.microbatch);
  const tokenModel = fwdGraph.category === "decoder-llm" || fwdGraph.category === "encoder";
  const tokensPerSample = tokenModel ? req.seq_len : 1;
  const peak = ctx.chip.matrix.peak_flops_per_s[req.precision.compute] ?? ctx.chip.vector.peak_flops_per_s[req.precision.compute] ?? Number.NaN;

  // Memory of the most loaded rank.
  const zeroDiv = (stage: number) => (req.zero >= stage ? dp : 1);
  const weights = (rankParams * DTYPE_BYTES[req.precision.weights]) / zeroDiv(3);
  const gradients = (rankParams * 4) / zeroDiv(2);
  const optimizerBytes = (rankParams * 12) / zeroDiv(1);
  const inFlight = Math.min(m, pp);
  const penalty = v > 1 ? 1 + (pp - 1) / (pp * v) : 1;
  const stageForAct = firstStage;
  let activations: number;
  if (req.recompute === "full") activations = (stageForAct.actInput * inFlight + stageForAct.largest) * (pp > 1 ? penalty : 1);
  else if (req.recompute === "selective") activations = (stageForAct.act - stageForAct.actSel) * inFlight * penalty;
  else activations = stageForAct.act * inFlight * penalty;
  const rt = ctx.efficiency.runtime_overhead_bytes;
  const other = typeof rt === "number" ? rt : 0;
  const memory = weights + gradients + optimizerBytes + activations + other;
  const capacity = ctx.chip.memory.main.capacity_bytes;

  const commExposed = m * slow.tp + p2p + dpExposed;
  const bounds = { ...slow.bounds };
  for (const k of Object.keys(bounds) as Bound[]) bounds[k] *= m;
  bounds.network += commExposed;
  bounds.overhead += bubble;

  const res: TrainingEstimate = {
    kind: "training",
    model: fwdGraph.name,
    chip: ctx.chip.id,
    chips: req.chips,
    ...(req.system && req.chips > 1 ? { system: req.system.id } : {}),
    layout: { tp, pp, dp, ep: req.ep, cp: req.cp, sp, zero: req.zero, microbatch: req.microbatch, interleave: v, recompute: req.recompute },
    step_time_s: step,
    step_breakdown_s: {
      forward: m * slow.fwd,
      backward: m * slow.bwd,
      recompute: m * slow.rec,
      optimizer,
      tensor_parallel_comm: m * slow.tp,
      pipeline_p2p: p2p,
      data_parallel_exposed: dpExposed,
      communication_exposed: commExposed,
      pipeline_bubble: bubble,
    },
    tokens_per_s: (samples * tokensPerSample) / step,
    samples_per_s: samples / step,
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
    microbatches_per_step: m,
    bound: dominantBound(bounds),
    warnings,
  };
  if (slow.energy !== undefined && optCost.energy_j !== undefined) {
    const busy = m * (slow.fwd + slow.bwd + slow.rec);
    const idleW = ctx.chip.power.idle_w ?? (ctx.chip.power.tdp_w ?? 0) * (typeof ctx.efficiency.static_power_fraction === "number" ? ctx.efficiency.static_power_fraction : 0);
    const perChip = m * slow.energy + optCost.energy_j + Math.max(0, step - busy - optimizer) * idleW;
    res.energy_per_step_j = perChip * req.chips;
    res.energy_j = res.energy_per_step_j;
  }
  if (req.tokens !== undefined && tokenModel) {
    const steps = req.tokens / (samples * req.seq_len);
    res.time_to_train_s = steps * step;
    res.chip_hours = (res.time_to_train_s / 3600) * req.chips;
    if (ctx.chip.cost.cloud_usd_per_hour !== undefined) res.cost_usd = res.chip_hours * ctx.chip.cost.cloud_usd_per_hour;
    if (res.energy_per_step_j !== undefined) res.energy_j = res.energy_per_step_j * steps;
  }
  if (!res.fits) warnings.push(`does not fit: needs ${(memory / 1e9).toFixed(1)} GB per chip, has ${(capacity / 1e9).toFixed(1)} GB`);
  if (!Number.isFinite(peak)) warnings.push(`${ctx.chip.id} has no ${req.precision.compute} peak: MFU unavailable`);
  if (req.chips > 1 && !net) warnings.push("no system given: communication not priced");
  return res;

  function addSums(a: Sum, b: Sum): Sum {
    const bounds = emptyBoundTimes();
    for (const k of Object.keys(bounds) as Bound[]) bounds[k] = a.bounds[k] + b.bounds[k];
    return {
      fwd: a.fwd + b.fwd,
      bwd: a.bwd + b.bwd,
      rec: a.rec + b.rec,
      tp: a.tp + b.tp,
      energy: a.energy === undefined || b.energy === undefined ? undefined : a.energy + b.energy,
      params: a.params + b.params,
      act: a.act + b.act,
      actSel: a.actSel + b.actSel,
      actInput: a.actInput + b.actInput,
      largest: Math.max(a.largest, b.largest),
      bounds,
    };
  }
}
