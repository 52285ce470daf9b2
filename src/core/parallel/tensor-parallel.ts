import type { CollectiveKind, CollectiveOp, Op } from "../workload/op.js";
import { DTYPE_BYTES } from "../units/dtype.js";

/**
 * Megatron tensor parallelism (Shoeybi et al. 2019, arXiv 1909.08053; Korthikanti et al. 2022 for
 * sequence parallelism) applied to the ops of a transformer block, by op role:
 *
 *   column-parallel (output features split): qkv / q / kv_b / gate_up / up projections
 *   row-parallel (input features split) + all-reduce of the output: o_proj, down_proj
 *   attention core: heads / t (KV heads / t, at least one: GQA groups replicate K/V when kv < t)
 *   activations, RoPE inside the split: elements / t
 *   norms, residual adds, MLA down-projections: replicated — or split over the sequence (÷ t) with
 *   sequence parallelism, where each all-reduce becomes a reduce-scatter + all-gather pair of the
 *   same total volume.
 *   vocabulary-parallel embedding and LM head: rows / t (+ an all-reduce after the embedding).
 *
 * The collectives per block repetition in the forward pass are returned alongside the sharded
 * ops; the backward pass has the same number (the conjugate operations: Megatron's f/g).
 */
export interface TensorParallelBlock {
  ops: Op[];
  /** Forward collectives of one repetition, each over the tp group. */
  comm: CollectiveOp[];
  /** Ops whose saved activations are replicated across the tp group (÷ t with sequence parallelism). */
  replicated: Set<string>;
}

const COLUMN = /(^|\.)(qkv_proj|q_proj|q_b_proj|kv_b_proj|gate_up_proj|up_proj)$/;
const ROW = /(^|\.)(o_proj|down_proj)$/;
const SPLIT_ELEMENTWISE = /(^|\.)(rope|act)$/;

function div(x: number, t: number): number {
  return Math.max(1, Math.ceil(x / t));
}

function collective(name: string, kind: CollectiveKind, bytes: number, ranks: number, op: Op): CollectiveOp {
  return { name, kind: "collective", dtype: op.dtype, collective: kind, bytes, ranks };
}

export function shardTensorParallel(ops: readonly Op[], tp: number, sp: boolean): TensorParallelBlock {
  if (tp === 1) return { ops: [...ops], comm: [], replicated: new Set() };
  const out: Op[] = [];
  const comm: CollectiveOp[] = [];
  const replicated = new Set<string>();
  for (const op of ops) {
    switch (op.kind) {
      case "gemm": {
        if (op.name === "lm_head") {
          out.push({ ...op, n: div(op.n, tp) });
          if (sp) comm.push(collective("lm_head.all_gather", "all_gather", op.m * op.k * DTYPE_BYTES[op.a_dtype], tp, op));
          continue;
        }
        if (COLUMN.test(op.name)) {
          out.push({ ...op, n: div(op.n, tp) });
          replicated.add(op.name);
          // With SP the replicated input is gathered from sequence shards first.
          if (sp) comm.push(collective(`${op.name}.all_gather`, "all_gather", op.batch * op.m * op.k * DTYPE_BYTES[op.a_dtype], tp, op));
          continue;
        }
        if (ROW.test(op.name)) {
          out.push({ ...op, k: div(op.k, tp) });
          const bytes = op.batch * op.m * op.n * DTYPE_BYTES[op.c_dtype];
          comm.push(collective(`${op.name}.${sp ? "reduce_scatter" : "all_reduce"}`, sp ? "reduce_scatter" : "all_reduce", bytes, tp, op));
          continue;
        }
        // Router, MLA down-projections, MoE experts (expert parallelism is separate): replicated.
        out.push(op);
        replicated.add(op.name);
        continue;
      }
      case "attention":
        out.push({ ...op, heads: div(op.heads, tp), kv_heads: div(op.kv_heads, tp), ...(op.kv_bytes_per_token ? { kv_bytes_per_token: op.kv_bytes_per_token / Math.min(tp, op.kv_heads) } : {}) });
        continue;
      case "elementwise":
        if (SPLIT_ELEMENTWISE.test(op.name)) out.push({ ...op, elements: div(op.elements, tp) });
        else if (sp) out.push({ ...op, elements: div(op.elements, tp) });
        else {
          out.push(op);
          replicated.add(op.name);
        }
        continue;
      case "norm":
      case "softmax":
        if (sp) out.push({ ...op, rows: div(op.rows, tp) });
        else {
          out.push(op);
          replicated.add(op.name);
        }
        continue;
      case "embedding":
        out.push({ ...op, vocab: div(op.vocab, tp), params: op.params / tp });
        comm.push(collective(`${op.name}.${sp ? "reduce_scatter" : "all_reduce"}`, sp ? "reduce_scatter" : "all_reduce", op.tokens * op.dim * DTYPE_BYTES[op.act_dtype], tp, op));
        continue;
      default:
        out.push(op);
        replicated.add(op.name);
    }
  }
  return { ops: out, comm, replicated };
}
