import { vectorDTypeFor } from "../../units/dtype.js";
import type { AttentionOp, Conv2dOp, ElementwiseOp, EmbeddingOp, GemmOp, NormOp, OpRole, PoolOp } from "../op.js";
import type { Precision } from "../precision.js";

/**
 * Op constructors shared by the graph builders: they apply the precision (matrix math in
 * `compute`, weights in `weights`, tensors in `activations`, vector math in fp32) so builders only
 * state shapes. Per-element FLOP counts of activations are listed here, once.
 *
 * GEMMs and element-wise ops take their role (what tensor and expert parallelism do with them, see
 * OpRole in op.ts) from the builder; norms, attention cores, embeddings, residual adds, convolutions
 * and pools have one role each, set here.
 */

/** Roles a GEMM can have. */
export type GemmRole = Extract<OpRole, "lm_head" | "column_parallel" | "row_parallel" | "router" | "expert_column_parallel" | "expert_row_parallel" | "replicated">;
/** Roles an element-wise op can have. */
export type ElementwiseRole = Extract<OpRole, "split_elementwise" | "expert_split_elementwise" | "moe_dispatch" | "residual" | "pointwise" | "replicated">;

/** FLOPs per element of activation functions (exp, tanh, divide count as one operation each). */
export const ACTIVATION_FLOPS: Readonly<Record<string, number>> = {
  relu: 1,
  relu6: 2, // max and min
  silu: 4, // exp, add, divide, multiply
  gelu: 8, // tanh form: x³ (2), multiply-add (2), tanh (1), add (1), two multiplies (2)
  tanh: 1,
  none: 0,
};

export function actFlops(fn: string): number {
  return ACTIVATION_FLOPS[fn] ?? 1;
}

export interface LinearOptions {
  bias?: boolean;
  /** Independent weight matrices applied side by side (MoE experts, per-head MLA absorption). */
  batch?: number;
  epilogue_of?: string;
  weight_shared_with?: string;
}

/** y[m, n] = x[m, k] · W[k, n] (+ b): a layer applied to m tokens. */
export function linear(name: string, role: GemmRole, m: number, k: number, n: number, p: Precision, o: LinearOptions = {}): GemmOp {
  const op: GemmOp = {
    name, kind: "gemm", role, dtype: p.compute, m, n, k, batch: o.batch ?? 1,
    a_dtype: p.activations, b_dtype: p.weights, c_dtype: p.activations, b_is_weight: true,
  };
  if (o.bias) op.bias = true;
  if (o.epilogue_of) op.epilogue_of = o.epilogue_of;
  if (o.weight_shared_with) op.weight_shared_with = o.weight_shared_with;
  return op;
}

export function norm(name: string, kind: NormOp["norm"], rows: number, cols: number, params: number, p: Precision, epilogueOf?: string): NormOp {
  const op: NormOp = { name, kind: "norm", role: "norm", dtype: vectorDTypeFor(p.compute), norm: kind, rows, cols, act_dtype: p.activations, params };
  if (epilogueOf) op.epilogue_of = epilogueOf;
  return op;
}

export interface ElementwiseOptions {
  epilogue_of?: string;
  params?: number;
}

export function elementwise(
  name: string, role: ElementwiseRole, fn: string, elements: number, inputs: number, flopsPerElement: number, p: Precision, o: ElementwiseOptions = {},
): ElementwiseOp {
  const op: ElementwiseOp = {
    name, kind: "elementwise", role, dtype: vectorDTypeFor(p.compute), fn, elements, inputs, flops_per_element: flopsPerElement, act_dtype: p.activations,
  };
  if (o.params) op.params = o.params;
  if (o.epilogue_of) op.epilogue_of = o.epilogue_of;
  return op;
}

/**
 * True when layers keep fp32 weights but compute in fp16/bf16: PyTorch autocast (AMP) casts each
 * conv/linear weight to the compute dtype every time the layer runs (torch.autocast caches a cast
 * only inside one autocast region, i.e. one forward pass), so a pass dispatches one extra kernel per
 * weighted layer. PyTorch docs, "Automatic Mixed Precision package - torch.amp" (CUDA ops that can
 * autocast to float16: conv*, linear, matmul...).
 */
export function autocastsWeights(p: Precision): boolean {
  return p.weights === "fp32" && (p.compute === "fp16" || p.compute === "bf16");
}

/** The per-pass fp32 → compute-dtype copy of a layer's `params` weights (reads 4 B, writes 2 B each). */
export function weightCast(layer: string, params: number, p: Precision): ElementwiseOp {
  const op = elementwise(`${layer}.weight_cast`, "replicated", "cast", params, 1, 0, { ...p, activations: p.compute });
  op.input_dtype = p.weights;
  return op;
}

/** Residual add of `inputs` tensors (2 normally; 3 when a parallel block sums attention and MLP). */
export function residualAdd(name: string, elements: number, p: Precision, epilogueOf: string, inputs = 2): ElementwiseOp {
  return elementwise(name, "residual", "add", elements, inputs, inputs - 1, p, { epilogue_of: epilogueOf });
}

export function embedding(name: string, tokens: number, vocab: number, dim: number, params: number, p: Precision): EmbeddingOp {
  return { name, kind: "embedding", role: "embedding", dtype: p.activations, tokens, vocab, dim, weight_dtype: p.weights, act_dtype: p.activations, params };
}

export interface AttentionShape {
  batch: number;
  heads: number;
  kv_heads: number;
  head_dim_qk: number;
  head_dim_v: number;
  seq_q: number;
  seq_kv: number;
  causal: boolean;
  fused: boolean;
  window?: number;
  kv_bytes_per_token?: number;
}

export function attention(name: string, s: AttentionShape, p: Precision, kvDtypeIsCache: boolean): AttentionOp {
  const op: AttentionOp = {
    name, kind: "attention", role: "attention_core", dtype: p.compute,
    batch: s.batch, heads: s.heads, kv_heads: s.kv_heads, head_dim_qk: s.head_dim_qk, head_dim_v: s.head_dim_v,
    seq_q: s.seq_q, seq_kv: s.seq_kv, causal: s.causal, fused: s.fused,
    act_dtype: p.activations, kv_dtype: kvDtypeIsCache ? p.kv_cache : p.activations,
  };
  if (s.window !== undefined) op.window = s.window;
  if (s.kv_bytes_per_token !== undefined) op.kv_bytes_per_token = s.kv_bytes_per_token;
  return op;
}

export interface ConvShape {
  n: number;
  h: number;
  w: number;
  c_in: number;
  c_out: number;
  k: number;
  stride: number;
  padding: number;
  groups: number;
  bias: boolean;
}

export function conv(name: string, s: ConvShape, p: Precision): Conv2dOp {
  const op: Conv2dOp = {
    name, kind: "conv2d", role: "replicated", dtype: p.compute, n: s.n, h: s.h, w: s.w, c_in: s.c_in, c_out: s.c_out, kh: s.k, kw: s.k,
    stride: s.stride, padding: s.padding, groups: s.groups, act_dtype: p.activations, weight_dtype: p.weights,
  };
  if (s.bias) op.bias = true;
  return op;
}

export function pool(
  name: string, kind: PoolOp["pool"], n: number, h: number, w: number, c: number, k: number, stride: number, padding: number, p: Precision,
): PoolOp {
  return { name, kind: "pool", role: "replicated", dtype: vectorDTypeFor(p.compute), pool: kind, n, h, w, c, kh: k, kw: k, stride, padding, act_dtype: p.activations };
}
