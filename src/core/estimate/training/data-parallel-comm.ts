import type { LayoutNetwork } from "../../parallel/network-context.js";
import type { CollectiveKind } from "../../workload/op.js";
import { bucketed, shardedStep } from "./sharded-layer-comm.js";
import type { Sum } from "./stage-sums.js";

/**
 * Data-parallel communication of the most loaded rank (formulas.md §5.2, §10), over the dp·cp ranks
 * that hold the same weights (dense) and the dp·cp/ep ranks that hold the same routed experts:
 * - ZeRO-0 (DDP): an all-reduce of the gradients in buckets, overlapped with the last backward;
 * - ZeRO-1/2: a reduce-scatter of the gradients behind the backward (ZeRO-2: every micro-batch) and
 *   an all-gather of the updated parameters after the step (hidden behind the next forward only when
 *   the stack overlaps it);
 * - ZeRO-3 / FSDP: per layer, a gather before its forward and its backward and a reduce-scatter after
 *   its backward, hidden only behind the compute of the layers in flight (sharded-layer-comm.ts).
 * Collectives are priced on the group's placement by the system's collective model (LayoutNetwork).
 */

/** Parameters of the most loaded rank, dense and routed-expert. */
export interface RankParams {
  rank: number;
  dense: number;
  expert: number;
}

/**
 * The larger of the first and last stage's parameters; the last stage holds a copy of tied
 * embeddings under pipeline parallelism (`tiedCopy`, already ÷ tp).
 */
export function rankParameters(first: Sum, last: Sum, tiedCopy: number, ep: number): RankParams {
  const lastRank = last.params + tiedCopy;
  const rank = Math.max(first.params, lastRank);
  // Routed-expert parameters are reduced (and ZeRO-sharded) over the dp·cp/ep ranks holding the same experts.
  const expert = ep > 1 ? (lastRank > first.params ? last : first).expertParams : 0;
  return { rank, dense: rank - expert, expert };
}

export interface DataParallelLayout {
  dp: number;
  cp: number;
  ep: number;
  zero: number;
  /** Micro-batches per step (ZeRO-2 reduce-scatters and ZeRO-3 gathers for each). */
  m: number;
  /** Overlap the reduction with the backward (default true). */
  overlap: boolean;
  /** Gradient bucket size, bytes (default 25 MB, PyTorch DDP's bucket_cap_mb). */
  bucket_bytes: number | undefined;
  /** Layers (ZeRO-3 / FSDP units) on the most loaded stage. */
  layers: number;
  /** ZeRO-3: layers whose gathers are issued ahead of the compute (default 1). */
  prefetch: number;
  /** ZeRO-3: gathers before a layer's backward (2 when full recompute regathers, else 1). */
  backward_gathers: number;
  /** ZeRO-1/2: the post-step parameter all-gather overlaps the next forward (default: as `overlap`). */
  overlap_param_gather: boolean;
}

export interface DataParallelComm {
  /** Ranks the dense gradients are reduced over (dp·cp). */
  grad_ranks: number;
  /** Ranks the routed-expert gradients are reduced over (dp·cp/ep). */
  expert_grad_ranks: number;
  /** The whole reduction, hidden or not (ZeRO-3: all gathers and reduce-scatters of the step). */
  reduce_s: number;
  /** Not hidden behind compute. */
  exposed_s: number;
  /** Compute lost to the communication that is hidden (interference). */
  overlap_slowdown_s: number;
}

const DEFAULT_BUCKET_BYTES = 25e6;

/** The data-parallel collectives of one rank's parameters: dense over dp·cp, routed experts over dp·cp/ep. */
interface GradGroups {
  /** A collective over the rank's dense and expert parameters (a fraction `share` of them). */
  both(op: CollectiveKind, share: number): number;
  dense(op: CollectiveKind, bytes: number): number;
  denseBytes: number;
}

function gradGroups(net: LayoutNetwork, p: RankParams, weightBytes: number, l: DataParallelLayout): GradGroups {
  const edp = (l.dp * l.cp) / l.ep;
  const denseBytes = p.dense * weightBytes;
  const expertBytes = p.expert > 0 && edp > 1 ? p.expert * weightBytes : 0;
  return {
    both: (op, share) => net.dp(op, denseBytes * share) + (expertBytes > 0 ? net.edp(op, expertBytes * share) : 0),
    dense: (op, bytes) => net.dp(op, bytes),
    denseBytes,
  };
}

