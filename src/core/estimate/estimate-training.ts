import type { Bound, CostContext } from "../cost/contract.js";
import { estimateOp } from "../cost/registry.js";
import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { System } from "../network/build-system.js";
import { type LayoutNetwork, layoutNetworks } from "../parallel/network-context.js";
import { contextParallelProblem, contextParallelSavedBytes, ringAttentionOp, ringExposedS, ringKvBytes } from "../parallel/context-parallel.js";
import { expertCount, expertParallelProblem, shardExpertParallel } from "../parallel/expert-parallel.js";
import { isLayerBlock, isRoutedExpert } from "../workload/graph-semantics.js";
import { shardTensorParallel } from "../parallel/tensor-parallel.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { buildWorkload } from "../workload/build-workload.js";
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
 *              last micro-batch's backward when overlapped, whole when not; ZeRO-3 adds the weight
 *              all-gathers before every micro-batch's forward and backward
 *
 * Ops are priced by the cost-model registry after tensor-parallel sharding (parallel/tensor-parallel.ts);
 * backward ops come from backward-ops.ts; collectives from the network models on the system.
 *
 * Expert parallelism (parallel/expert-parallel.ts): ep consecutive data-parallel ranks split the
 * routed experts; 2 all-to-alls per MoE layer forward and 2 backward (3 + 3 with full recompute), on
 * the critical path; dense gradients reduced over dp, expert gradients over dp/ep.
 * Context parallelism (parallel/context-parallel.ts): each rank runs s/cp tokens of every sequence
 * (the graph is built for s/cp tokens), attention by ring with (cp − 1)·max(0, t_send − t_block)
 * exposed per attention forward (and backward, with K/V + dK/dV); gradients reduced over dp·cp.
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
  /** Gradient bucket size for the overlapped reduction, bytes (default 25 MB, PyTorch DDP's bucket_cap_mb). */
  grad_bucket_bytes?: number;
  /** Overlap the data-parallel gradient reduction with the last backward (default true). */
  overlap_grad_reduce?: boolean;
  /** FlashAttention-style fused attention (default true). */
  flash_attention?: boolean;
  /** Dropout masks kept for backward (GPT-3-era training; default false). */
  dropout?: boolean;
  /** Token budget for time-to-train. */
  tokens?: number;
  /** Price of one chip-hour for the training cost (default: the chip's cloud price). */
  usd_per_chip_hour?: number;
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
    /** Expert-parallel all-to-alls (dispatch and combine, forward and backward; on the critical path). */
    expert_parallel_comm: number;
    /** Ring-attention sends of context parallelism not hidden behind the attention blocks. */
    context_parallel_comm: number;
    /** Pipeline point-to-point transfers. */
    pipeline_p2p: number;
    /** Data-parallel gradient reduction not hidden behind compute. */
    data_parallel_exposed: number;
    /** Compute slowed by communication overlapped with it (interference; library data). */
    overlap_slowdown: number;
    /** All communication on the critical path (sum of the five above). */
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

/** What one block repetition costs under a given recomputation policy. */
interface BlockPrice {
  fwd: number;
  bwd: number;
  rec: number;
  /** Forward / backward / recompute TP collective time of one repetition. */
  tp_comm: number;
  /** Expert-parallel all-to-alls of one repetition (forward + backward + recompute). */
  ep_comm: number;
  /** Exposed ring-attention communication of one repetition (forward + backward + recompute). */
  cp_comm: number;
  energy_j?: number;
  params: number;
  /** Routed-expert parameters of one repetition (after ep sharding). */
  expert_params: number;
  /** Saved activation bytes of one repetition (one micro-batch). */
  act: number;
  /** Saved bytes selective recomputation avoids (attention scores). */
  act_selective: number;
  /** Bytes of the block input (what full recomputation keeps). */
  act_input: number;
  bounds: Record<Bound, number>;
}

