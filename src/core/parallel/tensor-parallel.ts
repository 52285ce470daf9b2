import type { CollectiveKind, CollectiveOp, Op } from "../workload/op.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { roleFitsOp, tensorParallelTreatment } from "../workload/graph-semantics.js";

/**
 * Megatron tensor parallelism (Shoeybi et al. 2019, arXiv 1909.08053; Korthikanti et al. 2022 for
 * sequence parallelism) applied to the ops of a block, by each op's role (OpRole, tabled in
 * workload/op.ts; never by name):
 *
 *   column_parallel (output features split): QKV / q / q_b / kv_b / gate_up / up projections
 *   row_parallel (input features split) + all-reduce of the output: o_proj, down_proj
 *   routed experts: as column / row / split (expert tensor parallelism = tp)
 *   attention_core: heads / t (KV heads / t, at least one: GQA groups replicate K/V when kv < t)
 *   split_elementwise (activations, RoPE inside the split): elements / t
 *   norm, residual, pointwise, moe_dispatch: replicated — or split over the sequence (÷ t) with
 *   sequence parallelism, where each all-reduce becomes a reduce-scatter + all-gather pair of the
 *   same total volume.
 *   router, replicated (MLA down-projections, convolutions, classifiers): whole on every rank.
 *   vocabulary-parallel embedding and LM head: rows / t (+ an all-reduce after the embedding).
 *
 * The collectives per block repetition in the forward pass are returned alongside the sharded
 * ops; the backward pass has the same number (the conjugate operations: Megatron's f/g).
 */
export interface TensorParallelBlock {
  ops: Op[];
  /** Forward collectives of one repetition, each over the tp group. */
  comm: CollectiveOp[];
  /** Sharded ops (members of `ops`) whose saved activations are replicated across the tp group (÷ t with sequence parallelism). */
  replicated: Set<Op>;
}

function div(x: number, t: number): number {
  return Math.max(1, Math.ceil(x / t));
}

function collective(name: string, kind: CollectiveKind, bytes: number, ranks: number, op: Op): CollectiveOp {
  return { name, kind: "collective", role: "communication", dtype: op.dtype, collective: kind, bytes, ranks };
}

/** The all-reduce after a row-parallel op or embedding (a reduce-scatter under sequence parallelism). */
function reduceAfter(op: Op, bytes: number, tp: number, sp: boolean): CollectiveOp {
  return collective(`${op.name}.${sp ? "reduce_scatter" : "all_reduce"}`, sp ? "reduce_scatter" : "all_reduce", bytes, tp, op);
}

/** One op on one rank of the tp group, and the forward collectives it adds; `replicated` when its saved activations are whole on every rank. */
function shardOp(op: Op, tp: number, sp: boolean): { op: Op; comm?: CollectiveOp; replicated: boolean } {
  // A builder bug, not bad input: a role that does not apply to the op's kind would otherwise be silently replicated.
  if (!roleFitsOp(op)) throw new Error(`op "${op.name}": role "${op.role}" does not apply to a ${op.kind} op (see ROLE_OP_KINDS)`);
  const whole = { op, replicated: true };
  switch (tensorParallelTreatment(op.role)) {
    case "lm_head":
      if (op.kind !== "gemm") return whole;
      return { op: { ...op, n: div(op.n, tp) }, replicated: false, ...(sp ? { comm: collective(`${op.name}.all_gather`, "all_gather", op.m * op.k * DTYPE_BYTES[op.a_dtype], tp, op) } : {}) };
    case "column":
      // With SP the replicated input is gathered from sequence shards first.
      if (op.kind !== "gemm") return whole;
      return { op: { ...op, n: div(op.n, tp) }, replicated: true, ...(sp ? { comm: collective(`${op.name}.all_gather`, "all_gather", op.batch * op.m * op.k * DTYPE_BYTES[op.a_dtype], tp, op) } : {}) };
    case "row":
      if (op.kind !== "gemm") return whole;
      return { op: { ...op, k: div(op.k, tp) }, replicated: false, comm: reduceAfter(op, op.batch * op.m * op.n * DTYPE_BYTES[op.c_dtype], tp, sp) };
    case "heads":
      if (op.kind !== "attention") return whole;
      return { op: { ...op, heads: div(op.heads, tp), kv_heads: div(op.kv_heads, tp), ...(op.kv_bytes_per_token ? { kv_bytes_per_token: op.kv_bytes_per_token / Math.min(tp, op.kv_heads) } : {}) }, replicated: false };
    case "split":
      if (op.kind !== "elementwise") return whole;
      return { op: { ...op, elements: div(op.elements, tp) }, replicated: false };
    case "sequence":
      if (!sp) return whole;
      if (op.kind === "elementwise") return { op: { ...op, elements: div(op.elements, tp) }, replicated: false };
      if (op.kind === "norm" || op.kind === "softmax") return { op: { ...op, rows: div(op.rows, tp) }, replicated: false };
      return whole;
    case "embedding":
      if (op.kind !== "embedding") return whole;
      return { op: { ...op, vocab: div(op.vocab, tp), params: op.params / tp }, replicated: false, comm: reduceAfter(op, op.tokens * op.dim * DTYPE_BYTES[op.act_dtype], tp, sp) };
    case "replicated":
      return whole;
  }
}

export function shardTensorParallel(ops: readonly Op[], tp: number, sp: boolean): TensorParallelBlock {
  if (tp === 1) return { ops: [...ops], comm: [], replicated: new Set() };
  const out: Op[] = [];
  const comm: CollectiveOp[] = [];
  const replicated = new Set<Op>();
  for (const op of ops) {
    const s = shardOp(op, tp, sp);
    out.push(s.op);
    if (s.comm) comm.push(s.comm);
    if (s.replicated) replicated.add(s.op);
  }
  return { ops: out, comm, replicated };
}
