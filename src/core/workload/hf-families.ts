import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type DecoderInput, estimated, type Json, type Reader } from "./hf-reader.js";

/**
 * The Hugging Face families added for the models people run now (Qwen3, Qwen3-MoE, gpt-oss, Gemma 3,
 * OLMo 2, GLM-4, GLM-4-MoE, Granite, Phi-3, Llama 4): what each adds to the Llama-style decoder the
 * importer has already read (q/k norms, experts, attention sinks, local/global layer patterns,
 * chunked attention), as typed spec fields. What the engine cannot model becomes a warning.
 * Field meanings and defaults follow the transformers config classes of each family.
 */

type At = { file?: string };
type SlidingWindow = NonNullable<DecoderInput["attention"]["sliding_window"]>;

/** Gemma3TextConfig defaults for fields the published text_config leaves out (gemma-3-12b lists only what differs). */
export const GEMMA3_TEXT_DEFAULTS = { vocab_size: 262_208, max_position_embeddings: 131_072 };

/**
 * `layer_types` (["sliding_attention", "full_attention", …]) → the spec's local/global pattern: all
 * local, alternating (layer 0 local), or one global layer every n. A pattern that is not periodic
 * that way is approximated by its share of global layers, with a warning.
 */
export function windowFromLayerTypes(types: unknown[], layers: number, window: number, warnings: Diagnostic[], at: At): SlidingWindow | undefined {
  const local = types.map((t) => t === "sliding_attention" || t === "chunked_attention");
  const n = local.filter(Boolean).length;
  if (types.length !== layers) {
    warnings.push(estimated("layer_types", `${types.length} layer types for ${layers} layers; the local/global pattern is approximated`, at));
  }
  if (n === 0) return undefined;
  if (n === local.length) return { window, layers: "all" };
  for (let every = 2; every <= local.length; every++) {
    if (local.every((l, i) => l === ((i + 1) % every !== 0))) return every === 2 ? { window, layers: "alternating" } : { window, layers: "pattern", global_every: every };
  }
  const every = Math.max(2, Math.round(local.length / (local.length - n)));
  warnings.push(estimated("layer_types", `the local/global layer pattern (${n} local of ${local.length}) is not periodic; counted as one global layer in ${every}`, at));
  return every === 2 ? { window, layers: "alternating" } : { window, layers: "pattern", global_every: every };
}

/** Adds what a newer family has beyond the Llama-style decoder. */
export function addModernFamily(family: string, cfg: Json, r: Reader, spec: DecoderInput, warnings: Diagnostic[], notes: string[], at: At): void {
  switch (family) {
    case "qwen3":
    case "gemma3":
      spec.attention.qk_norm = "per_head";
      break;
    case "qwen3_moe":
      spec.attention.qk_norm = "per_head";
      addQwen3Moe(cfg, r, spec, warnings, at);
      break;
    case "olmo2":
      spec.attention.qk_norm = "all_heads";
      notes.push("OLMo 2 normalises each sub-layer's output before the residual add (post_attention_layernorm, post_feedforward_layernorm); counted as 2 RMSNorms per layer");
      break;
    case "glm4_moe":
      if (r.bool("use_qk_norm", false)) spec.attention.qk_norm = "per_head";
      addGlm4Moe(r, spec);
      break;
    case "gpt_oss":
      addGptOss(cfg, r, spec, warnings, notes, at);
      break;
    case "llama4":
      addLlama4(cfg, r, spec, warnings, notes, at);
      break;
    case "granite": {
      const m = ["embedding_multiplier", "residual_multiplier", "attention_multiplier", "logits_scaling"].filter((k) => typeof cfg[k] === "number").map((k) => `${k} ${String(cfg[k])}`);
      if (m.length) notes.push(`Granite scalar multipliers (${m.join(", ")}) change no shapes or counts`);
      break;
    }
  }
  const partial = r.num("partial_rotary_factor");
  if (partial !== undefined && partial < 1) notes.push(`RoPE on ${partial * 100}% of each head's dimensions (partial_rotary_factor ${partial})`);
}

/** Qwen3-MoE: every layer (or every `decoder_sparse_step`-th) is a top-k MoE without shared experts. */
function addQwen3Moe(cfg: Json, r: Reader, spec: DecoderInput, warnings: Diagnostic[], at: At): void {
  const step = r.int("decoder_sparse_step", 1);
  spec.moe = {
    experts: r.int("num_experts"), top_k: r.int("num_experts_per_tok"), expert_intermediate_size: r.int("moe_intermediate_size"),
    ...(step > 1 ? { layer_step: step } : {}),
  };
  if (Array.isArray(cfg.mlp_only_layers) && cfg.mlp_only_layers.length > 0) {
    warnings.push(estimated("mlp_only_layers", `dense layers ${JSON.stringify(cfg.mlp_only_layers)} are not modelled; counted as MoE layers`, at));
  }
}

/** GLM-4.5 MoE: dense first layers, sigmoid routing with a score-correction bias, shared experts, MTP layers (not counted, as DeepSeek-V3). */
function addGlm4Moe(r: Reader, spec: DecoderInput): void {
  spec.moe = {
    experts: r.int("n_routed_experts"), top_k: r.int("num_experts_per_tok"), shared_experts: r.count("n_shared_experts", 1),
    expert_intermediate_size: r.int("moe_intermediate_size"), first_dense_layers: r.count("first_k_dense_replace", 1),
    router_bias: true, router: "sigmoid, noaux_tc",
  };
  const mtp = r.count("num_nextn_predict_layers", 0);
  if (mtp > 0) spec.mtp = { modules: mtp, counted_in_params_total: false, note: "multi-token-prediction layer(s) shipped in the checkpoint; not used by plain next-token inference" };
}

