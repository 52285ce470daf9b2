import type { DType } from "../units/dtype.js";

/**
 * Operators of the workload graph. Shapes are exact; FLOPs, bytes and parameters are derived from
 * them by the functions in op-metrics.ts (one formula per op kind, cited there), never stored twice.
 *
 * Conventions: FLOPs count a multiply-accumulate as 2. `dtype` is the dtype of the math (what the
 * matrix or vector engine runs); operand storage dtypes are separate so that weight-only
 * quantisation (int4 weights, bf16 math) and fp8 math with bf16 outputs are expressible.
 */
export type OpKind =
  | "gemm"
  | "conv2d"
  | "attention"
  | "softmax"
  | "norm"
  | "elementwise"
  | "embedding"
  | "pool"
  | "collective";

/**
 * What an op does in the model, as far as splitting it over chips is concerned. Builders state it;
 * sharding (parallel/) and the estimators read it and never the op's name. Each role names the op
 * kinds it applies to (checked by {@link roleFitsOp} in graph-semantics.ts). Under each parallelism:
 *
 * | role | tensor parallelism (t ranks, Megatron) | + sequence parallelism | expert parallelism |
 * |---|---|---|---|
 * | `embedding` (embedding) | vocabulary-parallel: table rows and parameters ÷ t; one all-reduce of the output | the all-reduce becomes a reduce-scatter | unchanged |
 * | `lm_head` (gemm) | vocabulary-parallel: output columns (n) ÷ t; the caller gathers the logits | the input is all-gathered from the sequence shards first | unchanged |
 * | `column_parallel` (gemm) | output features (n) ÷ t; input replicated (QKV, q_b, kv_b, gate/up of a dense or shared-expert FFN) | input all-gathered from the sequence shards first | unchanged |
 * | `row_parallel` (gemm) | input features (k) ÷ t; all-reduce of the output (o_proj, down_proj) | the all-reduce becomes a reduce-scatter | unchanged |
 * | `split_elementwise` (elementwise) | elements ÷ t: works on a column-parallel GEMM's split features (activation × gate, RoPE) | same | unchanged |
 * | `attention_core` (attention) | heads ÷ t, KV heads ÷ t (at least one: a GQA group is replicated when kv_heads < t) | same | unchanged |
 * | `router` (gemm) | replicated (every rank scores every token) | not split | read for the MoE shape: tokens, experts, hidden |
 * | `expert_column_parallel` (gemm) | as `column_parallel` (expert tensor parallelism = t) | as `column_parallel` | routed experts: this rank's busy experts and their tokens |
 * | `expert_split_elementwise` (elementwise) | as `split_elementwise` | same | follows its experts' shapes |
 * | `expert_row_parallel` (gemm) | as `row_parallel` | as `row_parallel` | routed experts, as above |
 * | `moe_dispatch` (elementwise) | replicated | elements ÷ t (sequence split) | read for top-k and the all-to-all payload dtype |
 * | `norm` (norm, softmax) | replicated | rows ÷ t (sequence split) | unchanged |
 * | `residual` (elementwise) | replicated | elements ÷ t | unchanged |
 * | `pointwise` (elementwise, softmax) | replicated: other per-token vector work on full-width tensors (MoE scoring, router bias, combine, embedding sums, CNN activations) | elements (rows) ÷ t | unchanged |
 * | `replicated` (gemm, conv2d, pool, elementwise) | the whole op on every rank: MLA down-projections and absorbed products, pooler and classifier GEMMs, convolutions, pools, a stand-alone op | not split | unchanged |
 * | `communication` (collective) | unchanged (already a collective) | unchanged | unchanged |
 *
 * Context parallelism (the sequence over cp ranks) needs no role: every op runs on s/cp tokens by
 * construction and `attention_core` ops become ring attention (parallel/context-parallel.ts).
 * Pipeline parallelism reads block kinds, not roles ({@link BlockKind}).
 */
export type OpRole =
  | "embedding"
  | "lm_head"
  | "column_parallel"
  | "row_parallel"
  | "split_elementwise"
  | "attention_core"
  | "router"
  | "expert_column_parallel"
  | "expert_split_elementwise"
  | "expert_row_parallel"
  | "moe_dispatch"
  | "norm"
  | "residual"
  | "pointwise"
  | "replicated"
  | "communication";

