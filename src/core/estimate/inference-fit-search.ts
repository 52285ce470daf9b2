import { shardTensorParallel } from "../parallel/tensor-parallel.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload, kvCacheBytes, type WorkloadShape } from "../workload/build-workload.js";
import type { WorkloadGraph } from "../workload/op.js";
import type { Precision } from "../workload/precision.js";
import { inferenceActivationPeakBytes } from "./activation-memory.js";
import type { InferenceLayout } from "./inference-layout.js";

/**
 * How far a layout stretches: the largest batch that fits at this input + output length, and the
 * longest sequence that fits at this batch (capped at the model's maximum context). Memory at a
 * candidate = the fixed part (weights, runtime, a draft model) + its KV cache + its peak activations.
 */
export interface FitSearchSetup {
  model: ModelSpec;
  precision: Precision;
  layout: InferenceLayout;
  /** Bytes that do not grow with batch or context. */
  fixedBytes: number;
  /** Fraction of the KV cache on one chip. */
  kvShare: number;
  capacityBytes: number;
  tokenModel: boolean;
  inputTokens: number;
  outputTokens: number;
  prefillShape(batch: number, input: number): WorkloadShape;
}

/** The graph with its blocks' ops sharded over tp (shapes only, for memory). */
function shardShapes(graph: WorkloadGraph, tp: number): WorkloadGraph {
  return { ...graph, blocks: graph.blocks.map((b) => ({ ...b, ops: shardTensorParallel(b.ops, tp, false).ops })) };
}

/** The largest x ≥ lo with ok(x) (lo − 1 when none), by doubling from hi then bisecting; ok must be monotone. */
function largest(lo: number, hi: number, ok: (x: number) => boolean): number {
  if (!ok(lo)) return lo - 1;
  while (ok(hi) && hi < 2 ** 24) {
    lo = hi;
    hi *= 2;
  }
  if (ok(hi)) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Memory per chip at `batch` sequences of `total` tokens with `input` prompt tokens. */
function memoryAt(s: FitSearchSetup): (batch: number, total: number, input: number) => number {
  const { model, precision, layout } = s;
  return (batch, total, input) => {
    const g = buildWorkload(model, s.prefillShape(batch, input), precision);
    const act = layout.modelParallel > 1 ? inferenceActivationPeakBytes(shardShapes(g, layout.tp)) : inferenceActivationPeakBytes(g);
    return s.fixedBytes + (s.tokenModel ? kvCacheBytes(model, total, precision.kv_cache, batch) * s.kvShare : 0) + act;
  };
}

/** Largest total batch (all replicas) that fits at this input + output length. */
export function maxBatchThatFits(s: FitSearchSetup): number {
  const memAt = memoryAt(s);
  const total = s.inputTokens + (s.tokenModel ? s.outputTokens : 0);
  const b = s.layout.batchPerReplica;
  return Math.max(0, largest(1, Math.max(2, b * 2), (x) => memAt(x, total, s.inputTokens) <= s.capacityBytes)) * s.layout.replicas;
}

/** Longest sequence (prompt + output) that fits at this batch; 0 when not even one prompt token does. */
export function maxContextThatFits(s: FitSearchSetup): number {
  const memAt = memoryAt(s);
  const outLen = s.tokenModel ? s.outputTokens : 0;
  const model = s.model;
  const b = s.layout.batchPerReplica;
  const fits = (total: number) => memAt(b, total, Math.max(1, total - outLen)) <= s.capacityBytes;
  const maxCtx = model.category === "decoder-llm" || model.category === "encoder" ? model.max_context : s.inputTokens + outLen;
  if (fits(maxCtx)) return maxCtx;
  let lo = outLen + 1;
  let hi = maxCtx;
  if (memAt(b, lo, 1) > s.capacityBytes) return 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
