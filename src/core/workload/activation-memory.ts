import { DTYPE_BYTES } from "../units/dtype.js";
import type { Op, WorkloadGraph } from "./op.js";

/**
 * Activation memory from the op graph.
 *
 * Training (saved for backward): every op keeps its activation inputs until its backward runs.
 * Summed over a GPT layer this reproduces Korthikanti et al. 2022 (arXiv 2205.05198, §4.1):
 * LN inputs 4sbh + QKV input 2sbh + Q,K,V 6sbh + out-proj input 2sbh + MLP input 2sbh + GeLU
 * input 8sbh + fc2 input 8sbh = 32sbh, i.e. their 34sbh less the two 1-byte dropout masks (modern
 * LLMs train without dropout). Unfused attention additionally keeps the softmax output (2·a·s²·b
 * at 16 bit; their 5as²b includes dropout mask and output). FlashAttention keeps only Q, K, V, O and
 * the fp32 log-sum-exp per row.
 *
 * Inference (peak working set): the largest inputs + output of any single op.
 */

/** Bytes of activation inputs an op keeps for its backward pass. */
export function savedActivationBytes(op: Op): number {
  switch (op.kind) {
    case "gemm": {
      const a = op.batch * op.m * op.k * DTYPE_BYTES[op.a_dtype];
      const b = op.b_is_weight ? 0 : op.batch * op.k * op.n * DTYPE_BYTES[op.b_dtype];
      return a + b;
    }
    case "conv2d":
      return op.n * op.h * op.w * op.c_in * DTYPE_BYTES[op.act_dtype];
    case "attention": {
      const e = DTYPE_BYTES[op.act_dtype];
      const q = op.batch * op.seq_q * op.heads * op.head_dim_qk * e;
      const kv = op.batch * op.seq_kv * op.kv_heads * (op.head_dim_qk + op.head_dim_v) * e;
      // The output O is also the out-projection's input and is counted there, not here.
      if (op.fused) return q + kv + op.batch * op.heads * op.seq_q * 4;
      const keys = op.window ? Math.min(op.window, op.seq_kv) : op.seq_kv;
      return q + kv + op.batch * op.heads * op.seq_q * keys * e;
    }
    case "softmax":
      return op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
    case "norm":
      return op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
    case "elementwise":
      // Residual adds need nothing saved; activations and gates keep their inputs.
      return op.fn === "add" || op.fn === "residual_add" ? 0 : op.elements * op.inputs * DTYPE_BYTES[op.act_dtype];
    case "pool":
      return op.n * op.h * op.w * op.c * DTYPE_BYTES[op.act_dtype];
    case "embedding":
    case "collective":
      return 0;
  }
}

/** Bytes of an op's activation inputs plus its output (its working set in main memory). */
export function workingSetBytes(op: Op): number {
  switch (op.kind) {
    case "gemm":
      return savedActivationBytes(op) + op.batch * op.m * op.n * DTYPE_BYTES[op.c_dtype];
    case "conv2d": {
      const ho = Math.floor((op.h + 2 * op.padding - op.kh) / op.stride) + 1;
      const wo = Math.floor((op.w + 2 * op.padding - op.kw) / op.stride) + 1;
      return savedActivationBytes(op) + op.n * ho * wo * op.c_out * DTYPE_BYTES[op.act_dtype];
    }
    case "attention":
      return savedActivationBytes(op) + op.batch * op.seq_q * op.heads * op.head_dim_v * DTYPE_BYTES[op.act_dtype];
    case "softmax":
    case "norm":
      return 2 * op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
    case "elementwise":
      return op.elements * (op.inputs + 1) * DTYPE_BYTES[op.act_dtype];
    case "pool":
      return 2 * op.n * op.h * op.w * op.c * DTYPE_BYTES[op.act_dtype];
    case "embedding":
      return op.tokens * op.dim * DTYPE_BYTES[op.act_dtype];
    case "collective":
      return 2 * op.bytes;
  }
}

export interface TrainingActivationBytes {
  /** Bytes kept for backward for the whole graph (one micro-batch). */
  total: number;
  /** Largest single block repetition, for full recomputation (recomputed one layer at a time). */
  largest_block: number;
  /** Bytes of the inputs of each block repetition (what full recomputation stores). */
  block_inputs: number;
  /** Bytes removed by selective recomputation (the attention scores of unfused attention). */
  selective_savings: number;
}

export function trainingActivationBytes(graph: WorkloadGraph): TrainingActivationBytes {
  let total = 0;
  let largest = 0;
  let blockInputs = 0;
  let selective = 0;
  for (const block of graph.blocks) {
    let perRep = 0;
    let firstInput = 0;
    for (const op of block.ops) {
      const s = savedActivationBytes(op);
      perRep += s;
      if (firstInput === 0 && s > 0) firstInput = s;
      if (op.kind === "attention" && !op.fused) {
        const keys = op.window ? Math.min(op.window, op.seq_kv) : op.seq_kv;
        selective += op.batch * op.heads * op.seq_q * keys * DTYPE_BYTES[op.act_dtype] * block.repeat;
      }
    }
    total += perRep * block.repeat;
    blockInputs += firstInput * block.repeat;
    if (perRep > largest) largest = perRep;
  }
  return { total, largest_block: largest, block_inputs: blockInputs, selective_savings: selective };
}

/** Peak activation bytes in inference: the largest working set of any op. */
export function inferenceActivationPeakBytes(graph: WorkloadGraph): number {
  let peak = 0;
  for (const block of graph.blocks) for (const op of block.ops) peak = Math.max(peak, workingSetBytes(op));
  return peak;
}
