import type { DecoderSpec, EncoderSpec, FfnSpec, ModelSpec, VitSpec } from "../spec/model-spec.js";
import { normParams } from "../spec/norm-params.js";
import { buildCnnBlocks } from "./builders/cnn.js";
import { buildUnetBlocks } from "./builders/unet.js";
import { vitTokens } from "./builders/vit.js";
import { decoderLayerGroups } from "./layer-groups.js";
import { opParams } from "./op-metrics.js";
import type { Block } from "./op.js";
import { DEFAULT_PRECISION } from "./precision.js";

/**
 * Parameter counts recomputed from a model spec in closed form (models.md §10): the formulas are
 * written out here independently of the graph builders, and tests check both against the published
 * exact counts. CNNs and the UNet have no closed form: their counts come from walking the layer list.
 *
 * Conventions (models.md §1): every stored tensor of the released inference model counts once
 * (the LM head once if tied), BatchNorm running statistics and RoPE buffers do not. Active = touched
 * by one token (MoE: router, shared experts and top-k routed experts).
 */
export interface ModelParams {
  params_total: number;
  params_active: number;
  /** Input embedding: token table + learned positions (BERT: + segment table + embedding LayerNorm; ViT: patch conv + class token + positions). */
  params_embedding: number;
  /** An untied LM head or a classifier head (0 when tied). */
  params_lm_head_untied: number;
  /** params_total − params_embedding − params_lm_head_untied (Kaplan et al. 2020's N). */
  params_non_embedding: number;
  /** Multi-token-prediction modules (in params_total only when the spec says they are counted). */
  params_mtp: number;
}

/** Attention parameters of one layer. MLA: models.md §10.7 (DeepSeek-V3 = 187,107,328). */
function attentionParams(spec: DecoderSpec | EncoderSpec | VitSpec): number {
  const d = spec.hidden_size;
  const a = spec.attention;
  const H = a.heads;
  const oBias = a.o_bias ? d : 0;
  if (a.mla) {
    const { q_lora_rank: qr, kv_lora_rank: kvr, qk_nope_head_dim: nope, qk_rope_head_dim: rope, v_head_dim: v } = a.mla;
    const q = qr > 0 ? d * qr + qr + qr * H * (nope + rope) : d * H * (nope + rope);
    const kv = d * (kvr + rope) + kvr + kvr * H * (nope + v);
    return q + kv + H * v * d + oBias;
  }
  const K = a.kv_heads ?? H;
  const hd = a.head_dim;
  const qkvBias = a.qkv_bias ? (H + 2 * K) * hd : 0;
  return d * H * hd + 2 * d * K * hd + H * hd * d + qkvBias + oBias + qkNormParams(a) + (a.sinks ? H : 0);
}

/** q/k RMSNorm weights: head_dim each per head-shared norm (Qwen3, Gemma 3), H·hd + K·hd over all heads (OLMo 2). */
export function qkNormParams(a: DecoderSpec["attention"]): number {
  if (!a.qk_norm || a.mla) return 0;
  return a.qk_norm === "per_head" ? 2 * a.head_dim : (a.heads + (a.kv_heads ?? a.heads)) * a.head_dim;
}

/** One FFN of width f: 3 matrices when gated (SwiGLU/GeGLU), else 2; biases on each. */
function ffnParams(d: number, f: number, ffn: FfnSpec): number {
  const gated = ffn.type === "swiglu" || ffn.type === "geglu";
  const weights = (gated ? 3 : 2) * d * f;
  const bias = ffn.bias ? (gated ? 2 * f : f) + d : 0;
  return weights + bias;
}

function decoderParams(spec: DecoderSpec): ModelParams {
  const d = spec.hidden_size;
  const V = spec.vocab_size;
  const attn = attentionParams(spec);
  const norms = spec.norm.per_layer * normParams(spec.norm, d);
  const dense = attn + ffnParams(d, spec.ffn.intermediate_size, spec.ffn) + norms;

  let moeTotal = 0;
  let moeActive = 0;
  const moe = spec.moe;
  if (moe) {
    const expert = ffnParams(d, moe.expert_intermediate_size, spec.ffn);
    const shared = moe.shared_experts * ffnParams(d, moe.shared_expert_intermediate_size ?? moe.expert_intermediate_size, spec.ffn);
    const router = d * moe.experts + (moe.router_bias ? moe.experts : 0);
    moeTotal = attn + norms + moe.experts * expert + shared + router;
    moeActive = attn + norms + moe.top_k * expert + shared + router;
  }

  let layersTotal = 0;
  let layersActive = 0;
  for (const g of decoderLayerGroups(spec)) {
    layersTotal += g.layers * (g.moe ? moeTotal : dense);
    layersActive += g.layers * (g.moe ? moeActive : dense);
  }

  const tokenEmbedding = V * d;
  const positions = spec.position.type === "learned" ? (spec.position.learned_rows ?? spec.max_context) * d : 0;
  const embeddingNorm = spec.embedding_norm ? normParams(spec.norm, d) : 0;
  const head = spec.tied_embeddings ? 0 : V * d;
  const finalNorm = spec.norm.final ? normParams(spec.norm, d) : 0;
  const shell = tokenEmbedding + positions + embeddingNorm + head + finalNorm;

  // DeepSeek-V3 MTP module: one more layer (MoE if the model has MoE), the eh_proj (2d → d) and
  // three RMSNorms (enorm, hnorm, the head's norm); embedding and head shared with the main model
  // (README_WEIGHTS: 11.5B unique; models.md computes 11,610,068,224).
  const mtp = spec.mtp ? spec.mtp.modules * ((moe ? moeTotal : dense) + 2 * d * d + 3 * d) : 0;
  const mtpCounted = spec.mtp?.counted_in_params_total ? mtp : 0;

  const total = layersTotal + shell + mtpCounted;
  const active = layersActive + shell + mtpCounted;
  return {
    params_total: total,
    params_active: active,
    params_embedding: tokenEmbedding + positions + embeddingNorm,
    params_lm_head_untied: head,
    params_non_embedding: total - tokenEmbedding - positions - embeddingNorm - head,
    params_mtp: mtp,
  };
}

