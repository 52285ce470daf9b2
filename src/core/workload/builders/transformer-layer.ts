import type { AttentionSpec, FfnSpec, NormSpec } from "../../spec/model-spec.js";
import { normParams } from "../../spec/norm-params.js";
import { DTYPE_BYTES } from "../../units/dtype.js";
import type { Op } from "../op.js";
import type { Precision } from "../precision.js";
import { actFlops, attention, elementwise, linear, norm, residualAdd } from "./op-factory.js";

/**
 * The ops of one transformer layer, shared by the decoder, encoder and ViT builders: attention
 * (MHA/GQA/MQA, or DeepSeek MLA), a dense FFN or a mixture of experts, norms and residual adds,
 * arranged pre-norm, post-norm (BERT), sandwich (Gemma 2) or parallel (GPT-J/PaLM/Falcon).
 */
export interface LayerContext {
  d: number;
  /** Sequences (or images). */
  batch: number;
  /** Queries per sequence in this pass. */
  seq_q: number;
  /** Keys per sequence (decoders: context incl. the new tokens; encoders: = seq_q). */
  seq_kv: number;
  causal: boolean;
  fused: boolean;
  window?: number;
  rope: boolean;
  /** The K/V live in a KV cache at the cache dtype (decoder inference). */
  kv_cache: boolean;
  /** MLA with the up-projections absorbed into the query and output (decode steps). */
  mla_absorbed: boolean;
  p: Precision;
}

export interface MoeShape {
  experts: number;
  top_k: number;
  shared_experts: number;
  expert_intermediate_size: number;
  shared_expert_intermediate_size: number;
  router_bias: boolean;
}

const gated = (ffn: FfnSpec) => ffn.type === "swiglu" || ffn.type === "geglu";
const actOf = (ffn: FfnSpec) => (ffn.type === "swiglu" ? "silu" : ffn.type === "geglu" || ffn.type === "gelu" ? "gelu" : "relu");

function normOp(name: string, spec: NormSpec, rows: number, cols: number, c: LayerContext): Op {
  return norm(name, spec.type, rows, cols, normParams(spec, cols), c.p);
}

/** Attention sub-layer: projections, RoPE, the attention core and the output projection. */
export function attentionOps(a: AttentionSpec, c: LayerContext): { ops: Op[]; last: string } {
  const { d, p } = c;
  const T = c.batch * c.seq_q;
  const H = a.heads;
  const ops: Op[] = [];
  const core = { batch: c.batch, seq_q: c.seq_q, seq_kv: c.seq_kv, causal: c.causal, fused: c.fused, ...(c.window !== undefined ? { window: c.window } : {}) };

  if (!a.mla) {
    const K = a.kv_heads ?? H;
    const hd = a.head_dim;
    ops.push(linear("attn.qkv_proj", "column_parallel", T, d, (H + 2 * K) * hd, p, { bias: a.qkv_bias }));
    // RoPE rotates q and k: x·cos + rotate(x)·sin = 3 FLOPs per element.
    if (a.qk_norm) {
      // Qwen3 / Gemma 3 normalise each head (head_dim weights); OLMo 2 the whole projection.
      const perHead = a.qk_norm === "per_head";
      ops.push(norm("attn.q_norm", "rmsnorm", perHead ? T * H : T, perHead ? hd : H * hd, perHead ? hd : H * hd, p));
      ops.push(norm("attn.k_norm", "rmsnorm", perHead ? T * K : T, perHead ? hd : K * hd, perHead ? hd : K * hd, p));
    }
    if (c.rope) ops.push(elementwise("attn.rope", "split_elementwise", "rope", T * (H + K) * hd, 1, 3, p, { epilogue_of: "attn.qkv_proj" }));
    ops.push(attention("attn.core", { ...core, heads: H, kv_heads: K, head_dim_qk: hd, head_dim_v: hd }, p, c.kv_cache));
    // gpt-oss sinks: one learned logit per head joins each softmax row (H parameters, ~1 FLOP per row).
    if (a.sinks) ops.push(elementwise("attn.sinks", "pointwise", "sink_logit", c.batch * c.seq_q * H, 1, 1, p, { epilogue_of: "attn.core", params: H }));
    ops.push(linear("attn.o_proj", "row_parallel", T, H * hd, d, p, { bias: a.o_bias }));
    return { ops, last: "attn.o_proj" };
  }

  // DeepSeek MLA (DeepSeek-V2 paper §2.1; V3 config): low-rank query and joint KV compression.
  const { q_lora_rank: qr, kv_lora_rank: kvr, qk_nope_head_dim: nope, qk_rope_head_dim: rope, v_head_dim: v } = a.mla;
  if (qr > 0) {
    ops.push(linear("attn.q_a_proj", "replicated", T, d, qr, p));
    ops.push(norm("attn.q_a_norm", "rmsnorm", T, qr, qr, p));
    ops.push(linear("attn.q_b_proj", "column_parallel", T, qr, H * (nope + rope), p));
  } else {
    ops.push(linear("attn.q_proj", "column_parallel", T, d, H * (nope + rope), p));
  }
  ops.push(linear("attn.kv_a_proj", "replicated", T, d, kvr + rope, p));
  ops.push(norm("attn.kv_a_norm", "rmsnorm", T, kvr, kvr, p));
  if (c.mla_absorbed) {
    // Decode: W_UK folds into the query (q_nope · W_UK per head) and W_UV into the output, so
    // attention runs over the cached latent directly: MQA with one 576-wide key and 512-wide value.
    ops.push(linear("attn.q_absorb", "replicated", c.seq_q * c.batch, nope, kvr, p, { batch: H }));
    ops.push(elementwise("attn.rope", "split_elementwise", "rope", T * (H + 1) * rope, 1, 3, p, { epilogue_of: "attn.kv_a_proj" }));
    const cacheBytes = (kvr + rope) * DTYPE_BYTES[c.kv_cache ? p.kv_cache : p.activations];
    ops.push(attention("attn.core", { ...core, heads: H, kv_heads: 1, head_dim_qk: kvr + rope, head_dim_v: kvr, kv_bytes_per_token: cacheBytes }, p, c.kv_cache));
    ops.push(linear("attn.v_absorb", "replicated", T, kvr, v, p, { batch: H }));
  } else {
    // Prefill: up-project the latent of every attended position, then standard attention with
    // 192-wide q/k heads and 128-wide v heads.
    ops.push(linear("attn.kv_b_proj", "column_parallel", c.batch * c.seq_kv, kvr, H * (nope + v), p));
    ops.push(elementwise("attn.rope", "split_elementwise", "rope", T * (H + 1) * rope, 1, 3, p, { epilogue_of: "attn.kv_a_proj" }));
    ops.push(attention("attn.core", { ...core, heads: H, kv_heads: H, head_dim_qk: nope + rope, head_dim_v: v }, p, c.kv_cache));
  }
  ops.push(linear("attn.o_proj", "row_parallel", T, H * v, d, p, { bias: a.o_bias }));
  return { ops, last: "attn.o_proj" };
}

