import { DTYPE_BYTES } from "../units/dtype.js";
import type { AttentionOp, Conv2dOp, NormOp, Op, WorkloadGraph } from "./op.js";

/**
 * Exact per-op counts derived from op shapes: multiply-accumulates, FLOPs, parameters and the
 * compulsory main-memory traffic. One formula per op kind; nothing here is stored on the op.
 *
 * Conventions (models.md §1): 1 MAC = 2 FLOPs (Kaplan et al. 2020, "Scaling Laws", §2.1: forward
 * ≈ 2N FLOPs per token). Attention FLOPs are the two matrix products QKᵀ and A·V only, counted over
 * the (query, key) pairs actually attended (Dao et al. 2022, FlashAttention, §3.1 counts 4·N²·d for
 * the non-causal case; a causal mask keeps the lower triangle incl. the diagonal, about half). The
 * softmax work is exposed separately by {@link attentionScores} for cost models that price it.
 *
 * "Minimum bytes" is the traffic to main memory if every input is read once, every output written
 * once and every weight read once (Williams et al. 2009, roofline "compulsory traffic"). Fused
 * attention (FlashAttention) reads Q, K, V and writes O; K and V include the cached context (the KV
 * cache at its own dtype). Unfused attention also writes the scores matrix and reads it back.
 */

/** Output size of a convolution or pooling window along one axis (PyTorch floor semantics). */
export function convOutputSize(input: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((input + 2 * padding - kernel) / stride) + 1;
}

/** Σ_{j=1}^{n} min(j, w): keys attended by queries at positions 1..n under a window w. */
function triangular(n: number, w: number): number {
  if (n <= 0) return 0;
  if (n <= w) return (n * (n + 1)) / 2;
  return (w * (w + 1)) / 2 + (n - w) * w;
}

/**
 * (query, key) pairs attended per batch entry and head. The seq_q queries are the last seq_q of
 * seq_kv positions. Causal: the query at position p (1-based) sees keys 1..p, or its last `window`
 * keys under a sliding window: min(p, window). Bidirectional: every query sees every key.
 */
export function attendedPairs(seqQ: number, seqKv: number, causal: boolean, window?: number): number {
  if (!causal) return seqQ * (window !== undefined ? Math.min(window, seqKv) : seqKv);
  const w = window ?? Number.POSITIVE_INFINITY;
  return triangular(seqKv, w) - triangular(seqKv - seqQ, w);
}

/** Distinct key positions read by the seq_q queries (a sliding window skips the oldest ones). */
export function keysTouched(seqQ: number, seqKv: number, causal: boolean, window?: number): number {
  if (window === undefined) return seqKv;
  return Math.min(seqKv, causal ? window + seqQ - 1 : window);
}

/** Score elements of an attention op (batch × heads × attended pairs): what its softmax touches. */
export function attentionScores(op: AttentionOp): number {
  return op.batch * op.heads * attendedPairs(op.seq_q, op.seq_kv, op.causal, op.window);
}

/** Bytes of K and V stored per token for one layer, all KV heads (or the MLA latent when set). */
export function attentionKvBytesPerToken(op: AttentionOp): number {
  return op.kv_bytes_per_token ?? op.kv_heads * (op.head_dim_qk + op.head_dim_v) * DTYPE_BYTES[op.kv_dtype];
}

function convOut(op: Conv2dOp): { ho: number; wo: number } {
  return { ho: convOutputSize(op.h, op.kh, op.stride, op.padding), wo: convOutputSize(op.w, op.kw, op.stride, op.padding) };
}

/** Multiply-accumulates of the matrix work (GEMM, convolution, attention products); 0 for vector ops. */
export function opMacs(op: Op): number {
  switch (op.kind) {
    case "gemm":
      return op.batch * op.m * op.n * op.k;
    case "conv2d": {
      const { ho, wo } = convOut(op);
      // Cout · (Cin / groups) · kh · kw · Hout · Wout per image (models.md §10.11).
      return op.n * ho * wo * op.c_out * (op.c_in / op.groups) * op.kh * op.kw;
    }
    case "attention":
      // QKᵀ: d_qk per pair; A·V: d_v per pair.
      return attentionScores(op) * (op.head_dim_qk + op.head_dim_v);
    default:
      return 0;
  }
}

/** Per-element operation counts of vector ops (exp, rsqrt and divide count as one each). */
const NORM_FLOPS_PER_ELEMENT: Readonly<Record<NormOp["norm"], number>> = {
  // mean (1), subtract (1), square-accumulate (2), normalise (1), scale (1), shift (1)
  layernorm: 7,
  groupnorm: 7,
  // square-accumulate (2), multiply by rsqrt (1), scale (1)
  rmsnorm: 4,
  // inference BatchNorm folds to one scale and one shift per element
  batchnorm: 2,
};
/** max (1), subtract (1), exp (1), sum (1), multiply by the reciprocal (1). */
const SOFTMAX_FLOPS_PER_ELEMENT = 5;

/** FLOPs of one execution of the op (MAC = 2 FLOPs; bias adds and vector work counted per element). */
export function opFlops(op: Op): number {
  switch (op.kind) {
    case "gemm":
      return 2 * opMacs(op) + (op.bias ? op.batch * op.m * op.n : 0);
    case "conv2d": {
      const { ho, wo } = convOut(op);
      return 2 * opMacs(op) + (op.bias ? op.n * ho * wo * op.c_out : 0);
    }
    case "attention":
      return 2 * opMacs(op);
    case "softmax":
      return SOFTMAX_FLOPS_PER_ELEMENT * op.rows * op.cols;
    case "norm":
      return NORM_FLOPS_PER_ELEMENT[op.norm] * op.rows * op.cols;
    case "elementwise":
      return op.flops_per_element * op.elements;
    case "embedding":
      return 0;
    case "pool": {
      if (op.pool === "global_avg") return op.n * op.c * op.h * op.w;
      const ho = convOutputSize(op.h, op.kh, op.stride, op.padding);
      const wo = convOutputSize(op.w, op.kw, op.stride, op.padding);
      return op.n * op.c * ho * wo * op.kh * op.kw;
    }
    case "collective":
      // Reductions inside a collective run on the network path; priced by the interconnect model.
      return 0;
  }
}