function encoderParams(spec: EncoderSpec): ModelParams {
  const d = spec.hidden_size;
  const layer = attentionParams(spec) + ffnParams(d, spec.ffn.intermediate_size, spec.ffn) + spec.norm.per_layer * normParams(spec.norm, d);
  const positions = spec.position.type === "learned" ? (spec.position.learned_rows ?? spec.max_context) * d : 0;
  const embedding = spec.vocab_size * d + positions + spec.type_vocab_size * d + (spec.embedding_norm ? normParams(spec.norm, d) : 0);
  const pooler = spec.pooler ? d * d + d : 0;
  const finalNorm = spec.norm.final ? normParams(spec.norm, d) : 0;
  const total = embedding + spec.layers * layer + finalNorm + pooler;
  return { params_total: total, params_active: total, params_embedding: embedding, params_lm_head_untied: 0, params_non_embedding: total - embedding, params_mtp: 0 };
}

function vitParams(spec: VitSpec): ModelParams {
  const d = spec.hidden_size;
  const layer = attentionParams(spec) + ffnParams(d, spec.ffn.intermediate_size, spec.ffn) + spec.norm.per_layer * normParams(spec.norm, d);
  const patch = spec.channels * spec.patch_size * spec.patch_size * d + d;
  const embedding = patch + (spec.class_token ? d : 0) + vitTokens(spec) * d;
  const finalNorm = spec.norm.final ? normParams(spec.norm, d) : 0;
  const head = spec.num_classes > 0 ? d * spec.num_classes + spec.num_classes : 0;
  const total = embedding + spec.layers * layer + finalNorm + head;
  return { params_total: total, params_active: total, params_embedding: embedding, params_lm_head_untied: head, params_non_embedding: total - embedding - head, params_mtp: 0 };
}

function sumParams(blocks: Block[]): number {
  let n = 0;
  for (const b of blocks) for (const op of b.ops) n += b.repeat * opParams(op);
  return n;
}

/** Parameter counts of a model, recomputed from its spec. */
export function modelParams(model: ModelSpec): ModelParams {
  switch (model.category) {
    case "decoder-llm":
      return decoderParams(model);
    case "encoder":
      return encoderParams(model);
    case "vision-transformer":
      return vitParams(model);
    case "cnn":
    case "diffusion-unet": {
      const blocks = model.category === "cnn" ? buildCnnBlocks(model, 1, model.input.image_size, DEFAULT_PRECISION) : buildUnetBlocks(model, 1, model.sample_size, DEFAULT_PRECISION);
      const total = sumParams(blocks);
      return { params_total: total, params_active: total, params_embedding: 0, params_lm_head_untied: 0, params_non_embedding: total, params_mtp: 0 };
    }
  }
}

/**
 * Forward FLOPs per token of the weight matmuls, models.md §1 convention: 2 × (active
 * non-embedding parameters + V·d for the output projection, tied or not). Norm and bias parameters
 * count 2 FLOPs each, as in the reference table. For GPT models this plus the attention term is
 * Narayanan et al. 2021's forward cost 24·l·h²·(1 + s/6h + V/12lh) per token, which leaves out
 * biases and LayerNorms (26·l·h + 4·h FLOPs). Encoders: 2 × the per-token layer parameters
 * (the pooler runs on one token per sequence and is left out). Undefined for image models.
 */
export function flopsPerTokenForwardLinear(model: ModelSpec): number | undefined {
  if (model.category === "decoder-llm") {
    const p = modelParams(model);
    return 2 * (p.params_active - p.params_embedding - p.params_lm_head_untied + model.vocab_size * model.hidden_size);
  }
  if (model.category === "encoder") {
    const p = modelParams(model);
    return 2 * (p.params_non_embedding - (model.pooler ? model.hidden_size * model.hidden_size + model.hidden_size : 0));
  }
  return undefined;
}

/**
 * Attention FLOPs per token per attended position (QKᵀ and A·V): 2 · L · H · (d_qk + d_v), i.e.
 * 4·L·H·d_head for standard attention and 2·L·H·(192 + 128) for DeepSeek MLA (models.md §1).
 */
export function attentionFlopsPerContextToken(model: ModelSpec): number | undefined {
  if (model.category !== "decoder-llm" && model.category !== "encoder" && model.category !== "vision-transformer") return undefined;
  const a = model.attention;
  const dqk = a.mla ? a.mla.qk_nope_head_dim + a.mla.qk_rope_head_dim : a.head_dim;
  const dv = a.mla ? a.mla.v_head_dim : a.head_dim;
  return 2 * model.layers * a.heads * (dqk + dv);
}
