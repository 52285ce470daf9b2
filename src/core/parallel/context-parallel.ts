import { DTYPE_BYTES } from "../units/dtype.js";
import type { AttentionOp, Op } from "../workload/op.js";
import { savedActivationBytes } from "../workload/activation-memory.js";

/**
 * Context parallelism: the sequence split over cp ranks, attention by ring (Liu et al. 2023, "Ring
 * Attention with Blockwise Transformers", arXiv 2310.01889; Megatron-Core context parallelism;
 * formulas.md §5.6).
 *
 * Each rank holds s/cp tokens of every sequence, so every token-wise op (projections, FFN, norms,
 * MoE) runs on s/cp tokens: the caller builds the graph for a sequence of s/cp tokens. Attention
 * needs all keys: K/V shards rotate around the ring in cp − 1 steps, each overlapped with the
 * blockwise attention of the block already present. With Megatron's causal load balancing (the
 * sequence cut into 2·cp chunks, rank i holding chunks i and 2cp − 1 − i) every rank does exactly
 * 1/cp of the causal work; we price it as cp attention blocks of (s/cp) × (s/cp), causal — the same
 * FLOPs (cp·(s/cp)²/2 = s²/(2cp) pairs) at the shape of one ring step's kernel.
 *
 * Communication per attention per micro-batch: cp − 1 sends of this rank's K/V shard
 * (b·(s/cp)·kv_heads·(d_qk + d_v)·bytes), each hidden behind one block of attention; exposed time per
 * step = max(0, t_send − t_block). Backward circulates K/V and dK/dV: twice the bytes per step against
 * one block of attention backward.
 *
 * Memory: activations of s/cp tokens (÷ cp), the saved K/V of the local shard only (the ring buffers
 * of one block in flight are transient).
 *
 * Known limit: a sliding-window attention is priced the same way, cp blocks of (s/cp)² each with the
 * window applied inside the block, so the blocks that fall outside the window are still counted — up
 * to cp× the true work when the window is much shorter than s/cp (test/graph-conformance.test.ts
 * checks the full-attention cases exactly and skips windowed ones).
 */

/** The attention op of an s/cp-token graph as priced under ring attention: cp blocks of (s/cp)². */
export function ringAttentionOp(op: AttentionOp, cp: number): AttentionOp {
  if (cp === 1) return op;
  return { ...op, batch: op.batch * cp };
}

/** The ops of an s/cp-token block as priced under context parallelism (attention expanded to its cp ring blocks). */
export function shardContextParallel(ops: readonly Op[], cp: number): Op[] {
  if (cp === 1) return [...ops];
  return ops.map((o) => (o.kind === "attention" ? ringAttentionOp(o, cp) : o));
}

/**
 * Activation bytes an attention op of an s/cp-token graph saves for backward under context
 * parallelism: Q, K, V of the local shard (and the log-sum-exp), plus — unfused only — the scores of
 * the local queries against all s keys.
 */
export function contextParallelSavedBytes(localOp: AttentionOp, cp: number): number {
  const local = savedActivationBytes(localOp);
  if (cp === 1 || localOp.fused) return local;
  const keys = localOp.window ? Math.min(localOp.window, localOp.seq_kv) : localOp.seq_kv;
  const scores = localOp.batch * localOp.heads * localOp.seq_q * keys * DTYPE_BYTES[localOp.act_dtype];
  return local + scores * (cp - 1);
}

/** Bytes of the K/V shard one rank passes to the next per ring step (per attention, per micro-batch). */
export function ringKvBytes(localOp: AttentionOp): number {
  return localOp.batch * localOp.seq_kv * localOp.kv_heads * (localOp.head_dim_qk + localOp.head_dim_v) * DTYPE_BYTES[localOp.act_dtype];
}

/**
 * Exposed ring time of one attention: (cp − 1) steps of max(0, t_send − t_block), with t_block the
 * attention time of one ring step (the whole attention's time / cp).
 */
export function ringExposedS(cp: number, sendS: number, attentionS: number): number {
  if (cp <= 1) return 0;
  return (cp - 1) * Math.max(0, sendS - attentionS / cp);
}

/** The reason a cp degree is invalid for a sequence length (Megatron needs s divisible by 2·cp for causal load balancing), or undefined. */
export function contextParallelProblem(seq: number, cp: number): { message: string; hint: string } | undefined {
  if (!Number.isInteger(cp) || cp < 1) return { message: `cp must be a positive integer, got ${String(cp)}`, hint: "cp = 1 disables context parallelism" };
  if (cp === 1) return undefined;
  if (seq % (2 * cp) !== 0) return { message: `sequence length ${seq} is not divisible by 2·cp = ${2 * cp} (causal load balancing splits it into 2·cp chunks)`, hint: `use a cp with ${seq} divisible by 2·cp` };
  return undefined;
}
