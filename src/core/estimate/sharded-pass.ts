import type { Bound, CostContext } from "../cost/contract.js";
import { estimateOp } from "../cost/registry.js";
import { ringAttentionOp, ringExposedS, ringKvBytes } from "../parallel/context-parallel.js";
import { shardExpertParallel } from "../parallel/expert-parallel.js";
import type { LayoutNetwork } from "../parallel/network-context.js";
import { shardTensorParallel } from "../parallel/tensor-parallel.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import type { Block, CollectiveOp, WorkloadGraph } from "../workload/op.js";
import { dominantBound, eagerDispatchS, type EvaluateOptions, evaluateBlocks, type GraphCost } from "./evaluate-graph.js";

/**
 * One forward pass (a prefill, or one decode step) of a model split over a tensor-parallel group of
 * `tp` chips and `pp` pipeline stages, for inference:
 *
 *   ops        Megatron sharding of every block (`shardTensorParallel`, no sequence parallelism):
 *              column-parallel QKV / up projections, row-parallel o_proj / down_proj, heads ÷ tp
 *   tp comm    the forward collectives of each block repetition, priced on the system's TP group:
 *              2 all-reduces per dense layer (after o_proj and down_proj) of tokens × hidden
 *              activations, 1 after the vocabulary-parallel embedding, and 1 all-gather of the
 *              logits after the vocabulary-parallel LM head (the sampler needs the whole row).
 *              In decode these messages are a few KB, so their time is the collective's latency
 *              (launch + protocol steps), not bandwidth — why TP=2 decode is ~1.6×, not 2× faster.
 *   pp         one request's pass runs through the stages one after another, so a pass costs the
 *              sum of the stages plus (pp − 1) point-to-point activation transfers; with one
 *              micro-batch (batch-1 decode) pp − 1 of the pp stages are idle at any time.
 *
 *   ep         (MoE) routed experts split over ep data-parallel replicas (parallel/expert-parallel.ts):
 *              this chip runs its experts for the tokens of all ep replicas, with a dispatch and a
 *              combine all-to-all per MoE layer on the ep group
 *   cp         prefill: the graph is built for input/cp tokens; attention runs as a ring over cp
 *              ranks, (cp − 1)·max(0, t_send(K/V shard) − t_block) exposed per layer
 *              (parallel/context-parallel.ts). Decode: the KV cache is split over the cp ranks; each
 *              scans its shard (seq_kv ÷ cp) and the partial outputs are gathered around the ring,
 *              (cp − 1) sends of the local partial output per layer, exposed.
 *
 * Engines (TensorRT-LLM, vLLM, FasterTransformer) do not overlap these collectives with compute
 * in the forward pass, so they sit on the critical path.
 *
 * Energy of the whole group: every chip draws idle power for the pass and its own op energy on
 * top; busy chip-time is tp × (sharded op time), the rest idles.
 */
export interface ShardedPassCost {
  /** The sharded ops of one chip, all layers (the stages summed). */
  compute: GraphCost;
  /** TP collective time over the pass. */
  tp_comm_s: number;
  /** TP collectives in the pass, and per repetition of each block. */
  tp_collectives: number;
  tp_collectives_per_block: Record<string, number>;
  /** Pipeline point-to-point time over the pass. */
  pp_comm_s: number;
  /** Expert-parallel all-to-all time over the pass (0 when ep = 1). */
  ep_comm_s: number;
  /** Exposed context-parallel ring time over the pass (0 when cp = 1). */
  cp_comm_s: number;
  /** compute + TP + PP communication. */
  time_s: number;
  time_by_bound_s: Record<Bound, number>;
  bound: Bound;
  /** Energy of all tp·pp chips of the group over the pass; undefined without power data. */
  energy_j?: number;
  /** The sharded graph (per-chip shapes, all layers), for memory accounting. */
  sharded: WorkloadGraph;
}

/** Power a chip draws while waiting (idle power, or a family fraction of TDP). */
export function waitingPowerW(ctx: CostContext): number {
  if (ctx.chip.power.idle_w !== undefined) return ctx.chip.power.idle_w;
  const frac = ctx.efficiency.static_power_fraction;
  return (ctx.chip.power.tdp_w ?? 0) * (typeof frac === "number" ? frac : 0);
}

/** Expert / context parallelism of a pass: ep replicas share experts; cp splits the sequence (prefill) or the KV cache (decode). */
export interface PassParallelism {
  ep?: number;
  cp?: number;
  /** "prefill": the graph holds input/cp tokens per rank (ring attention); "decode": the KV cache is split. */
  cp_phase?: "prefill" | "decode";
}

/** The blocks of a graph with their ops sharded over `ep` (experts) then `tp`, and the collectives of each block (tp group; `a2a`: ep group). */
export function shardGraphBlocks(graph: WorkloadGraph, tp: number, ep = 1): { blocks: Block[]; comm: CollectiveOp[][]; a2a: CollectiveOp[][] } {
  const blocks: Block[] = [];
  const comm: CollectiveOp[][] = [];
  const a2a: CollectiveOp[][] = [];
  for (const b of graph.blocks) {
    const eps = shardExpertParallel(b.ops, ep);
    a2a.push(eps.comm);
    const sh = shardTensorParallel(eps.ops, tp, false);
    let c = sh.comm;
    if (tp > 1 && b.kind === "embedding" && c.length > 1) {
      // Learned position tables are replicated in Megatron: one all-reduce after the word embedding.
      c = c.slice(0, 1);
    }
    if (tp > 1) {
      const head = b.ops.find((o) => o.kind === "gemm" && o.role === "lm_head");
      if (head && head.kind === "gemm") {
        c = [...c, { name: `${head.name}.all_gather`, kind: "collective", role: "communication", dtype: head.dtype, collective: "all_gather", bytes: head.batch * head.m * head.n * DTYPE_BYTES[head.c_dtype], ranks: tp }];
      }
    }
    blocks.push({ name: b.name, kind: b.kind, repeat: b.repeat, ops: sh.ops });
    comm.push(c);
  }
  return { blocks, comm, a2a };
}

