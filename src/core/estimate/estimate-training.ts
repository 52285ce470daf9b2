import type { CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { type LayoutNetwork, layoutNetworks } from "../parallel/network-context.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import type { Block } from "../workload/op.js";
import type { EvaluateOptions } from "./evaluate-graph.js";
import { blockPrice, type BlockPrice, type CorePrice, priceCore } from "./training/block-price.js";
import { dataParallelComm, rankParameters } from "./training/data-parallel-comm.js";
import { checkLayout } from "./training/layout-check.js";
import { opPricer, optimizerPricer } from "./training/op-pricing.js";
import { pipelineP2pS, pipelineSchedule } from "./training/pipeline-schedule.js";
import { type Stages, stageSums } from "./training/stage-sums.js";
import { type GraphInfo, trainingGraph } from "./training/training-graph.js";
import { optimizerShardParams, trainingMemory } from "./training/training-memory.js";
import { assembleTrainingEstimate } from "./training/training-result.js";
import type { TrainingEstimate, TrainingRequest, TrainingStructure, TrainingWorkload } from "./training/training-types.js";

export { checkLayout } from "./training/layout-check.js";
export type { ChosenDefault, Recompute, TrainingEstimate, TrainingRequest, TrainingStructure, TrainingWorkload } from "./training/training-types.js";

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
 * The parts live in training/, one concept a file: training-graph.ts (the micro-batch graph and its
 * layers), block-price.ts (one block sharded and priced), stage-sums.ts (pipeline stages),
 * pipeline-schedule.ts (stage pace, bubble, p2p), data-parallel-comm.ts (gradient reduction, buckets,
 * overlap, ZeRO-3 gathers), training-memory.ts, training-result.ts (the step assembled), layout-check.ts.
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

/** The layout degrees of a request, with sp only where tp > 1 and v = interleave. */
interface Degrees {
  microbatch: number;
  tp: number;
  sp: boolean;
  pp: number;
  v: number;
  ep: number;
  cp: number;
}

function memo<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    cache.set(key, v);
  }
  return v;
}

export function trainingPricer(w: TrainingWorkload, ctx: CostContext, opts: EvaluateOptions = {}): TrainingPricer {
  const price = opPricer(ctx, opts);
  const optimizerCost = optimizerPricer(ctx, opts);
  const actBytes = DTYPE_BYTES[w.precision.activations];
  const hidden = "hidden_size" in w.model && typeof w.model.hidden_size === "number" ? w.model.hidden_size : 0;
  const networks = w.system ? layoutNetworks(w.system) : undefined;
  const graphs = new Map<string, GraphInfo>();
  const cores = new Map<string, Map<Block, CorePrice>>();
  const stagesCache = new Map<string, Stages>();
  const graphFor = (microbatch: number, cp = 1) => memo(graphs, `${microbatch}|${cp}`, () => trainingGraph(w, microbatch, cp));

  /** Block prices depend on (microbatch, tp, sp, ep, cp) only: the tp, ep and cp groups' placements depend on those degrees. */
  const coreFor = (g: GraphInfo, d: Degrees, net: LayoutNetwork | undefined) =>
    memo(cores, `${d.microbatch}|${d.tp}|${d.sp}|${d.ep}|${d.cp}`, () => {
      const core = new Map<Block, CorePrice>();
      const layout = { tp: d.tp, sp: d.sp, ep: d.ep, cp: d.cp, net, price, actBytes, dropout: !!w.dropout };
      for (const b of g.graph.blocks) core.set(b, priceCore(b, layout));
      return core;
    });

  const stagesFor = (g: GraphInfo, d: Degrees, recompute: TrainingRequest["recompute"], net: LayoutNetwork | undefined): Stages =>
    memo(stagesCache, `${d.microbatch}|${d.tp}|${d.sp}|${d.pp}|${d.v}|${d.ep}|${d.cp}|${recompute}`, () => {
      const prices = new Map<Block, BlockPrice>();
      for (const [b, c] of coreFor(g, d, net)) prices.set(b, blockPrice(c, recompute));
      return stageSums(g, prices, d.pp, d.v);
    });

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
    const d: Degrees = { microbatch: req.microbatch, tp: req.tp, sp: !!req.sp && req.tp > 1, pp: req.pp, v: req.interleave ?? 1, ep: req.ep, cp: req.cp };
    const g1 = graphFor(req.microbatch);
    const problems = checkLayout(req, g1.layers, g1.heads, g1.kvHeads);
    if (problems.length) throw new XpusimError(problems);
    const g = graphFor(req.microbatch, d.cp);
    if (req.chips > 1 && !w.system) throw new XpusimError(error("E_SCHEMA", "hardware.system", `${req.chips} chips need a system (nodes and networks) to price communication`, { hint: "set hardware.system to a catalog system id (`xpusim collective --list`)" }));
    const net = networks && req.chips > 1 ? networks(d.tp, req.dp, d.pp, d.ep, d.cp) : undefined;
    const m = req.global_batch / (req.dp * req.microbatch);
    const stages = stagesFor(g, d, req.recompute, net);
    const schedule = pipelineSchedule(stages, d.pp, d.v);
    const p2p = pipelineP2pS(net, { pp: d.pp, v: d.v, m, tp: d.tp }, req.microbatch * (w.seq_len / d.cp) * hidden * actBytes);
    const tied = d.pp > 1 && "tied_embeddings" in w.model && w.model.tied_embeddings && g.embeddingParams !== undefined ? g.embeddingParams / d.tp : 0;
    const params = rankParameters(stages.first, stages.last, tied, d.ep);
    const wBytes = DTYPE_BYTES[w.precision.weights];
    const overlap = req.overlap_grad_reduce ?? true;
    const layers = g.layers > 0 ? Math.ceil(g.layers / (d.pp * d.v)) * d.v : 1;
    const dpLayout = { dp: req.dp, cp: d.cp, ep: d.ep, zero: req.zero, m, overlap, bucket_bytes: req.grad_bucket_bytes, layers, prefetch: req.zero_prefetch_layers ?? 1, backward_gathers: req.recompute === "full" && req.zero_recompute_regather ? 2 : 1, overlap_param_gather: req.overlap_param_gather ?? overlap };
    const dp = dataParallelComm(net, params, wBytes, dpLayout, schedule.slow);
    const shards = { zero: req.zero, grad_ranks: dp.grad_ranks, expert_grad_ranks: dp.expert_grad_ranks };
    const optimizer = optimizerCost(Math.max(1, Math.ceil(optimizerShardParams(params, shards))));
    const rt = ctx.efficiency.runtime_overhead_bytes;
    const memory = trainingMemory(params, wBytes, { ...shards, pp: d.pp, v: d.v, m, recompute: req.recompute, gathered_layers: dpLayout.prefetch + 1, layers }, stages.first, typeof rt === "number" ? rt : 0);
    return assembleTrainingEstimate({ req, m, v: d.v, sp: d.sp, schedule, p2p_s: p2p, dp, optimizer, memory, graph: g1, networked: !!net }, w, ctx);
  };

  return { estimate, structure };
}

export function estimateTraining(req: TrainingRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingEstimate {
  return trainingPricer(req, ctx, opts).estimate(req);
}
