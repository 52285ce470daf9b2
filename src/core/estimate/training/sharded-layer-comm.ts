/**
 * ZeRO-3 / FSDP FULL_SHARD communication, layer by layer (Rajbhandari et al. 2020, arXiv 1910.02054
 * §5.3 and §7.2.3; Zhao et al. 2023, PyTorch FSDP, arXiv 2304.11277 §3.3-3.4). Each rank holds a
 * 1/n shard of every layer's parameters. A layer (an FSDP unit: one transformer block) is
 * all-gathered before its forward and again before its backward — its recomputation under full
 * activation recompute runs right before its backward and uses the same gathered copy (FSDP), or
 * gathers once more (`zero_recompute_regather`: DeepSpeed's hooks free the weights after every
 * forward, the recomputed one included) — and its gradients are reduce-scattered after its backward.
 *
 * The collectives run on one communication stream (NCCL serialises them), the layers' compute on the
 * compute stream. With prefetching (FSDP forward_prefetch / backward_prefetch = BACKWARD_PRE,
 * DeepSpeed stage3_prefetch_bucket_size; `prefetch` ≥ 1 layers ahead) the next layer's gather is
 * issued when the current layer starts, so it can hide only behind the compute of the layers in
 * flight; with `prefetch` = 0 each gather waits for the layer that needs it. For L identical layers
 * with per-layer compute c and per-layer stream time w (the gather; gather + reduce-scatter in the
 * backward), a pass takes (closed forms, no loop over layers):
 *
 *   prefetch ≥ 1:  g + (L − 1)·max(w, c) + c [+ r: the last reduce-scatter]   (a two-stage pipeline)
 *   prefetch = 0:  L·(g + c) forward,  L·(g + c + r) backward                   (serialised)
 *
 * The first gather of a pass is never hidden. For identical layers, prefetching deeper than one layer
 * cannot beat the serial stream's max(w, c) (it only buys slack for uneven layers), so depth ≥ 1
 * prices alike; depth costs memory (prefetch + 1 gathered layers held at once).
 *
 * Each collective is priced by the system's collective model on the data-parallel group's placement
 * (a group spanning nodes crosses the scale-out NICs), split into ceil(bytes / bucket) collectives
 * when a bucket is smaller than a layer, each with its own latency (many small collectives).
 * Narayanan et al. 2021 (arXiv 2104.04473 §5.2, Table 2, Fig. 10): ZeRO-3 without model parallelism
 * on GPT-3 175B falls from 144 to 44 TFLOP/s per A100 as the GPUs go 384 → 1536 at a fixed batch —
 * the gathers stop hiding once a GPU's micro-batch is small.
 */

/** One pass (forward or backward) of a micro-batch over the stage's layers. */
export interface ShardedPass {
  /** Layers (FSDP units) on the stage. */
  layers: number;
  /** Compute-stream time of one layer, s. */
  compute_s: number;
  /** One layer's parameter all-gather, s. */
  gather_s: number;
  /** One layer's gradient reduce-scatter, s (0 in the forward). */
  reduce_scatter_s: number;
}

export interface ShardedPassTime {
  /** Wall time of the pass, s. */
  time_s: number;
  /** Communication not hidden behind compute: time_s − L·compute_s. */
  exposed_s: number;
  /** Communication that ran while compute did (the source of interference). */
  hidden_s: number;
}

export function shardedPassTime(p: ShardedPass, prefetch: number): ShardedPassTime {
  const L = p.layers;
  const c = p.compute_s;
  const g = p.gather_s;
  const r = p.reduce_scatter_s;
  const compute = L * c;
  const comm = L * (g + r);
  if (L <= 0) return { time_s: 0, exposed_s: 0, hidden_s: 0 };
  const time = prefetch >= 1 ? g + (L - 1) * Math.max(g + r, c) + c + r : L * (g + c + r);
  const exposed = Math.max(0, time - compute);
  return { time_s: time, exposed_s: exposed, hidden_s: Math.max(0, comm - exposed) };
}

/** A collective of `bytes` in buckets of at most `bucket` bytes: ceil(bytes / bucket) calls, each paying its latency. */
export function bucketed(collective: (bytes: number) => number, bytes: number, bucket: number | undefined): number {
  if (bytes <= 0) return 0;
  const n = bucket && bucket > 0 ? Math.ceil(bytes / bucket) : 1;
  return n * collective(bytes / n);
}

/** Stage compute of one micro-batch, per pass, as the compute stream sees it. */
export interface StageCompute {
  fwd: number;
  /** Backward with its recomputation. */
  bwd: number;
}

export interface ShardedStep {
  exposed_s: number;
  hidden_s: number;
  /** The gathers and reduce-scatters of the step, hidden or not. */
  total_s: number;
}

/** One layer's collectives: its gather and reduce-scatter, and how many gathers its backward makes. */
export interface LayerCollectives {
  gather_s: number;
  reduce_scatter_s: number;
  /**
   * Gathers before a layer's backward: 1, or 2 under full recompute when the stack frees the weights
   * after the recomputed forward and gathers them again for the backward (DeepSpeed ZeRO-3's
   * module hooks; formulas.md §5.2: "the forward all-gather is repeated once more").
   */
  backward_gathers: number;
}

/**
 * The ZeRO-3 communication of a step: m micro-batches, each a forward and a backward pass over the
 * stage's layers. Every micro-batch gathers the parameters (forward, backward) and reduce-scatters its
 * gradients (FSDP and DeepSpeed stage 3 cannot accumulate unsharded gradients). The last
 * reduce-scatter of a micro-batch's backward hides behind the next micro-batch's forward except for the
 * step's last one. A backward with two gathers a layer streams both before the layer's compute (its
 * first gather is the pass's fill — slightly pessimistic: the second could start under the recompute).
 */
export function shardedStep(layers: number, stage: StageCompute, perLayer: LayerCollectives, m: number, prefetch: number): ShardedStep {
  const L = Math.max(1, layers);
  const bwdGathers = perLayer.backward_gathers * perLayer.gather_s;
  const fwd = shardedPassTime({ layers: L, compute_s: stage.fwd / L, gather_s: perLayer.gather_s, reduce_scatter_s: 0 }, prefetch);
  const bwd = shardedPassTime({ layers: L, compute_s: stage.bwd / L, gather_s: bwdGathers, reduce_scatter_s: perLayer.reduce_scatter_s }, prefetch);
  // With prefetching the tail reduce-scatter of all but the last micro-batch overlaps the next forward.
  const tailHidden = prefetch >= 1 ? (m - 1) * Math.min(perLayer.reduce_scatter_s, bwd.exposed_s) : 0;
  const total = m * L * (perLayer.gather_s + bwdGathers + perLayer.reduce_scatter_s);
  return { exposed_s: m * (fwd.exposed_s + bwd.exposed_s) - tailHidden, hidden_s: m * (fwd.hidden_s + bwd.hidden_s) + tailHidden, total_s: total };
}
