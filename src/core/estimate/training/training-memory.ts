import type { RankParams } from "./data-parallel-comm.js";
import type { Sum } from "./stage-sums.js";
import type { Recompute } from "./training-types.js";

/**
 * Memory per chip of the most loaded rank: weights (weight dtype) + fp32 main gradients + Adam
 * 12 B/param (Megatron's 18 B/param accounting: theoretical_memory_usage.py; ZeRO stage ≥ 3, 2, 1
 * divides weights, gradients, optimizer state over the data-parallel ranks), plus the activations
 * the first stage keeps in flight: 1F1B holds min(m, pp) micro-batches, × 1 + (pp − 1)/(pp·v) with
 * interleaving (Korthikanti et al. 2022, arXiv 2205.05198 §4).
 */
export interface TrainingMemory {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  other: number;
  total: number;
}

export interface MemoryLayout {
  zero: number;
  /** Ranks dense / routed-expert parameters are sharded over by ZeRO. */
  grad_ranks: number;
  expert_grad_ranks: number;
  pp: number;
  v: number;
  /** Micro-batches per step. */
  m: number;
  recompute: Recompute;
  /** ZeRO-3: layers whose full (gathered) weights are held at once — the one computing and the ones prefetched (FSDP's unsharded units). */
  gathered_layers?: number;
  /** Layers on the stage (the size of one gathered layer). */
  layers?: number;
}

export function trainingMemory(p: RankParams, weightBytes: number, l: MemoryLayout, firstStage: Sum, runtimeOverheadBytes: number): TrainingMemory {
  const zeroDiv = (stage: number) => (l.zero >= stage ? l.grad_ranks : 1);
  const zeroDivExpert = (stage: number) => (l.zero >= stage ? l.expert_grad_ranks : 1);
  const perParam = (bytes: number, stage: number) => (p.dense * bytes) / zeroDiv(stage) + (p.expert * bytes) / zeroDivExpert(stage);
  // ZeRO-3 holds the gathered weights of the layers in flight besides its shard (Zhao et al. 2023 §3.2).
  const gathered = l.zero >= 3 && l.gathered_layers && l.layers ? (Math.min(l.gathered_layers, l.layers) * p.rank * weightBytes) / l.layers : 0;
  const weights = perParam(weightBytes, 3) + gathered;
  const gradients = perParam(4, 2);
  const optimizer = perParam(12, 1);
  const activations = activationBytes(firstStage, l);
  const other = runtimeOverheadBytes;
  return { weights, gradients, optimizer, activations, other, total: weights + gradients + optimizer + activations + other };
}

/** Saved activations of the first stage's in-flight micro-batches under the recomputation policy. */
function activationBytes(stage: Sum, l: MemoryLayout): number {
  const inFlight = Math.min(l.m, l.pp);
  const penalty = l.v > 1 ? 1 + (l.pp - 1) / (l.pp * l.v) : 1;
  // Full recomputation keeps each layer's input and rebuilds one block at a time.
  if (l.recompute === "full") return (stage.actInput * inFlight + stage.largest) * (l.pp > 1 ? penalty : 1);
  if (l.recompute === "selective") return (stage.act - stage.actSel) * inFlight * penalty;
  return stage.act * inFlight * penalty;
}

/** Parameters whose optimizer state this rank updates: its ZeRO shard (stage ≥ 1), else all of them. */
export function optimizerShardParams(p: RankParams, l: Pick<MemoryLayout, "zero" | "grad_ranks" | "expert_grad_ranks">): number {
  return l.zero >= 1 ? p.dense / l.grad_ranks + p.expert / l.expert_grad_ranks : p.rank;
}