interface OpBase {
  /** Human name, unique within its block ("attn.qkv_proj", "layer3.conv2"); for people only: no code reads meaning from it. */
  name: string;
  kind: OpKind;
  /** What the op is for when it is split over chips (see {@link OpRole}). */
  role: OpRole;
  /** Dtype of the arithmetic. */
  dtype: DType;
  /**
   * Name of the producer op (same block) this op can run inside as an epilogue: a bias, activation,
   * residual add, RoPE or gating multiply applied to the producer's output while it is still on chip.
   * A runtime that fuses (TensorRT, vLLM, XLA) pays no main-memory traffic for it; an eager one does.
   */
  epilogue_of?: string;
}

/**
 * C[batch, m, n] = A[batch, m, k] × B[batch, k, n]. Each batch entry has its own B: a linear layer
 * applied to tokens is m = tokens, batch = 1; MoE experts are batch = experts that receive tokens,
 * m = tokens per expert (each expert its own weights); attention-style products have b_is_weight false.
 */
export interface GemmOp extends OpBase {
  kind: "gemm";
  m: number;
  n: number;
  k: number;
  batch: number;
  a_dtype: DType;
  b_dtype: DType;
  c_dtype: DType;
  /** B holds model parameters (counted in params, streamed from memory, kept across steps). */
  b_is_weight: boolean;
  /** Bias added to C (n parameters per batch entry when b_is_weight). */
  bias?: boolean;
  /**
   * B is the same tensor as another op's parameters (a tied LM head reuses the token embedding):
   * it is still read from memory, but its parameters are counted at that op, not here.
   */
  weight_shared_with?: string;
}

/** 2-D convolution, NCHW semantics; `groups = c_in` is depthwise. */
export interface Conv2dOp extends OpBase {
  kind: "conv2d";
  n: number;
  h: number;
  w: number;
  c_in: number;
  c_out: number;
  kh: number;
  kw: number;
  stride: number;
  padding: number;
  groups: number;
  bias?: boolean;
  act_dtype: DType;
  weight_dtype: DType;
}

/**
 * Scaled dot-product attention core: softmax(Q Kᵀ / √d) V, per batch and head.
 * `fused` = FlashAttention-style kernel (scores never written to main memory).
 * GQA/MQA: kv_heads < heads. MLA: head_dim_qk ≠ head_dim_v (and a compressed KV cache, whose
 * bytes are given by `kv_bytes_per_token` when set). Sliding window: only `window` keys per query.
 */
export interface AttentionOp extends OpBase {
  kind: "attention";
  batch: number;
  heads: number;
  kv_heads: number;
  head_dim_qk: number;
  head_dim_v: number;
  seq_q: number;
  seq_kv: number;
  causal: boolean;
  window?: number;
  fused: boolean;
  act_dtype: DType;
  kv_dtype: DType;
  /** Bytes of K and V (or MLA latent) read per cached token, all heads of this layer; overrides the GQA formula. */
  kv_bytes_per_token?: number;
}

/** Row-wise softmax over `rows` rows of length `cols`. */
export interface SoftmaxOp extends OpBase {
  kind: "softmax";
  rows: number;
  cols: number;
  act_dtype: DType;
}

/**
 * LayerNorm or RMSNorm over `rows` rows of `cols` features (2·cols or cols parameters); BatchNorm
 * (inference: per-channel scale and shift, `cols` = channels); GroupNorm (statistics per group of
 * channels, `cols` = channels, `rows` = batch × spatial positions).
 */
export interface NormOp extends OpBase {
  kind: "norm";
  norm: "layernorm" | "rmsnorm" | "batchnorm" | "groupnorm";
  rows: number;
  cols: number;
  act_dtype: DType;
  /** Parameters of the norm (scale, and bias for LayerNorm). */
  params: number;
}

/**
 * Element-wise work over `elements` outputs: activations (gelu, silu, relu), residual adds,
 * gating multiplies, rotary embedding, casts, MoE routing top-k, optimizer updates.
 */
export interface ElementwiseOp extends OpBase {
  kind: "elementwise";
  fn: string;
  elements: number;
  /** Input tensors read per output element (1 for an activation, 2 for an add or gated multiply). */
  inputs: number;
  flops_per_element: number;
  act_dtype: DType;
  /**
   * Storage dtype of the inputs when it differs from the output's `act_dtype`: a cast (autocast's
   * fp32 → fp16 weight copy reads 4 B and writes 2 B per element). Default `act_dtype`.
   */
  input_dtype?: DType;
  /** Parameters held by this op (e.g. a learned scale); usually 0. */
  params?: number;
}

