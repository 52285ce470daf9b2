import type { Block, Op, OpKind, OpRole } from "./op.js";

/**
 * Questions the sharding and estimation code asks of a graph, answered from the typed fields the
 * builders set (Op.role, Block.kind), never from names. The meaning of each role under tensor,
 * sequence and expert parallelism is tabled at {@link OpRole} (op.ts).
 */

/** The one definition of a layer block: what pipeline stages divide and `layers` counts. */
export function isLayerBlock(block: Pick<Block, "kind">): boolean {
  return block.kind === "layer";
}

/** Routed-expert ops of a MoE layer: the part expert parallelism divides over ep ranks. */
export function isRoutedExpert(op: Pick<Op, "role">): boolean {
  return op.role === "expert_column_parallel" || op.role === "expert_row_parallel" || op.role === "expert_split_elementwise";
}

/**
 * How tensor parallelism treats a role: routed experts are tensor-sharded like dense FFN ops (expert
 * tensor parallelism = tp), and the sequence-wise roles (norms, residual adds, other per-token vector
 * work, the MoE dispatch) all split the same way under sequence parallelism.
 */
export type TensorParallelTreatment = "embedding" | "lm_head" | "column" | "row" | "split" | "heads" | "sequence" | "replicated";

const TREATMENT: Readonly<Record<OpRole, TensorParallelTreatment>> = {
  embedding: "embedding",
  lm_head: "lm_head",
  column_parallel: "column",
  expert_column_parallel: "column",
  row_parallel: "row",
  expert_row_parallel: "row",
  split_elementwise: "split",
  expert_split_elementwise: "split",
  attention_core: "heads",
  moe_dispatch: "sequence",
  norm: "sequence",
  residual: "sequence",
  pointwise: "sequence",
  router: "replicated",
  replicated: "replicated",
  communication: "replicated",
};

export function tensorParallelTreatment(role: OpRole): TensorParallelTreatment {
  return TREATMENT[role];
}

/** Op kinds each role may be given to: a builder that pairs them otherwise is wrong. */
export const ROLE_OP_KINDS: Readonly<Record<OpRole, readonly OpKind[]>> = {
  embedding: ["embedding"],
  lm_head: ["gemm"],
  column_parallel: ["gemm"],
  row_parallel: ["gemm"],
  split_elementwise: ["elementwise"],
  attention_core: ["attention"],
  router: ["gemm"],
  expert_column_parallel: ["gemm"],
  expert_split_elementwise: ["elementwise"],
  expert_row_parallel: ["gemm"],
  moe_dispatch: ["elementwise"],
  norm: ["norm", "softmax"],
  residual: ["elementwise"],
  pointwise: ["elementwise", "softmax"],
  replicated: ["gemm", "conv2d", "pool", "elementwise"],
  communication: ["collective"],
};

/** True when the op's role applies to its kind (see {@link ROLE_OP_KINDS}). */
export function roleFitsOp(op: Pick<Op, "role" | "kind">): boolean {
  return ROLE_OP_KINDS[op.role].includes(op.kind);
}