/** The recomputation-independent price of one block repetition, from which each policy's BlockPrice follows. */
interface CorePrice {
  fwd: number;
  bwd: number;
  /** Forward time of the attention ops (what selective recomputation repeats). */
  rec_attention: number;
  /** Forward + backward energy (undefined when an op has none), and the recomputed ops' energy. */
  energy_j: number | undefined;
  rec_energy_full_j: number;
  rec_energy_attention_j: number;
  /** Forward TP collectives of one repetition. */
  comm: number;
  /** Forward expert-parallel all-to-alls of one repetition. */
  ep_comm: number;
  /** Exposed ring communication of one repetition, forward and backward. */
  cp_fwd: number;
  cp_bwd: number;
  params: number;
  expert_params: number;
  act: number;
  act_selective: number;
  act_input: number;
  bounds: Record<Bound, number>;
}

type Recompute = TrainingRequest["recompute"];

function bad(path: string, message: string, hint?: string): Diagnostic {
  return error("E_RANGE", path, message, hint ? { hint } : {});
}

/** Divisibility and layout checks; every problem is reported, with the field it concerns. */
export function checkLayout(req: TrainingRequest, layers: number, heads: number | undefined, kvHeads: number | undefined): Diagnostic[] {
  const d: Diagnostic[] = [];
  const v = req.interleave ?? 1;
  const epProblem = expertParallelProblem(expertCount(req.model), req.ep, req.model.id);
  if (epProblem) d.push(bad("parallelism.ep", epProblem.message, epProblem.hint));
  else if (req.ep > 1 && req.dp % req.ep !== 0) d.push(bad("parallelism.ep", `ep = ${req.ep} does not divide dp = ${req.dp} (expert parallelism runs inside the data-parallel dimension)`, "use an ep that divides dp"));
  const cpProblem = contextParallelProblem(req.seq_len, req.cp);
  if (cpProblem) d.push(bad("parallelism.cp", cpProblem.message, cpProblem.hint));
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
  if (req.pp > 1 && layers > 0 && req.pp * v > layers) d.push(bad("parallelism.pp", `pp × interleave = ${req.pp * v} exceeds the ${layers} layers`, "each pipeline chunk needs at least one layer"));
  if (v > 1 && req.pp === 1) d.push(bad("parallelism.interleave", "interleaving needs pipeline parallelism (pp > 1)"));
  if (req.sp && req.tp === 1) d.push(bad("parallelism.sp", "sequence parallelism needs tp > 1"));
  if (req.zero > 0 && req.dp === 1) d.push(bad("parallelism.zero", `ZeRO stage ${req.zero} shards over data-parallel ranks, but dp = 1`));
  if ((req.tp > 1 || req.pp > 1 || req.cp > 1 || req.ep > 1) && layers === 0) d.push(error("E_UNSUPPORTED", "parallelism", "tensor/pipeline/context/expert parallelism is modelled for transformer models only"));
  return d;
}


/** The fields a {@link TrainingPricer} is bound to; the layout fields of each request may vary. */
export type TrainingWorkload = Pick<TrainingRequest, "model" | "precision" | "seq_len" | "image_size" | "flash_attention" | "dropout" | "system">;

/** The model's shape as the layout checks see it. */
export interface TrainingStructure {
  layers: number;
  heads?: number;
  kv_heads?: number;
  hidden: number;
  /** Whether the model counts tokens (decoder LLM, encoder) rather than samples. */
  token_model: boolean;
  model: string;
}

/**
 * Prices training layouts of one workload on one chip. The expensive part — building the forward
 * graph of a micro-batch and pricing its tensor-parallel-sharded blocks with the cost models — is
 * done once per (microbatch, tp, sp) and cached with every recomputation policy's sums; a layout
 * (pp, dp, interleave, ZeRO, micro-batches, network terms) is then composed by arithmetic, with the
 * collectives memoised per (group, op, bytes). `estimateTraining` is one pricer used once.
 */
export interface TrainingPricer {
  estimate(req: TrainingRequest): TrainingEstimate;
  structure(): TrainingStructure;
}