/**
 * Prices one pass. `net` is required when tp·pp > 1; `p2pBytes` is the activation handed from one
 * stage to the next (tokens × hidden × activation bytes).
 */
export function evaluateShardedPass(
  graph: WorkloadGraph,
  ctx: CostContext,
  opts: EvaluateOptions,
  tp: number,
  pp: number,
  net: LayoutNetwork | undefined,
  p2pBytes: number,
  /** Eager execution: collectives wait for the host dispatch like any op (false: priced as kernels alone). */
  collectiveDispatch = true,
  par: PassParallelism = {},
): ShardedPassCost {
  const ep = par.ep ?? 1;
  const cp = par.cp ?? 1;
  const sharded = shardGraphBlocks(graph, tp, ep);
  const dispatch = opts.execution === "eager" && collectiveDispatch ? eagerDispatchS(ctx) : 0;
  const epComm = net && ep > 1 ? expertAllToAllS(sharded.blocks, sharded.a2a, net, dispatch) : 0;
  const { blocks, cpComm } = cp > 1 ? contextParallelBlocks(sharded.blocks, cp, par.cp_phase === "decode", ctx, opts, net, dispatch) : { blocks: sharded.blocks, cpComm: 0 };
  const compute = evaluateBlocks(blocks, ctx, opts);
  const tpc = tensorParallelComm(blocks, sharded.comm, net, dispatch);
  const tpComm = tpc.time_s;
  const ppComm = net && pp > 1 && p2pBytes > 0 ? (pp - 1) * Math.max(net.pp(p2pBytes), dispatch) : 0;
  const time = compute.time_s + tpComm + ppComm + epComm + cpComm;
  const byBound = { ...compute.time_by_bound_s };
  byBound.network += tpComm + ppComm + epComm + cpComm;
  const result: ShardedPassCost = {
    compute,
    tp_comm_s: tpComm,
    tp_collectives: tpc.count,
    tp_collectives_per_block: tpc.perBlock,
    pp_comm_s: ppComm,
    ep_comm_s: epComm,
    cp_comm_s: cpComm,
    time_s: time,
    time_by_bound_s: byBound,
    bound: dominantBound(byBound),
    sharded: { ...graph, blocks },
  };
  if (compute.energy_j !== undefined) {
    // One tp × pp group per cp rank: cp groups work in parallel on their shares.
    const group = tp * pp * cp;
    result.energy_j = tp * cp * compute.energy_j + waitingPowerW(ctx) * Math.max(0, group * time - tp * cp * compute.time_s);
  }
  return result;
}

/** Expert-parallel all-to-alls of every block (token dispatch and combine), × repeats. */
function expertAllToAllS(blocks: readonly Block[], a2a: CollectiveOp[][], net: LayoutNetwork, dispatch: number): number {
  let epComm = 0;
  for (let i = 0; i < blocks.length; i++) for (const c of a2a[i]!) epComm += Math.max(net.ep(c.collective, c.bytes, c.moe), dispatch) * blocks[i]!.repeat;
  return epComm;
}

/**
 * The blocks with attention split over cp ranks, and the exposed cp communication: in decode each
 * rank scans its share of the KV cache and the partial outputs go around the ring; otherwise ring
 * attention, its KV exchange hidden behind the partial attention where it can be.
 */
function contextParallelBlocks(
  blocks: Block[],
  cp: number,
  decode: boolean,
  ctx: CostContext,
  opts: EvaluateOptions,
  net: LayoutNetwork | undefined,
  dispatch: number,
): { blocks: Block[]; cpComm: number } {
  const opOpts = { ...(opts.costModel ? { model: opts.costModel } : {}), ...(opts.execution ? { execution: opts.execution } : {}) };
  let cpComm = 0;
  const out = blocks.map((b) => ({
    ...b,
    ops: b.ops.map((o) => {
      if (o.kind !== "attention") return o;
      if (decode) {
        // Each cp rank scans its share of the KV cache, then the partial outputs go around the ring.
        const part = o.batch * o.seq_q * o.heads * o.head_dim_v * DTYPE_BYTES[o.act_dtype];
        if (net) cpComm += (cp - 1) * Math.max(net.cp(part), dispatch) * b.repeat;
        return { ...o, seq_kv: Math.max(1, Math.ceil(o.seq_kv / cp)) };
      }
      const ring = ringAttentionOp(o, cp);
      if (net) cpComm += ringExposedS(cp, net.cp(ringKvBytes(o)), estimateOp(ring, ctx.chip, ctx.efficiency, opOpts).cost.time_s) * b.repeat;
      return ring;
    }),
  }));
  return { blocks: out, cpComm };
}

/** Tensor-parallel collectives: their time (with a network), their count (× repeats) and their number per block. */
function tensorParallelComm(blocks: readonly Block[], comm: CollectiveOp[][], net: LayoutNetwork | undefined, dispatch: number): { time_s: number; count: number; perBlock: Record<string, number> } {
  let time_s = 0;
  let count = 0;
  const perBlock: Record<string, number> = {};
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const cs = comm[i]!;
    perBlock[b.name] = cs.length;
    count += cs.length * b.repeat;
    if (!net) continue;
    let t = 0;
    for (const c of cs) t += Math.max(net.tp(c.collective, c.bytes), dispatch);
    time_s += t * b.repeat;
  }
  return { time_s, count, perBlock };
}
