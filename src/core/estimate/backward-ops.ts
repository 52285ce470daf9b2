import type { Block, GemmOp, Op } from "../workload/op.js";

/**
 * The backward pass of a forward op, as ops the cost models can price.
 *
 * - GEMM C[m,n] = A[m,k]·B[k,n]: dA = dC·Bᵀ (m×k, inner n) and dB = Aᵀ·dC (k×n, inner m); both have
 *   the forward's FLOPs, so backward ≈ 2× forward (Narayanan et al. 2021, §5.1) but with different
 *   shapes (the weight gradient's inner dimension is the token count), which the tile model sees.
 * - conv2d: data-gradient and weight-gradient convolutions of the forward's MACs each.
 * - Fused attention (FlashAttention-2, Dao 2023 §3.2): the backward runs 5 matmuls against 2 in the
 *   forward, ≈ 2.5× the forward time.
 * - Memory-bound vector ops read the output gradient and the saved input and write the input
 *   gradient: ≈ 2× the forward traffic.
 * - Embedding: a scatter-add of the gradient rows, ≈ the forward gather.
 *
 * Returned as (op, time factor) pairs: factor 1 ops are new shapes priced on their own; other
 * factors scale the priced forward op.
 */
export interface BackwardItem {
  op: Op;
  factor: number;
}

export function backwardOf(op: Op): BackwardItem[] {
  switch (op.kind) {
    case "gemm": {
      const dA: GemmOp = {
        ...op,
        name: `${op.name}.dgrad`,
        m: op.m,
        n: op.k,
        k: op.n,
        a_dtype: op.c_dtype,
        c_dtype: op.a_dtype,
        bias: false,
      };
      const dB: GemmOp = {
        ...op,
        name: `${op.name}.wgrad`,
        m: op.k,
        n: op.n,
        k: op.m,
        b_is_weight: false,
        b_dtype: op.c_dtype,
        c_dtype: op.b_dtype,
        bias: false,
      };
      return [
        { op: dA, factor: 1 },
        { op: dB, factor: 1 },
      ];
    }
    case "conv2d":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 2 }];
    case "attention":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 2.5 }];
    case "embedding":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 1 }];
    case "collective":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 1 }];
    default:
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 2 }];
  }
}

/** Backward blocks in reverse order, each op expanded into its backward items. */
export function backwardBlocks(blocks: readonly Block[]): Array<{ name: string; repeat: number; items: BackwardItem[] }> {
  return [...blocks].reverse().map((b) => ({ name: `${b.name}.backward`, repeat: b.repeat, items: [...b.ops].reverse().flatMap(backwardOf) }));
}