/** Parameters held by the op (weights and biases; 0 for a weight counted at another op). */
export function opParams(op: Op): number {
  switch (op.kind) {
    case "gemm":
      if (!op.b_is_weight || op.weight_shared_with) return 0;
      return op.batch * (op.k * op.n + (op.bias ? op.n : 0));
    case "conv2d":
      return op.c_out * (op.c_in / op.groups) * op.kh * op.kw + (op.bias ? op.c_out : 0);
    case "norm":
      return op.params;
    case "elementwise":
      return op.params ?? 0;
    case "embedding":
      return op.params;
    default:
      return 0;
  }
}

/** Bytes of parameters the op reads from memory (a tied LM head reads its shared table too). */
export function opWeightBytes(op: Op): number {
  switch (op.kind) {
    case "gemm":
      return op.b_is_weight ? op.batch * (op.k * op.n + (op.bias ? op.n : 0)) * DTYPE_BYTES[op.b_dtype] : 0;
    case "conv2d":
      return opParams(op) * DTYPE_BYTES[op.weight_dtype];
    case "norm":
      return op.params * DTYPE_BYTES[op.act_dtype];
    case "elementwise":
      return (op.params ?? 0) * DTYPE_BYTES[op.act_dtype];
    case "embedding":
      // Only the gathered rows are read (at most the whole table).
      return Math.min(op.tokens, op.vocab) * op.dim * DTYPE_BYTES[op.weight_dtype];
    default:
      return 0;
  }
}

/** Token ids are int32. */
const TOKEN_ID_BYTES = 4;

/** Compulsory main-memory bytes (read + written) of one execution of the op. */
export function opMinBytes(op: Op): number {
  switch (op.kind) {
    case "gemm": {
      const a = op.batch * op.m * op.k * DTYPE_BYTES[op.a_dtype];
      const b = op.b_is_weight ? opWeightBytes(op) : op.batch * op.k * op.n * DTYPE_BYTES[op.b_dtype];
      const c = op.batch * op.m * op.n * DTYPE_BYTES[op.c_dtype];
      return a + b + c;
    }
    case "conv2d": {
      const { ho, wo } = convOut(op);
      const act = DTYPE_BYTES[op.act_dtype];
      return op.n * op.h * op.w * op.c_in * act + opWeightBytes(op) + op.n * ho * wo * op.c_out * act;
    }
    case "attention": {
      const act = DTYPE_BYTES[op.act_dtype];
      const q = op.batch * op.heads * op.seq_q * op.head_dim_qk * act;
      const kv = op.batch * keysTouched(op.seq_q, op.seq_kv, op.causal, op.window) * attentionKvBytesPerToken(op);
      const o = op.batch * op.heads * op.seq_q * op.head_dim_v * act;
      // Unfused: the dense seq_q × seq_kv score matrix (eager kernels materialise it whole, masked)
      // is written by QKᵀ and read back by A·V, with the softmax fused into one of the two.
      const scores = op.fused ? 0 : 2 * op.batch * op.heads * op.seq_q * op.seq_kv * act;
      return q + kv + o + scores;
    }
    case "softmax":
      return 2 * op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
    case "norm":
      return 2 * op.rows * op.cols * DTYPE_BYTES[op.act_dtype] + opWeightBytes(op);
    case "elementwise":
      return op.elements * (op.inputs * DTYPE_BYTES[op.input_dtype ?? op.act_dtype] + DTYPE_BYTES[op.act_dtype]) + opWeightBytes(op);
    case "embedding":
      return op.tokens * TOKEN_ID_BYTES + opWeightBytes(op) + op.tokens * op.dim * DTYPE_BYTES[op.act_dtype];
    case "pool": {
      const act = DTYPE_BYTES[op.act_dtype];
      if (op.pool === "global_avg") return op.n * op.c * (op.h * op.w + 1) * act;
      const ho = convOutputSize(op.h, op.kh, op.stride, op.padding);
      const wo = convOutputSize(op.w, op.kw, op.stride, op.padding);
      return op.n * op.c * (op.h * op.w + ho * wo) * act;
    }
    case "collective":
      // The send buffer is read and the receive buffer written once.
      return 2 * op.bytes;
  }
}

export interface GraphTotals {
  flops: number;
  macs: number;
  /** Σ opParams × repeat: parameters touched by this pass (all of them for a dense model). */
  params: number;
  min_bytes: number;
  weight_bytes: number;
  ops: number;
}

/** Sums the per-op metrics over blocks × repeat. */
export function graphTotals(graph: WorkloadGraph): GraphTotals {
  const t: GraphTotals = { flops: 0, macs: 0, params: 0, min_bytes: 0, weight_bytes: 0, ops: 0 };
  for (const block of graph.blocks) {
    const r = block.repeat;
    for (const op of block.ops) {
      t.flops += r * opFlops(op);
      t.macs += r * opMacs(op);
      t.params += r * opParams(op);
      t.min_bytes += r * opMinBytes(op);
      t.weight_bytes += r * opWeightBytes(op);
      t.ops += r;
    }
  }
  return t;
}
