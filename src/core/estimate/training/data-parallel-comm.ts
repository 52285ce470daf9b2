import type { LayoutNetwork } from "../../parallel/network-context.js";
import type { CollectiveKind } from "../../workload/op.js";
import type { Sum } from "./stage-sums.js";

/**
 * Data-parallel gradient reduction of the most loaded rank (formulas.md §10): an all-reduce (ZeRO:
 * reduce-scatter + all-gather) of the dense gradients over the dp·cp ranks that hold the same weights,
 * and of the routed-expert gradients over the dp·cp/ep ranks that hold the same experts. Reduced in
 * buckets as the backward produces them and overlapped with it; ZeRO-3 adds the weight all-gathers
 * before every micro-batch's forward and backward.
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
  /** Micro-batches per step (ZeRO-3 gathers the weights for each). */
  m: number;
  /** Overlap the reduction with the backward (default true). */
  overlap: boolean;
  /** Gradient bucket size, bytes (default 25 MB, PyTorch DDP's bucket_cap_mb). */
  bucket_bytes: number | undefined;
}

export interface DataParallelComm {
  /** Ranks the dense gradients are reduced over (dp·cp). */
  grad_ranks: number;
  /** Ranks the routed-expert gradients are reduced over (dp·cp/ep). */
  expert_grad_ranks: number;
  /** The whole reduction, hidden or not. */
  reduce_s: number;
  /** Not hidden behind compute. */
  exposed_s: number;
  /** Compute lost to the communication that is hidden (interference). */
  overlap_slowdown_s: number;
}

const DEFAULT_BUCKET_BYTES = 25e6;

export function dataParallelComm(net: LayoutNetwork | undefined, p: RankParams, weightBytes: number, l: DataParallelLayout, slow: Sum): DataParallelComm {
  const grad = l.dp * l.cp;
  const edp = grad / l.ep;
  const gradBytes = p.dense * weightBytes;
  const expertGradBytes = p.expert * weightBytes;
  const reduce = (group: (op: CollectiveKind, bytes: number) => number, bytes: number) => (l.zero >= 1 ? group("reduce_scatter", bytes) + group("all_gather", bytes) : group("all_reduce", bytes));
  const dpTime = net && grad > 1 ? reduce(net.dp, gradBytes) + (p.expert > 0 && edp > 1 ? reduce(net.edp, expertGradBytes) : 0) : 0;
  // Gradients are reduced in buckets as the backward produces them; the last bucket can only start
  // when the backward ends, so at least its reduction is exposed (PyTorch DDP bucket_cap_mb = 25).
  const bucketBytes = Math.min(gradBytes, l.bucket_bytes ?? DEFAULT_BUCKET_BYTES);
  const lastBucket = net && grad > 1 && bucketBytes > 0 ? reduce(net.dp, bucketBytes) : 0;
  let exposed = l.overlap ? Math.min(dpTime, Math.max(dpTime - slow.bwd, lastBucket)) : dpTime;
  // Overlap is not free: while the reduction runs under the last backward its kernels take SMs and
  // memory bandwidth from the compute (Calculon's processor_usage; formulas.md §10).
  let slowdown = l.overlap && net ? (dpTime - exposed) * net.dp_interference : 0;
  if (net && grad > 1 && l.zero >= 3) {
    const gather = net.dp("all_gather", gradBytes) + (p.expert > 0 && edp > 1 ? net.edp("all_gather", expertGradBytes) : 0);
    const z3 = zero3Gathers(gather, l, slow, net.dp_interference);
    exposed += z3.exposed_s;
    if (l.overlap) slowdown += z3.overlap_slowdown_s;
  }
  return { grad_ranks: grad, expert_grad_ranks: edp, reduce_s: dpTime, exposed_s: exposed, overlap_slowdown_s: slowdown };
}

/**
 * ZeRO-3 keeps only a 1/dp shard of the weights: every micro-batch gathers them before its forward
 * and again before its backward (Rajbhandari et al. 2020, arXiv 1910.02054 §7.2.3: 1.5× the
 * all-reduce volume per step without accumulation), prefetched behind that pass's compute when overlapped.
 */
function zero3Gathers(gather: number, l: DataParallelLayout, slow: Sum, interference: number): { exposed_s: number; overlap_slowdown_s: number } {
  return {
    exposed_s: l.m * (l.overlap ? Math.max(0, gather - slow.fwd) + Math.max(0, gather - slow.bwd) : 2 * gather),
    overlap_slowdown_s: l.overlap ? l.m * (Math.min(gather, slow.fwd) + Math.min(gather, slow.bwd)) * interference : 0,
  };
}
