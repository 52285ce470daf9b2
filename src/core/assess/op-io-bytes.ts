import { DTYPE_BYTES } from "../units/dtype.js";
import type { Op } from "../workload/op.js";
import { convOutputSize } from "../workload/op-metrics.js";

/**
 * The activation bytes an op takes in and gives out: what crosses the host link when an op runs on
 * the other side of it from its producer or consumer (op-profile.ts). Parameters are not counted:
 * an op run on the host keeps its weights in host memory. Attention takes Q and the new tokens' K
 * and V (the KV cache stays with the attention, on whichever side runs it).
 */
export function opInputBytes(op: Op): number {
  switch (op.kind) {
    case "gemm":
      return op.batch * op.m * op.k * DTYPE_BYTES[op.a_dtype] + (op.b_is_weight ? 0 : op.batch * op.k * op.n * DTYPE_BYTES[op.b_dtype]);
    case "conv2d":
      return op.n * op.c_in * op.h * op.w * DTYPE_BYTES[op.act_dtype];
    case "attention":
      return op.batch * op.seq_q * (op.heads * op.head_dim_qk + op.kv_heads * (op.head_dim_qk + op.head_dim_v)) * DTYPE_BYTES[op.act_dtype];
    case "softmax":
    case "norm":
      return op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
    case "elementwise":
      return op.elements * op.inputs * DTYPE_BYTES[op.act_dtype];
    case "embedding":
      return op.tokens * TOKEN_ID_BYTES;
    case "pool":
      return op.n * op.c * op.h * op.w * DTYPE_BYTES[op.act_dtype];
    case "collective":
      return op.bytes;
  }
}

/** Token ids are int32 (as op-metrics counts them). */
const TOKEN_ID_BYTES = 4;

export function opOutputBytes(op: Op): number {
  switch (op.kind) {
    case "gemm":
      return op.batch * op.m * op.n * DTYPE_BYTES[op.c_dtype];
    case "conv2d":
      return op.n * op.c_out * convOutputSize(op.h, op.kh, op.stride, op.padding) * convOutputSize(op.w, op.kw, op.stride, op.padding) * DTYPE_BYTES[op.act_dtype];
    case "attention":
      return op.batch * op.seq_q * op.heads * op.head_dim_v * DTYPE_BYTES[op.act_dtype];
    case "softmax":
    case "norm":
      return op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
    case "elementwise":
      return op.elements * DTYPE_BYTES[op.act_dtype];
    case "embedding":
      return op.tokens * op.dim * DTYPE_BYTES[op.act_dtype];
    case "pool":
      return op.pool === "global_avg" ? op.n * op.c * DTYPE_BYTES[op.act_dtype] : op.n * op.c * convOutputSize(op.h, op.kh, op.stride, op.padding) * convOutputSize(op.w, op.kw, op.stride, op.padding) * DTYPE_BYTES[op.act_dtype];
    case "collective":
      return op.bytes;
  }
}