/** Dense FFN: (gate+)up projection, activation (× gate), down projection. */
export function ffnOps(ffn: FfnSpec, f: number, c: LayerContext, prefix = "mlp", rows = c.batch * c.seq_q): { ops: Op[]; last: string } {
  const { d, p } = c;
  const act = actOf(ffn);
  if (gated(ffn)) {
    return {
      ops: [
        linear(`${prefix}.gate_up_proj`, "column_parallel", rows, d, 2 * f, p, { bias: ffn.bias }),
        elementwise(`${prefix}.act`, "split_elementwise", `${act}*mul`, rows * f, 2, actFlops(act) + 1, p, { epilogue_of: `${prefix}.gate_up_proj` }),
        linear(`${prefix}.down_proj`, "row_parallel", rows, f, d, p, { bias: ffn.bias }),
      ],
      last: `${prefix}.down_proj`,
    };
  }
  return {
    ops: [
      linear(`${prefix}.up_proj`, "column_parallel", rows, d, f, p, { bias: ffn.bias }),
      elementwise(`${prefix}.act`, "split_elementwise", act, rows * f, 1, actFlops(act), p, { epilogue_of: `${prefix}.up_proj` }),
      linear(`${prefix}.down_proj`, "row_parallel", rows, f, d, p, { bias: ffn.bias }),
    ],
    last: `${prefix}.down_proj`,
  };
}

/**
 * Experts that receive tokens and tokens per expert, assuming uniform independent routing: each
 * token picks top_k distinct experts, so an expert stays idle with probability (1 − k/E)^T and the
 * expected number of busy experts is E·(1 − (1 − k/E)^T), rounded up; the T·k routed tokens are
 * spread evenly over them, rounded up. Exact at T = 1 (k experts, one token each) and when every
 * expert is busy. Real routers are skewed; expert-parallel estimators should apply their own factor.
 */
export function moeRouting(tokens: number, experts: number, topK: number): { busy_experts: number; tokens_per_expert: number } {
  const routed = tokens * topK;
  const expected = experts * (1 - Math.pow(1 - topK / experts, tokens));
  const busy = Math.max(1, Math.min(experts, routed, Math.ceil(expected - 1e-9)));
  return { busy_experts: busy, tokens_per_expert: Math.ceil(routed / busy) };
}