export function dataParallelComm(net: LayoutNetwork | undefined, p: RankParams, weightBytes: number, l: DataParallelLayout, slow: Sum): DataParallelComm {
  const grad = l.dp * l.cp;
  const ranks = { grad_ranks: grad, expert_grad_ranks: grad / l.ep };
  if (!net || grad <= 1) return { ...ranks, reduce_s: 0, exposed_s: 0, overlap_slowdown_s: 0 };
  const groups = gradGroups(net, p, weightBytes, l);
  const c = l.zero >= 3 ? shardedComm(groups, l, slow) : l.zero >= 1 ? partitionedComm(groups, l, slow) : replicatedComm(groups, l, slow);
  return { ...ranks, reduce_s: c.total_s, exposed_s: c.exposed_s, overlap_slowdown_s: c.hidden_s * net.dp_interference };
}

interface Comm {
  total_s: number;
  exposed_s: number;
  hidden_s: number;
}

/**
 * A reduction in buckets as the backward produces the gradients, overlapped with it: the last bucket
 * can only start when the backward ends, so at least its reduction is exposed (PyTorch DDP
 * bucket_cap_mb = 25; formulas.md §5.2).
 */
function overlappedWithBackward(whole: number, lastBucket: number, backward: number, overlap: boolean): Comm {
  const exposed = overlap ? Math.min(whole, Math.max(whole - backward, lastBucket)) : whole;
  return { total_s: whole, exposed_s: exposed, hidden_s: whole - exposed };
}

/** ZeRO-0 (DDP): one all-reduce of the accumulated gradients, overlapped with the last backward. */
function replicatedComm(g: GradGroups, l: DataParallelLayout, slow: Sum): Comm {
  const share = bucketShare(g, l);
  return overlappedWithBackward(g.both("all_reduce", 1), g.both("all_reduce", share), slow.bwd, l.overlap);
}

/**
 * ZeRO-1/2 (Rajbhandari et al. 2020 §5.1-5.2; Megatron's distributed optimizer): the gradients are
 * reduce-scattered in buckets behind the backward — ZeRO-1 once per step after accumulating, ZeRO-2
 * every micro-batch (it keeps only its shard of the gradients; DeepSpeed reduces each micro-step) —
 * and the updated parameters all-gathered after the optimizer step: exposed, unless the stack
 * overlaps that gather with the next step's first forward (Megatron --overlap-param-gather), where
 * its first bucket still waits.
 */
function partitionedComm(g: GradGroups, l: DataParallelLayout, slow: Sum): Comm {
  const share = bucketShare(g, l);
  const reductions = l.zero >= 2 ? l.m : 1;
  const rs = overlappedWithBackward(g.both("reduce_scatter", 1), g.both("reduce_scatter", share), slow.bwd, l.overlap);
  const ag = overlappedWithBackward(g.both("all_gather", 1), g.both("all_gather", share), slow.fwd, l.overlap_param_gather);
  return { total_s: reductions * rs.total_s + ag.total_s, exposed_s: reductions * rs.exposed_s + ag.exposed_s, hidden_s: reductions * rs.hidden_s + ag.hidden_s };
}

/** The fraction of the rank's gradients in one bucket (the whole when the bucket is larger). */
function bucketShare(g: GradGroups, l: DataParallelLayout): number {
  return g.denseBytes > 0 ? Math.min(1, (l.bucket_bytes ?? DEFAULT_BUCKET_BYTES) / g.denseBytes) : 1;
}

/**
 * ZeRO-3 / FSDP, layer by layer (sharded-layer-comm.ts): each layer's gather before its forward and
 * its backward, its reduce-scatter after its backward, prefetched `prefetch` layers ahead when the
 * stack overlaps (else serialised), a layer's collective split into buckets of `bucket_bytes` when
 * one is given smaller than a layer.
 */
function shardedComm(g: GradGroups, l: DataParallelLayout, slow: Sum): Comm {
  const layers = Math.max(1, l.layers);
  const share = 1 / layers;
  const denseLayer = g.denseBytes * share;
  // The dense part in buckets (each its own collective); the routed-expert part over its own group.
  const perLayer = (op: CollectiveKind) => bucketed((b) => g.dense(op, b), denseLayer, l.bucket_bytes) + g.both(op, share) - g.dense(op, denseLayer);
  const stage = { fwd: slow.fwd + shareOf(slow, slow.fwd), bwd: slow.bwd + slow.rec + shareOf(slow, slow.bwd + slow.rec) };
  const s = shardedStep(layers, stage, { gather_s: perLayer("all_gather"), reduce_scatter_s: perLayer("reduce_scatter"), backward_gathers: l.backward_gathers }, l.m, l.overlap ? l.prefetch : 0);
  return { total_s: s.total_s, exposed_s: s.exposed_s, hidden_s: s.hidden_s };
}

/** The tensor/expert/context-parallel communication on the compute stream during a pass (its share of the micro-batch's compute). */
function shareOf(slow: Sum, pass: number): number {
  const compute = slow.fwd + slow.bwd + slow.rec;
  return compute > 0 ? ((slow.tp + slow.ep + slow.cp) * pass) / compute : 0;
}
