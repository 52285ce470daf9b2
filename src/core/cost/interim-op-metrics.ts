import { DTYPE_BYTES } from "../units/dtype.js";
import type { AttentionOp, Conv2dOp, Op, PoolOp } from "../workload/op.js";

/**
 * INTERIM: FLOP and compulsory-byte counts as the cost models use them, until
 * src/core/workload/op-metrics.ts (opFlops / opMinBytes, owned by the workload helper) lands.
 * Conventions: a multiply-accumulate is 2 FLOPs; attention FLOPs are the two matrix products only
 * (QKᵀ and PV, causal/window pairs counted exactly); softmax/normalisation work is vector work
 * priced separately. Compulsory bytes: every input read once and every output written once.
 */

/** Output height/width of a conv or pool window (floor convention of PyTorch). */
export function windowOut(size: number, kernel: number, stride: number, padding: number): number {
  return Math.max(0, Math.floor((size + 2 * padding - kernel) / stride) + 1);
}

export function convOut(op: Conv2dOp | PoolOp): { ho: number; wo: number } {
  if (op.kind === "pool" && op.pool === "global_avg") return { ho: 1, wo: 1 };
  return { ho: windowOut(op.h, op.kh, op.stride, op.padding), wo: windowOut(op.w, op.kw, op.stride, op.padding) };
}

/**
 * Query-key pairs one head of one sequence computes: queries are the last `seq_q` positions of the
 * `seq_kv` keys (prefill: seq_q = seq_kv; decode: seq_q = 1). Causal: query i (0-based within
 * seq_q) sees keys up to position seq_kv − seq_q + i; a window keeps only the last `window` of them.
 * Closed form (no loop over rows).
 */
export function attentionPairs(op: Pick<AttentionOp, "seq_q" | "seq_kv" | "causal" | "window">): number {
  const q = op.seq_q;
  const kv = op.seq_kv;
  const w = op.window !== undefined && op.window > 0 ? op.window : Infinity;
  if (!op.causal) return q * Math.min(kv, w);
  // Visible keys for query i: v(i) = min(kv - q + i + 1, w), i = 0..q-1, with kv - q + i + 1 >= 1.
  const off = kv - q; // keys before the first query
  // Rows where v grows (v = off + i + 1 < w): i < w - off - 1.
  const growRows = Math.max(0, Math.min(q, Number.isFinite(w) ? Math.ceil(w - off - 1) : q));
  // sum_{i=0}^{growRows-1} (off + i + 1)
  const grow = growRows * (off + 1) + (growRows * (growRows - 1)) / 2;
  const capped = (q - growRows) * (Number.isFinite(w) ? w : 0);
  return grow + capped;
}

/** Bytes of K and V (or the MLA latent) read per cached token for all heads of the layer. */
export function kvBytesPerToken(op: AttentionOp): number {
  return op.kv_bytes_per_token ?? op.kv_heads * (op.head_dim_qk + op.head_dim_v) * DTYPE_BYTES[op.kv_dtype];
}

export function opFlops(op: Op): number {
  switch (op.kind) {
    case "gemm":
      return op.batch * (2 * op.m * op.n * op.k + (op.bias ? op.m * op.n : 0));
    case "conv2d": {
      const { ho, wo } = convOut(op);
      const out = op.n * ho * wo * op.c_out;
      return out * (2 * (op.c_in / op.groups) * op.kh * op.kw + (op.bias ? 1 : 0));
    }
    case "attention":
      return 2 * op.batch * op.heads * attentionPairs(op) * (op.head_dim_qk + op.head_dim_v);
    case "softmax":
      return 5 * op.rows * op.cols; // max, subtract, exp, sum, divide
    case "norm":
      return (op.norm === "layernorm" ? 8 : op.norm === "rmsnorm" ? 5 : 2) * op.rows * op.cols;
    case "elementwise":
      return op.elements * op.flops_per_element;
    case "embedding":
      return 0;
    case "pool": {
      const { ho, wo } = convOut(op);
      const window = op.pool === "global_avg" ? op.h * op.w : op.kh * op.kw;
      return op.n * ho * wo * op.c * window;
    }
    case "collective":
      return 0;
  }
}

export function opMinBytes(op: Op): number {
  switch (op.kind) {
    case "gemm": {
      const a = op.batch * op.m * op.k * DTYPE_BYTES[op.a_dtype];
      const b = op.batch * op.k * op.n * DTYPE_BYTES[op.b_dtype];
      const c = op.batch * op.m * op.n * DTYPE_BYTES[op.c_dtype];
      return a + b + c + (op.bias ? op.batch * op.n * DTYPE_BYTES[op.c_dtype] : 0);
    }
    case "conv2d": {
      const { ho, wo } = convOut(op);
      const act = DTYPE_BYTES[op.act_dtype];
      const input = op.n * op.h * op.w * op.c_in * act;
      const weights = op.c_out * (op.c_in / op.groups) * op.kh * op.kw * DTYPE_BYTES[op.weight_dtype];
      const output = op.n * ho * wo * op.c_out * act;
      return input + weights + output + (op.bias ? op.c_out * DTYPE_BYTES[op.weight_dtype] : 0);
    }
    case "attention": {
      const act = DTYPE_BYTES[op.act_dtype];
      const q = op.batch * op.heads * op.seq_q * op.head_dim_qk * act;
      const o = op.batch * op.heads * op.seq_q * op.head_dim_v * act;
      const kvTokens = op.window !== undefined && op.window > 0 ? Math.min(op.seq_kv, op.window + op.seq_q - 1) : op.seq_kv;
      return q + o + op.batch * kvTokens * kvBytesPerToken(op);
    }
    case "softmax":
      return 2 * op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
    case "norm":
      return (2 * op.rows * op.cols + op.params) * DTYPE_BYTES[op.act_dtype];
    case "elementwise":
      return (op.elements * (op.inputs + 1) + (op.params ?? 0)) * DTYPE_BYTES[op.act_dtype];
    case "embedding":
      return op.tokens * op.dim * (DTYPE_BYTES[op.weight_dtype] + DTYPE_BYTES[op.act_dtype]);
    case "pool": {
      const { ho, wo } = convOut(op);
      return (op.n * op.h * op.w * op.c + op.n * ho * wo * op.c) * DTYPE_BYTES[op.act_dtype];
    }
    case "collective":
      return op.bytes;
  }
}
