import type { Block, GemmOp, Op } from "../workload/op.js";

/**
 * The backward pass of a forward op, as ops the cost models can price.
 *
 * - GEMM C[m,n] = A[m,k]·B[k,n]: dA = dC·Bᵀ (m×k, inner n) and dB = Aᵀ·dC (k×n, inner m); both have
 *   the forward's FLOPs, so backward ≈ 2× forward (Narayanan et al. 2021, §5.1) but with different
 *   shapes (the weight gradient's inner dimension is the token count), which the tile model sees.
 * - conv2d: a data-gradient convolution like the forward, and the weight gradient as its GEMM
 *   (long reduction over N·Ho·Wo, small output); depthwise convs stay 2× their forward.
 * - Fused attention (FlashAttention-2, Dao 2023 §3.2): the backward runs 5 matmuls against 2 in the
 *   forward, ≈ 2.5× the forward time.
 * - Memory-bound vector ops: by the tensor passes of their backward kernels (vectorBackwardFactor).
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
    case "conv2d": {
      // dgrad: a convolution of the forward's MACs (transposed filter), priced like the forward.
      // wgrad: dW[c_out/g, c_in/g·kh·kw] = dY[c_out/g, N·Ho·Wo] · im2col(X)ᵀ per group — a GEMM with a
      // long reduction and a small output, which the tile model prices with split-K (cuDNN's wgrad
      // kernels are known to run below fprop efficiency for exactly this shape).
      const ho = Math.floor((op.h + 2 * op.padding - op.kh) / op.stride) + 1;
      const wo = Math.floor((op.w + 2 * op.padding - op.kw) / op.stride) + 1;
      const wgrad: GemmOp = {
        name: `${op.name}.wgrad`,
        kind: "gemm",
        role: op.role,
        dtype: op.dtype,
        m: op.c_out / op.groups,
        n: (op.c_in / op.groups) * op.kh * op.kw,
        k: op.n * ho * wo,
        batch: op.groups,
        a_dtype: op.act_dtype,
        b_dtype: op.act_dtype,
        c_dtype: op.weight_dtype,
        b_is_weight: false,
      };
      if (op.groups === op.c_in && op.groups > 1) return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 2 }];
      return [
        { op: { ...op, name: `${op.name}.dgrad` }, factor: 1 },
        { op: wgrad, factor: 1 },
      ];
    }
    case "attention":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 2.5 }];
    case "embedding":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 1 }];
    case "collective":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: 1 }];
    case "elementwise":
    case "norm":
    case "softmax":
    case "pool":
      return [{ op: { ...op, name: `${op.name}.bwd` }, factor: vectorBackwardFactor(op) }];
  }
}

/**
 * Memory-bound ops: backward time ≈ forward time × (tensor passes of the backward kernel / passes of
 * the forward kernel), counting each full-size read or write as one pass (PyTorch's kernels):
 *   activation y = f(x): forward 2 (read x, write y); backward 3 (read dy, x; write dx)          → 1.5
 *   gated f(a)·b: forward 3; backward 5 (read dy, a, b; write da, db)                           → 5/3
 *   residual add: forward 3; backward: the gradient fans out unchanged, and the fork it came from
 *     sums two gradients in one add of 3 passes                                                  → 1
 *   LayerNorm/RMSNorm/softmax: forward 2; backward 3 (read dy, x or y; write dx; reductions ride along) → 1.5
 *   BatchNorm in training: forward 3 (statistics pass + normalise); backward 5 (reduce dy and dy·x̂,
 *     then read dy, x again and write dx)                                                        → 5/3
 *   max/avg pool: forward reads the input, writes the smaller output; backward reads dy (+ indices)
 *     and writes the full-size dx: about the same traffic                                        → 1
 * Other element-wise work (RoPE, MoE permutes, combines) is linear: backward mirrors forward       → 1
 */
export function vectorBackwardFactor(op: Op): number {
  switch (op.kind) {
    case "norm":
      return op.norm === "batchnorm" ? 5 / 3 : 1.5;
    case "softmax":
      return 1.5;
    case "pool":
      return 1;
    case "elementwise": {
      if (op.fn === "add" || op.fn === "residual_add") return 1;
      if (/^(relu|relu6|gelu|silu|sigmoid|tanh)$/.test(op.fn)) return 1.5;
      if (op.fn.includes("*mul")) return 5 / 3;
      return 1;
    }
    default:
      return 2;
  }
}

/** Backward blocks in reverse order, each op expanded into its backward items. */
export function backwardBlocks(blocks: readonly Block[]): Array<{ name: string; repeat: number; items: BackwardItem[] }> {
  return [...blocks].reverse().map((b) => ({ name: `${b.name}.backward`, repeat: b.repeat, items: [...b.ops].reverse().flatMap(backwardOf) }));
}