/** Embedding lookup: gathers `tokens` rows of a vocab × dim table (+ learned positions if any). */
export interface EmbeddingOp extends OpBase {
  kind: "embedding";
  tokens: number;
  vocab: number;
  dim: number;
  weight_dtype: DType;
  act_dtype: DType;
  /** Rows of the table counted as parameters here (0 when tied and counted elsewhere). */
  params: number;
}

export interface PoolOp extends OpBase {
  kind: "pool";
  pool: "max" | "avg" | "global_avg";
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  stride: number;
  padding: number;
  act_dtype: DType;
}

/**
 * Collectives; `ep_dispatch` / `ep_combine` are the MoE token exchanges of expert parallelism
 * (DeepEP-style kernels where the library has them, else an all-to-all), sized like all_to_all:
 * bytes = tokens · top_k · hidden · bytes per element per rank.
 */
export type CollectiveKind = "all_reduce" | "reduce_scatter" | "all_gather" | "all_to_all" | "broadcast" | "send_recv" | "ep_dispatch" | "ep_combine";

/** Routing of an expert-parallel exchange: tokens per rank and experts per token. */
export interface MoeRouting {
  tokens: number;
  top_k: number;
}

/** A collective over `ranks` chips of a `bytes` message (per rank, as nccl-tests sizes it). */
export interface CollectiveOp extends OpBase {
  kind: "collective";
  collective: CollectiveKind;
  bytes: number;
  ranks: number;
  /** For ep_dispatch / ep_combine: the routing that sets how many copies of a token cross each link. */
  moe?: MoeRouting;
}

export type Op = GemmOp | Conv2dOp | AttentionOp | SoftmaxOp | NormOp | ElementwiseOp | EmbeddingOp | PoolOp | CollectiveOp;

/**
 * What a block is in the model's structure; pipeline parallelism and the estimators read it, never
 * the block's name (one definition of a layer block: `isLayerBlock` in graph-semantics.ts).
 *
 *   embedding  the input side run once: token / position / patch embeddings (the first pipeline stage)
 *   layer      a transformer layer or residual block, usually repeated: what pipeline stages divide
 *              and what `layers` counts
 *   stage      a block run once in the body that is not a repeated layer: CNN stems and plain
 *              convolution stacks, the down / mid / up blocks and stem of a U-Net
 *   head       the output side run once: final norm, LM head, pooler, classifier (the last pipeline stage)
 */
export type BlockKind = "embedding" | "layer" | "stage" | "head";

/** A group of ops that runs `repeat` times (e.g. a decoder layer × 126). */
export interface Block {
  name: string;
  kind: BlockKind;
  repeat: number;
  ops: Op[];
}

export type WorkloadCategory = "decoder-llm" | "encoder" | "vision-transformer" | "cnn" | "diffusion-unet" | "op";

/**
 * A forward pass as blocks of ops. Parameters are counted per op (weights of GEMMs, convs,
 * norms, embeddings) so the totals are checked against published counts.
 */
export interface WorkloadGraph {
  /** Model id or a description. */
  name: string;
  category: WorkloadCategory;
  blocks: Block[];
  /** Sequences (LLM) or images (CNN) in this pass. */
  batch: number;
  /** New tokens per sequence processed by this pass (prefill: prompt length; decode: 1). */
  tokens_per_sequence?: number;
  /** Parameter count of the whole model (independent of the batch shape). */
  params_total: number;
  /** Parameters touched per token (MoE: top-k experts); equals params_total for dense models. */
  params_active: number;
  /** Input-embedding parameters (token table, learned positions; ViT patch embedding), part of params_total. */
  params_embedding?: number;
  /** What pass this graph is: LLM prefill or decode step, or a plain forward pass (encoders, CNNs). */
  phase?: "prefill" | "decode" | "forward";
  /** Keys attended per sequence, including the new tokens (decoders). */
  context_tokens?: number;
  /** KV-cache bytes per cached token, all layers, at this graph's KV dtype (sliding windows not applied). */
  kv_cache_bytes_per_token?: number;
  /** KV-cache bytes held after this pass for the whole batch, sliding windows applied. */
  kv_cache_bytes?: number;
}