/**
 * gpt-oss: every layer MoE (experts with biases on gate_up and down, a router with bias), q/k/v/o
 * biases, per-head attention sinks, alternating 128-token sliding window and full attention, and
 * MXFP4 expert weights in the released checkpoint.
 */
function addGptOss(cfg: Json, r: Reader, spec: DecoderInput, warnings: Diagnostic[], notes: string[], at: At): void {
  spec.moe = { experts: r.int("num_local_experts"), top_k: r.int("num_experts_per_tok", r.int("experts_per_token", 4)), expert_intermediate_size: r.int("intermediate_size"), router_bias: true };
  spec.attention.sinks = true;
  warnings.push(estimated("model_type", `attention sinks: ${spec.attention.heads} learned logits per layer are counted as parameters and as one extra logit per softmax row; their effect on which keys matter (and any KV-cache eviction it allows) is not modelled`, at));
  const q = cfg.quantization_config;
  if (typeof q === "object" && q !== null) {
    const method = String((q as Json).quant_method ?? "quantised");
    warnings.push(estimated("quantization_config", `the checkpoint stores the expert weights as ${method} (4-bit values with a shared 8-bit scale per 32) and the rest in bf16; xpusim applies one weight dtype to every matmul, so choose the precision to match (e.g. fp4 weights for the experts' share)`, at));
  }
  if (typeof cfg.swiglu_limit === "number") notes.push(`clamped SwiGLU (swiglu_limit ${cfg.swiglu_limit}, gate·σ(1.702·gate)·(up + 1)), counted as SwiGLU`);
}

/**
 * Llama 4 (text model): MoE with one shared expert and top-1 routing on every `interleave_moe_layer_step`-th
 * layer (dense layers use `intermediate_size_mlp`), and chunked attention on the RoPE layers with
 * every fourth layer (the NoPE layers) global.
 */
function addLlama4(cfg: Json, r: Reader, spec: DecoderInput, warnings: Diagnostic[], notes: string[], at: At): void {
  const step = r.int("interleave_moe_layer_step", 1);
  spec.moe = {
    experts: r.int("num_local_experts"), top_k: r.int("num_experts_per_tok"), shared_experts: 1, expert_intermediate_size: r.int("intermediate_size"),
    ...(step > 1 ? { layer_step: step } : {}),
  };
  if (r.bool("use_qk_norm", false)) notes.push("q/k L2-normalised on the RoPE layers (no weights)");
  if (!r.has("attention_chunk_size")) return;
  const chunk = r.int("attention_chunk_size");
  const noRope = Array.isArray(cfg.no_rope_layers) && cfg.no_rope_layers.length === spec.layers ? cfg.no_rope_layers : undefined;
  // Llama4TextConfig: no_rope_layers[i] = 0 marks a NoPE layer with full attention; default every 4th (nope_layer_interval 4).
  const types = noRope ? noRope.map((v) => (v === 0 ? "full_attention" : "chunked_attention")) : Array.from({ length: spec.layers }, (_, i) => ((i + 1) % 4 === 0 ? "full_attention" : "chunked_attention"));
  const sw = windowFromLayerTypes(types, spec.layers, chunk, warnings, at);
  if (sw) spec.attention.sliding_window = { ...sw, note: `chunked attention: ${chunk}-token aligned chunks, modelled as a ${chunk}-token window` };
  warnings.push(estimated("attention_chunk_size", `chunked attention (each query attends within its aligned ${chunk}-token chunk) is modelled as a ${chunk}-token sliding window: an upper bound on the keys attended and on the KV cache kept`, at));
}

/** The warning of an unknown model_type imported by the common decoder conventions: which fields it read and which it assumed. */
export function guessedDecoderWarning(cfg: Json, at: At): Diagnostic {
  const read = ["hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim", "intermediate_size", "vocab_size", "max_position_embeddings", "tie_word_embeddings", "hidden_act", "attention_bias", "mlp_bias"].filter((k) => cfg[k] !== undefined && cfg[k] !== null);
  const assumed = [
    cfg.num_key_value_heads === undefined ? "num_key_value_heads = num_attention_heads" : "",
    cfg.head_dim === undefined ? "head_dim = hidden_size / num_attention_heads" : "",
    cfg.tie_word_embeddings === undefined ? "tie_word_embeddings = false" : "",
    cfg.hidden_act === undefined ? "hidden_act = silu" : "",
  ].filter(Boolean);
  return {
    code: "W_ESTIMATED", severity: "warning", path: "model_type",
    message: `model_type ${JSON.stringify(cfg.model_type ?? null)} is not a family xpusim knows; imported as a Llama-style dense decoder (pre-RMSNorm, RoPE, gated MLP) guessed from ${read.join(", ")}${assumed.length ? `; assumed ${assumed.join(", ")}` : ""}`,
    got: JSON.stringify(cfg.model_type ?? null),
    hint: "check the parameter count against the model card; if the architecture differs (MoE, extra norms, other attention), write an xpusim model spec instead",
    ...at,
  };
}