interface GraphInfo {
  graph: ReturnType<typeof buildWorkload>;
  layerBlocks: Block[];
  layerSet: Set<Block>;
  layers: number;
  heads?: number;
  kvHeads?: number;
  pre: Block[];
  post: Block[];
  body: Block[];
  flops: number;
  attnFlops: number;
  embeddingParams?: number;
}

type Sum = { fwd: number; bwd: number; rec: number; tp: number; ep: number; cp: number; energy: number | undefined; params: number; expertParams: number; act: number; actSel: number; actInput: number; largest: number; bounds: Record<Bound, number> };
interface Stages {
  first: Sum;
  last: Sum;
  /** The most loaded stage's layers: ceil(L / (pp·v)) per chunk (layers spread as evenly as possible). */
  mid: Sum;
  /** A stage's layers on average (L / pp), for the bubble. */
  midMean: Sum;
}

export function trainingPricer(w: TrainingWorkload, ctx: CostContext, opts: EvaluateOptions = {}): TrainingPricer {
  const flash = w.flash_attention ?? true;
  const dispatch = opts.execution === "eager" ? eagerDispatchS(ctx) : 0;
  const kernelEff = dispatch > 0 ? { ...ctx.efficiency, eager_dispatch_overhead_s: 0 } : ctx.efficiency;
  const opOpts = { ...(opts.costModel ? { model: opts.costModel } : {}), ...(opts.execution ? { execution: opts.execution } : {}) };
  const actBytes = DTYPE_BYTES[w.precision.activations];
  const hidden = "hidden_size" in w.model && typeof w.model.hidden_size === "number" ? w.model.hidden_size : 0;
  const networks = w.system ? layoutNetworks(w.system) : undefined;
  const graphs = new Map<string, GraphInfo>();
  const cores = new Map<string, Map<Block, CorePrice>>();
  const stagesCache = new Map<string, Stages>();
  const optimizerCache = new Map<number, ReturnType<typeof estimateOp>["cost"]>();

  const price = (op: Op, factor: number) => {
    const { cost } = estimateOp(op, ctx.chip, kernelEff, opOpts);
    const t = Math.max(cost.time_s * factor, dispatch);
    return { t, cost, bound: (dispatch > cost.time_s * factor ? "overhead" : cost.bound) as Bound };
  };

  /** The forward graph of one micro-batch on one rank: s/cp tokens per sequence under context parallelism. */
  const graphFor = (microbatch: number, cp = 1): GraphInfo => {
    const gkey = `${microbatch}|${cp}`;
    let g = graphs.get(gkey);
    if (g) return g;
    const seq = w.seq_len / cp;
    const graph = buildWorkload(
      w.model,
      { batch: microbatch, new_tokens: seq, context_tokens: seq, phase: "forward", training: true, fused_attention: flash, ...(w.image_size ? { image_size: w.image_size } : {}) },
      w.precision,
    );
    const layerBlocks = graph.blocks.filter(isLayerBlock);
    const attn = layerBlocks.flatMap((b) => b.ops).find((o) => o.kind === "attention");
    const first = graph.blocks.indexOf(layerBlocks[0] ?? graph.blocks[0]!);
    const lastLayer = layerBlocks.length ? graph.blocks.indexOf(layerBlocks[layerBlocks.length - 1]!) : graph.blocks.length - 1;
    const pre = layerBlocks.length ? graph.blocks.slice(0, first) : [];
    const emb = pre.flatMap((b) => b.ops).find((o) => o.kind === "embedding");
    g = {
      graph,
      layerBlocks,
      layerSet: new Set(layerBlocks),
      layers: layerBlocks.reduce((s, b) => s + b.repeat, 0),
      ...(attn?.kind === "attention" ? { heads: attn.heads, kvHeads: attn.kv_heads } : {}),
      pre,
      post: layerBlocks.length ? graph.blocks.slice(lastLayer + 1) : [],
      body: layerBlocks.length ? layerBlocks : graph.blocks,
      flops: graphTotals(graph).flops,
      attnFlops: graph.blocks.reduce((s, b) => s + b.ops.filter((o) => o.kind === "attention").reduce((x, o) => x + opFlops(o), 0) * b.repeat, 0),
      ...(emb ? { embeddingParams: opParams(emb) } : {}),
    };
    graphs.set(gkey, g);
    return g;
  };

  const priceCore = (block: Block, tp: number, sp: boolean, ep: number, cp: number, net: LayoutNetwork | undefined): CorePrice => {
    // Experts over ep first (shapes), then Megatron TP of every op (experts too: expert TP = tp).
    const eps = shardExpertParallel(block.ops, ep);
    const sh = shardTensorParallel(eps.ops, tp, sp);
    let cpFwd = 0;
    let cpBwd = 0;
    let expertParams = 0;
    const bounds = emptyBoundTimes();
    let fwd = 0;
    let bwd = 0;
    let recAttn = 0;
    let energy: number | undefined = 0;
    let recEnergyFull = 0;
    let recEnergyAttn = 0;
    let params = 0;
    let act = 0;
    let actSel = 0;
    let actInput = 0;
    for (const local of sh.ops) {
      // Under cp the attention runs as cp ring blocks of the local shard (same FLOPs as 1/cp of the sequence).
      const op = cp > 1 && local.kind === "attention" ? ringAttentionOp(local, cp) : local;
      const f = price(op, 1);
      fwd += f.t;
      bounds[f.bound] += f.t;
      energy = energy === undefined || f.cost.energy_j === undefined ? undefined : energy + f.cost.energy_j;
      recEnergyFull += f.cost.energy_j ?? 0;
      if (op.kind === "attention") {
        recAttn += f.t;
        recEnergyAttn += f.cost.energy_j ?? 0;
      }
      let opBwd = 0;
      for (const item of backwardOf(op)) {
        const b = price(item.op, item.factor);
        bwd += b.t;
        opBwd += b.t;
        bounds[b.bound] += b.t;
        energy = energy === undefined || b.cost.energy_j === undefined ? undefined : energy + b.cost.energy_j * item.factor;
      }
      params += opParams(op);
      if (isRoutedExpert(op)) expertParams += opParams(op);
      let saved = cp > 1 && local.kind === "attention" ? contextParallelSavedBytes(local, cp) : savedActivationBytes(op);
      if (cp > 1 && local.kind === "attention" && net) {
        // Ring attention: cp − 1 K/V sends forward, K/V + dK/dV backward, each behind one block's compute.
        const kv = ringKvBytes(local);
        cpFwd += ringExposedS(cp, net.cp(kv), f.t);
        cpBwd += ringExposedS(cp, net.cp(2 * kv), opBwd);
      }
      if (sp && sh.replicated.has(local)) saved /= tp;
      if (actInput === 0 && saved > 0) actInput = saved;
      if (op.kind === "attention") {
        const keys = op.window ? Math.min(op.window, op.seq_kv) : op.seq_kv;
        // The ring-expanded op: cp blocks of (s/cp)² = the local queries against all s keys.
        const scores = op.batch * op.heads * op.seq_q * keys;
        if (!op.fused) actSel += scores * actBytes + (w.dropout ? scores * (1 + actBytes) : 0);
        if (w.dropout) {
          // Korthikanti §4.1: attention-output and MLP-output dropout masks, 1 byte per element each.
          const td = (op.batch / cp) * op.seq_q * op.heads * tp * op.head_dim_v;
          saved += (2 * td) / (sp ? tp : 1);
          if (!op.fused) saved += scores * (1 + actBytes);
        }
      }
      act += saved;
    }
    // Forward collectives of one repetition (the tp group's placement depends on tp only).
    const comm = sh.comm.reduce((s, c: CollectiveOp) => s + (net ? net.tp(c.collective, c.bytes) : 0), 0);
    const epComm = eps.comm.reduce((s, c: CollectiveOp) => s + (net ? net.ep(c.collective, c.bytes) : 0), 0);
    return { fwd, bwd, rec_attention: recAttn, energy_j: energy, rec_energy_full_j: recEnergyFull, rec_energy_attention_j: recEnergyAttn, comm, ep_comm: epComm, cp_fwd: cpFwd, cp_bwd: cpBwd, params, expert_params: expertParams, act, act_selective: actSel, act_input: actInput, bounds };
  };

  /** A block's price under a recomputation policy: backward has as many collectives as forward; full recomputation repeats the forward ones. */
  const blockPrice = (c: CorePrice, recompute: Recompute): BlockPrice => {
    const full = recompute === "full";
    const rec = full ? c.fwd : recompute === "selective" ? c.rec_attention : 0;
    const recEnergy = full ? c.rec_energy_full_j : recompute === "selective" ? c.rec_energy_attention_j : 0;
    const res: BlockPrice = { fwd: c.fwd, bwd: c.bwd, rec: rec + (full ? c.comm : 0), tp_comm: c.comm * (full ? 3 : 2), ep_comm: c.ep_comm * (full ? 3 : 2), cp_comm: c.cp_fwd * (full ? 2 : 1) + c.cp_bwd, params: c.params, expert_params: c.expert_params, act: c.act, act_selective: c.act_selective, act_input: c.act_input, bounds: c.bounds };
    if (c.energy_j !== undefined) res.energy_j = c.energy_j + recEnergy;
    return res;
  };

  const stagesFor = (g: GraphInfo, microbatch: number, tp: number, sp: boolean, pp: number, v: number, ep: number, cp: number, recompute: Recompute, net: LayoutNetwork | undefined): Stages => {
    const key = `${microbatch}|${tp}|${sp}|${pp}|${v}|${ep}|${cp}|${recompute}`;
    const hit = stagesCache.get(key);
    if (hit) return hit;
    // The tp, ep and cp groups' placements depend on (tp, ep, cp) only.
    const coreKey = `${microbatch}|${tp}|${sp}|${ep}|${cp}`;
    let core = cores.get(coreKey);
    if (!core) {
      core = new Map();
      for (const b of g.graph.blocks) core.set(b, priceCore(b, tp, sp, ep, cp, net));
      cores.set(coreKey, core);
    }
    const prices = new Map<Block, BlockPrice>();
    for (const [b, c] of core) prices.set(b, blockPrice(c, recompute));
    const sum = (blocks: readonly Block[], scale: (b: Block) => number): Sum => {
      const s: Sum = { fwd: 0, bwd: 0, rec: 0, tp: 0, ep: 0, cp: 0, energy: 0, params: 0, expertParams: 0, act: 0, actSel: 0, actInput: 0, largest: 0, bounds: emptyBoundTimes() };
      for (const b of blocks) {
        const p = prices.get(b)!;
        const k = scale(b);
        s.fwd += p.fwd * k;
        s.bwd += p.bwd * k;
        s.rec += p.rec * k;
        s.tp += p.tp_comm * k;
        s.ep += p.ep_comm * k;
        s.cp += p.cp_comm * k;
        s.energy = s.energy === undefined || p.energy_j === undefined ? undefined : s.energy + p.energy_j * k;
        s.params += p.params * k;
        s.expertParams += p.expert_params * k;
        s.act += p.act * k;
        s.actSel += p.act_selective * k;
        s.actInput += p.act_input * k;
        s.largest = Math.max(s.largest, p.act);
        for (const key of Object.keys(s.bounds) as Bound[]) s.bounds[key] += p.bounds[key] * k;
      }
      return s;
    };
    // Layers need not divide evenly over the stages (Llama 3 405B: 126 layers on 16 stages): the
    // most loaded stage holds ceil(L / (pp·v)) layers per chunk and sets the pace.
    const maxLayers = g.layers > 0 ? Math.ceil(g.layers / (pp * v)) * v : 0;
    const mid = sum(g.body, (b) => (g.layerSet.has(b) ? (b.repeat * maxLayers) / g.layers : 1));
    const midMean = sum(g.body, (b) => (g.layerSet.has(b) ? b.repeat / pp : 1));
    const first = pp === 1 ? sum(g.graph.blocks, (b) => (g.layerSet.has(b) ? b.repeat : 1)) : addSums(mid, sum(g.pre, () => 1));
    const last = pp === 1 ? first : addSums(mid, sum(g.post, () => 1));
    const st = { first, last, mid, midMean };
    stagesCache.set(key, st);
    return st;
  };

  const optimizerCost = (elements: number) => {
    let c = optimizerCache.get(elements);
    if (!c) {
      // Adam over this rank's shard (7 fp32-sized streams per parameter).
      const adam: ElementwiseOp = { name: "optimizer.adam", kind: "elementwise", role: "replicated", fn: "adam", dtype: "fp32", act_dtype: "fp32", elements, inputs: 6, flops_per_element: 12 };
      c = estimateOp(adam, ctx.chip, ctx.efficiency, opOpts).cost;
      optimizerCache.set(elements, c);
    }
    return c;
  };

  const structure = (): TrainingStructure => {
    const g = graphFor(1);
    return {
      layers: g.layers,
      ...(g.heads !== undefined ? { heads: g.heads } : {}),
      ...(g.kvHeads !== undefined ? { kv_heads: g.kvHeads } : {}),
      hidden,
      token_model: g.graph.category === "decoder-llm" || g.graph.category === "encoder",
      model: g.graph.name,
    };
  };

  const estimate = (req: TrainingRequest): TrainingEstimate => {
    const warnings: string[] = [];
    const tp = req.tp;
    const pp = req.pp;
    const dp = req.dp;
    const v = req.interleave ?? 1;
    const sp = !!req.sp && tp > 1;
    const ep = req.ep;
    const cp = req.cp;
    const g1 = graphFor(req.microbatch);
    const fwdGraph = g1.graph;
    const problems = checkLayout(req, g1.layers, g1.heads, g1.kvHeads);
    if (problems.length) throw new XpusimError(problems);
    const g = graphFor(req.microbatch, cp);
    if (req.chips > 1 && !w.system) throw new XpusimError(error("E_SCHEMA", "hardware.system", `${req.chips} chips need a system (nodes and networks) to price communication`, { hint: "set hardware.system to a catalog system id (`xpusim collective --list`)" }));
    const net: LayoutNetwork | undefined = networks && req.chips > 1 ? networks(tp, dp, pp, ep, cp) : undefined;
    const m = req.global_batch / (dp * req.microbatch);

    const { first: firstStage, last: lastStage, mid, midMean } = stagesFor(g, req.microbatch, tp, sp, pp, v, ep, cp, req.recompute, net);
    const stageTime = (s: Sum) => s.fwd + s.bwd + s.rec + s.tp + s.ep + s.cp;
    const tFirst = stageTime(firstStage);
    const tLast = stageTime(lastStage);
    const tMax = Math.max(tFirst, tLast, stageTime(mid));
    const slow = tMax === tFirst ? firstStage : tMax === tLast ? lastStage : mid;
    const tMean = pp === 1 ? tMax : (pp * stageTime(midMean) + (tFirst - stageTime(mid)) + (tLast - stageTime(mid))) / pp;
    const bubble = ((pp - 1) / v) * tMean;

    // Pipeline p2p: the stage-boundary activation (÷ tp by scatter/gather or SP), forward and backward, per chunk.
    const p2pBytes = (req.microbatch * (w.seq_len / cp) * hidden * actBytes) / tp;
    const p2p = net && pp > 1 ? m * 2 * v * net.pp(p2pBytes) : 0;

    // Data-parallel gradient reduction of the most loaded rank's parameters.
    let tiedCopy = 0;
    if (pp > 1 && "tied_embeddings" in w.model && w.model.tied_embeddings && g.embeddingParams !== undefined) tiedCopy = g.embeddingParams / tp;
    const lastRank = lastStage.params + tiedCopy;
    const rankParams = Math.max(firstStage.params, lastRank);
    // Routed-expert parameters are reduced (and ZeRO-sharded) over the dp·cp/ep ranks holding the same experts.
    const expertParams = ep > 1 ? (lastRank > firstStage.params ? lastStage : firstStage).expertParams : 0;
    const denseParams = rankParams - expertParams;
    const grad = dp * cp;
    const edp = grad / ep;
    const wBytes = DTYPE_BYTES[w.precision.weights];
    const gradBytes = denseParams * wBytes;
    const expertGradBytes = expertParams * wBytes;
    const reduce = (group: (op: CollectiveOp["collective"], bytes: number) => number, bytes: number) => (req.zero >= 1 ? group("reduce_scatter", bytes) + group("all_gather", bytes) : group("all_reduce", bytes));
    const dpTime = net && grad > 1 ? reduce(net.dp, gradBytes) + (expertParams > 0 && edp > 1 ? reduce(net.edp, expertGradBytes) : 0) : 0;
    const overlap = req.overlap_grad_reduce ?? true;
    // Gradients are reduced in buckets as the backward produces them; the last bucket can only start
    // when the backward ends, so at least its reduction is exposed (PyTorch DDP bucket_cap_mb = 25).
    const bucketBytes = Math.min(gradBytes, req.grad_bucket_bytes ?? 25e6);
    const lastBucket = net && grad > 1 && bucketBytes > 0 ? reduce(net.dp, bucketBytes) : 0;
    let dpExposed = overlap ? Math.min(dpTime, Math.max(dpTime - slow.bwd, lastBucket)) : dpTime;
    // Overlap is not free: while the reduction runs under the last backward its kernels take SMs and
    // memory bandwidth from the compute (Calculon's processor_usage; formulas.md §10).
    let overlapSlowdown = overlap && net ? (dpTime - dpExposed) * net.dp_interference : 0;
    // ZeRO-3 keeps only a 1/dp shard of the weights: every micro-batch gathers them before its forward
    // and again before its backward (Rajbhandari et al. 2020, arXiv 1910.02054 §7.2.3: 1.5× the
    // all-reduce volume per step without accumulation), prefetched behind that pass's compute when overlapped.
    if (net && grad > 1 && req.zero >= 3) {
      const gather = net.dp("all_gather", gradBytes) + (expertParams > 0 && edp > 1 ? net.edp("all_gather", expertGradBytes) : 0);
      dpExposed += m * (overlap ? Math.max(0, gather - slow.fwd) + Math.max(0, gather - slow.bwd) : 2 * gather);
      if (overlap) overlapSlowdown += m * (Math.min(gather, slow.fwd) + Math.min(gather, slow.bwd)) * net.dp_interference;
    }

    const shard = req.zero >= 1 ? denseParams / grad + expertParams / edp : rankParams;
    const optCost = optimizerCost(Math.max(1, Math.ceil(shard)));
    const optimizer = optCost.time_s;

    const compute = m * tMax + bubble;
    const step = compute + p2p + dpExposed + overlapSlowdown + optimizer;

    // FLOPs: model FLOPs = 3 × forward (forward + 2× backward, Narayanan §5.1), hardware adds recomputation.
    // Whole-sequence FLOPs (the cp = 1 graph): context parallelism splits the work, not the model's FLOPs.
    const recFlops = req.recompute === "full" ? g1.flops : req.recompute === "selective" ? g1.attnFlops : 0;
    const samples = req.global_batch;
    const modelFlopsPerStep = 3 * g1.flops * (samples / req.microbatch);
    const hwFlopsPerStep = modelFlopsPerStep + recFlops * (samples / req.microbatch);
    const tokenModel = fwdGraph.category === "decoder-llm" || fwdGraph.category === "encoder";
    const tokensPerSample = tokenModel ? w.seq_len : 1;
    const peak = ctx.chip.matrix.peak_flops_per_s[w.precision.compute] ?? ctx.chip.vector.peak_flops_per_s[w.precision.compute] ?? Number.NaN;

    // Memory of the most loaded rank.
    const zeroDiv = (stage: number) => (req.zero >= stage ? grad : 1);
    const zeroDivExpert = (stage: number) => (req.zero >= stage ? edp : 1);
    const perParam = (bytes: number, stage: number) => (denseParams * bytes) / zeroDiv(stage) + (expertParams * bytes) / zeroDivExpert(stage);
    const weights = perParam(wBytes, 3);
    const gradients = perParam(4, 2);
    const optimizerBytes = perParam(12, 1);
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

    const commExposed = m * slow.tp + m * slow.ep + m * slow.cp + p2p + dpExposed;
    const bounds = { ...slow.bounds };
    for (const k of Object.keys(bounds) as Bound[]) bounds[k] *= m;
    bounds.network += commExposed;
    bounds.overhead += bubble;

    const res: TrainingEstimate = {
      kind: "training",
      model: fwdGraph.name,
      chip: ctx.chip.id,
      chips: req.chips,
      ...(w.system && req.chips > 1 ? { system: w.system.id } : {}),
      layout: { tp, pp, dp, ep: req.ep, cp: req.cp, sp, zero: req.zero, microbatch: req.microbatch, interleave: v, recompute: req.recompute },
      step_time_s: step,
      step_breakdown_s: {
        forward: m * slow.fwd,
        backward: m * slow.bwd,
        recompute: m * slow.rec,
        optimizer,
        tensor_parallel_comm: m * slow.tp,
        expert_parallel_comm: m * slow.ep,
        context_parallel_comm: m * slow.cp,
        pipeline_p2p: p2p,
        data_parallel_exposed: dpExposed,
        overlap_slowdown: overlapSlowdown,
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
      const steps = req.tokens / (samples * w.seq_len);
      res.time_to_train_s = steps * step;
      res.chip_hours = (res.time_to_train_s / 3600) * req.chips;
      const usdPerHour = req.usd_per_chip_hour ?? ctx.chip.cost.cloud_usd_per_hour;
      if (usdPerHour !== undefined) res.cost_usd = res.chip_hours * usdPerHour;
      if (res.energy_per_step_j !== undefined) res.energy_j = res.energy_per_step_j * steps;
    }
    if (!res.fits) warnings.push(`does not fit: needs ${(memory / 1e9).toFixed(1)} GB per chip, has ${(capacity / 1e9).toFixed(1)} GB`);
    if (!Number.isFinite(peak)) warnings.push(`${ctx.chip.id} has no ${w.precision.compute} peak: MFU unavailable`);
    if (req.chips > 1 && !net) warnings.push("no system given: communication not priced");
    return res;
  };

  return { estimate, structure };
}

export function estimateTraining(req: TrainingRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingEstimate {
  return trainingPricer(req, ctx, opts).estimate(req);
}

function addSums(a: Sum, b: Sum): Sum {
  const bounds = emptyBoundTimes();
  for (const k of Object.keys(bounds) as Bound[]) bounds[k] = a.bounds[k] + b.bounds[k];
  return {
    fwd: a.fwd + b.fwd,
    bwd: a.bwd + b.bwd,
    rec: a.rec + b.rec,
    tp: a.tp + b.tp,
    ep: a.ep + b.ep,
    cp: a.cp + b.cp,
    energy: a.energy === undefined || b.energy === undefined ? undefined : a.energy + b.energy,
    params: a.params + b.params,
    expertParams: a.expertParams + b.expertParams,
    act: a.act + b.act,
    actSel: a.actSel + b.actSel,
    actInput: a.actInput + b.actInput,
    largest: Math.max(a.largest, b.largest),
    bounds,
  };
}