/** Mixture of experts: router, top-k, token dispatch, routed experts, shared experts, combine. */
export function moeOps(ffn: FfnSpec, moe: MoeShape, c: LayerContext): { ops: Op[]; last: string } {
  const { d, p } = c;
  const T = c.batch * c.seq_q;
  const E = moe.experts;
  const k = moe.top_k;
  const fe = moe.expert_intermediate_size;
  const { busy_experts: busy, tokens_per_expert: m } = moeRouting(T, E, k);
  const act = actOf(ffn);
  const ops: Op[] = [linear("moe.router", "router", T, d, E, p)];
  if (moe.router_bias) ops.push(elementwise("moe.router_bias", "pointwise", "add", T * E, 1, 1, p, { epilogue_of: "moe.router", params: E }));
  // Scores (softmax or sigmoid) and top-k selection: about 6 operations per expert logit.
  ops.push(elementwise("moe.topk", "pointwise", "score+topk", T * E, 1, 6, p));
  ops.push(elementwise("moe.dispatch", "moe_dispatch", "permute", T * k * d, 1, 0, p));
  if (gated(ffn)) {
    ops.push(linear("moe.experts.gate_up_proj", "expert_column_parallel", m, d, 2 * fe, p, { batch: busy, bias: ffn.bias }));
    ops.push(elementwise("moe.experts.act", "expert_split_elementwise", `${act}*mul`, busy * m * fe, 2, actFlops(act) + 1, p, { epilogue_of: "moe.experts.gate_up_proj" }));
  } else {
    ops.push(linear("moe.experts.up_proj", "expert_column_parallel", m, d, fe, p, { batch: busy, bias: ffn.bias }));
    ops.push(elementwise("moe.experts.act", "expert_split_elementwise", act, busy * m * fe, 1, actFlops(act), p, { epilogue_of: "moe.experts.up_proj" }));
  }
  ops.push(linear("moe.experts.down_proj", "expert_row_parallel", m, fe, d, p, { batch: busy, bias: ffn.bias }));
  if (moe.shared_experts > 0) {
    ops.push(...ffnOps(ffn, moe.shared_experts * moe.shared_expert_intermediate_size, c, "moe.shared").ops);
  }
  // Weighted sum of the k expert outputs (+ the shared expert output): 2 FLOPs per term.
  const terms = k + (moe.shared_experts > 0 ? 1 : 0);
  ops.push(elementwise("moe.combine", "pointwise", "weighted_sum", T * d, terms, 2 * terms - 1, p));
  return { ops, last: "moe.combine" };
}

export interface LayerSpec {
  attention: AttentionSpec;
  ffn: FfnSpec;
  norm: NormSpec;
  parallel: boolean;
  /** Dense FFN width, or the MoE shape. */
  ffn_width: number;
  moe?: MoeShape;
}

/** All ops of one layer in execution order. */
export function layerOps(l: LayerSpec, c: LayerContext): Op[] {
  const T = c.batch * c.seq_q;
  const d = c.d;
  const attn = attentionOps(l.attention, c);
  const mlp = l.moe ? moeOps(l.ffn, l.moe, c) : ffnOps(l.ffn, l.ffn_width, c);
  const n = (name: string) => normOp(name, l.norm, T, d, c);

  if (l.parallel) {
    // One shared input norm (PaLM) or one per branch (Falcon ln_attn / ln_mlp); outputs summed with x.
    const norms = l.norm.per_layer === 1 ? [n("input_norm")] : [n("attn_norm"), n("mlp_norm")];
    return [...norms, ...attn.ops, ...mlp.ops, residualAdd("residual", T * d, c.p, mlp.last, 3)];
  }
  switch (l.norm.placement) {
    case "post":
      return [
        ...attn.ops, residualAdd("attn.residual", T * d, c.p, attn.last), n("attn_norm"),
        ...mlp.ops, residualAdd("mlp.residual", T * d, c.p, mlp.last), n("mlp_norm"),
      ];
    case "sandwich":
      return [
        n("attn_norm"), ...attn.ops, n("post_attn_norm"), residualAdd("attn.residual", T * d, c.p, "post_attn_norm"),
        n("mlp_norm"), ...mlp.ops, n("post_mlp_norm"), residualAdd("mlp.residual", T * d, c.p, "post_mlp_norm"),
      ];
    case "pre":
      return [
        n("attn_norm"), ...attn.ops, residualAdd("attn.residual", T * d, c.p, attn.last),
        n("mlp_norm"), ...mlp.ops, residualAdd("mlp.residual", T * d, c.p, mlp.last),
      ];
  }
}
