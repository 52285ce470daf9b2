import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";
import { addModernFamily, GEMMA3_TEXT_DEFAULTS, guessedDecoderWarning, windowFromLayerTypes } from "./hf-families.js";
import { type DecoderInput, estimated, hfAct, type Json, Reader } from "./hf-reader.js";
import { type ModelSpec, type ModelSpecInput, parseModelSpec } from "../spec/model-spec.js";

/**
 * Hugging Face `config.json` → model spec, for the families whose architecture the builders know:
 * llama, mistral (and ministral), mixtral, qwen2, qwen3, qwen3_moe, gemma2, gemma3, phi3, granite,
 * olmo2, glm4, glm4_moe, gpt_oss, llama4, mistral3, deepseek_v3, gpt2, bert, vit (found by
 * `model_type`, else by `architectures`). Multimodal checkpoints (gemma3, llama4, mistral3) import
 * their language model from `text_config`, with a warning that the vision tower is not counted.
 * Any other `model_type` whose fields follow the common decoder conventions (hidden_size,
 * num_hidden_layers, num_attention_heads, intermediate_size, vocab_size) imports as a Llama-style
 * dense decoder with a W_GUESSED warning naming the fields it read and the defaults it assumed.
 * Pure: takes the parsed JSON, returns the spec and warnings.
 *
 * Every top-level field is either read, known-and-irrelevant to cost (dropout rates, token ids,
 * init ranges, epsilons: ignored on purpose, listed below), or reported as a W_UNKNOWN_FIELD
 * warning so nothing that might change the architecture passes silently. Missing required fields
 * are errors naming the field and what it means. Family defaults are those of the transformers
 * config classes (e.g. LlamaConfig: num_key_value_heads = num_attention_heads, untied head).
 */

export const HF_FAMILIES = [
  "llama", "mistral", "mixtral", "qwen2", "qwen3", "qwen3_moe", "gemma2", "gemma3", "phi3", "granite", "olmo2",
  "glm4", "glm4_moe", "gpt_oss", "llama4", "mistral3", "deepseek_v3", "gpt2", "bert", "vit",
] as const;
/** A known family, or `decoder` for an unknown model_type imported by the common decoder conventions. */
export type HfFamily = (typeof HF_FAMILIES)[number] | "decoder";

/** model_type spellings of the same family (text-only configs of multimodal models, renamed types). */
const MODEL_TYPE_ALIASES: Record<string, HfFamily> = { gemma3_text: "gemma3", llama4_text: "llama4", ministral: "mistral" };

const ARCHITECTURE_FAMILY: Record<string, HfFamily> = {
  LlamaForCausalLM: "llama", LlamaModel: "llama",
  MistralForCausalLM: "mistral", MistralModel: "mistral",
  MixtralForCausalLM: "mixtral", MixtralModel: "mixtral",
  Qwen2ForCausalLM: "qwen2", Qwen2Model: "qwen2",
  Gemma2ForCausalLM: "gemma2", Gemma2Model: "gemma2",
  Qwen3ForCausalLM: "qwen3", Qwen3MoeForCausalLM: "qwen3_moe",
  Gemma3ForCausalLM: "gemma3", Gemma3ForConditionalGeneration: "gemma3",
  Phi3ForCausalLM: "phi3", GraniteForCausalLM: "granite", Olmo2ForCausalLM: "olmo2",
  Glm4ForCausalLM: "glm4", Glm4MoeForCausalLM: "glm4_moe", GptOssForCausalLM: "gpt_oss",
  Llama4ForConditionalGeneration: "llama4", Llama4ForCausalLM: "llama4",
  Mistral3ForConditionalGeneration: "mistral3", MinistralForCausalLM: "mistral",
  DeepseekV3ForCausalLM: "deepseek_v3", DeepseekV3Model: "deepseek_v3",
  GPT2LMHeadModel: "gpt2", GPT2Model: "gpt2",
  BertModel: "bert", BertForMaskedLM: "bert", BertForPreTraining: "bert", BertForSequenceClassification: "bert",
  ViTModel: "vit", ViTForImageClassification: "vit",
};

/**
 * Fields of transformers' PretrainedConfig and of these families that do not change the shapes or
 * counts xpusim computes: ignored without a warning.
 */
const IGNORED = new Set([
  "_name_or_path", "architectures", "model_type", "torch_dtype", "dtype", "transformers_version", "auto_map",
  "bos_token_id", "eos_token_id", "pad_token_id", "sep_token_id", "decoder_start_token_id", "cls_token_id", "mask_token_id",
  "initializer_range", "initializer_factor", "use_cache", "return_dict", "output_attentions", "output_hidden_states",
  "torchscript", "tie_encoder_decoder", "is_decoder", "is_encoder_decoder", "add_cross_attention", "chunk_size_feed_forward",
  "pruned_heads", "problem_type", "finetuning_task", "tokenizer_class", "prefix", "task_specific_params",
  "gradient_checkpointing", "use_return_dict",
  // dropout and numerical constants
  "attention_dropout", "hidden_dropout", "hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout",
  "resid_pdrop", "embd_pdrop", "attn_pdrop", "summary_first_dropout",
  "rms_norm_eps", "layer_norm_eps", "layer_norm_epsilon",
  // generation-time or training-time settings
  "pretraining_tp", "output_router_logits", "router_aux_loss_coef", "router_jitter_noise", "aux_loss_alpha", "seq_aux",
  "ep_size", "cache_implementation", "scale_attn_weights", "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn",
  "summary_type", "summary_use_proj", "summary_activation", "summary_proj_to_labels",
  "id2label", "label2id", "num_labels", "encoder_stride",
  // numerics of attention and routing that change neither shapes nor FLOP counts (kept in notes)
  "attn_logit_softcapping", "final_logit_softcapping", "query_pre_attn_scalar",
  "n_group", "topk_group", "routed_scaling_factor", "norm_topk_prob", "scoring_func",
  "rope_theta", "rope_scaling", "position_embedding_type", "use_mrope", "sliding_window_size",
  "original_max_position_embeddings",
]);

/** Top-level fields of a multimodal wrapper config whose language model is in `text_config`. */
const MULTIMODAL_WRAPPER = new Set([
  "text_config", "vision_config", "image_token_index", "image_token_id", "boi_token_index", "eoi_token_index", "mm_tokens_per_image",
  "projector_hidden_act", "multimodal_projector_bias", "spatial_merge_size", "vision_feature_layer", "vision_feature_select_strategy",
]);

/** Fields each family reads (beyond IGNORED). */
const LLAMA_LIKE = [
  "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
  "vocab_size", "max_position_embeddings", "tie_word_embeddings", "attention_bias", "mlp_bias", "hidden_act",
];
const QWEN3 = [...LLAMA_LIKE, "sliding_window", "use_sliding_window", "max_window_layers", "layer_types"];
const READS: Record<HfFamily, readonly string[]> = {
  llama: LLAMA_LIKE,
  mistral: [...LLAMA_LIKE, "sliding_window", "layer_types"],
  mistral3: [...LLAMA_LIKE, "sliding_window", "layer_types"],
  qwen3: QWEN3,
  qwen3_moe: [...QWEN3, "num_experts", "num_experts_per_tok", "moe_intermediate_size", "decoder_sparse_step", "mlp_only_layers"],
  gemma3: [...LLAMA_LIKE, "sliding_window", "sliding_window_pattern", "layer_types", "hidden_activation", "rope_local_base_freq"],
  phi3: [...LLAMA_LIKE, "sliding_window", "partial_rotary_factor"],
  granite: [...LLAMA_LIKE, "embedding_multiplier", "logits_scaling", "residual_multiplier", "attention_multiplier"],
  olmo2: LLAMA_LIKE,
  glm4: [...LLAMA_LIKE, "partial_rotary_factor"],
  glm4_moe: [
    ...LLAMA_LIKE, "partial_rotary_factor", "use_qk_norm", "n_routed_experts", "n_shared_experts", "num_experts_per_tok",
    "moe_intermediate_size", "first_k_dense_replace", "num_nextn_predict_layers",
  ],
  gpt_oss: [...LLAMA_LIKE, "sliding_window", "layer_types", "num_local_experts", "num_experts_per_tok", "experts_per_token", "swiglu_limit", "initial_context_length", "quantization_config"],
  llama4: [
    ...LLAMA_LIKE, "attention_chunk_size", "no_rope_layers", "interleave_moe_layer_step", "moe_layers", "intermediate_size_mlp", "num_local_experts",
    "num_experts_per_tok", "use_qk_norm", "layer_types", "attn_temperature_tuning", "attn_scale", "floor_scale", "for_llm_compressor",
  ],
  decoder: LLAMA_LIKE,
  mixtral: [...LLAMA_LIKE, "sliding_window", "num_local_experts", "num_experts_per_tok"],
  qwen2: [...LLAMA_LIKE, "sliding_window", "use_sliding_window", "max_window_layers"],
  gemma2: [...LLAMA_LIKE, "sliding_window", "hidden_activation"],
  deepseek_v3: [
    ...LLAMA_LIKE, "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim",
    "n_routed_experts", "n_shared_experts", "num_experts_per_tok", "moe_intermediate_size", "first_k_dense_replace",
    "moe_layer_freq", "topk_method", "num_nextn_predict_layers", "quantization_config",
  ],
  gpt2: ["n_embd", "n_layer", "n_head", "n_positions", "n_ctx", "n_inner", "vocab_size", "activation_function", "tie_word_embeddings"],
  bert: ["hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act", "max_position_embeddings", "type_vocab_size", "vocab_size"],
  vit: ["hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act", "image_size", "patch_size", "num_channels", "qkv_bias"],
};

export interface HfImportOptions {
  /** Model id for the spec (default: from `_name_or_path`, else the family). */
  id?: string;
  name?: string;
  /** The config's path, named in diagnostics and in the spec's sources. */
  file?: string;
}

export interface HfImportResult {
  spec: ModelSpec;
  warnings: Diagnostic[];
  family: HfFamily;
}


/** True for a parsed document that looks like a Hugging Face config rather than an xpusim spec. */
export function isHfConfig(raw: unknown): raw is Json {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return false;
  const o = raw as Json;
  return o.category === undefined && (typeof o.model_type === "string" || Array.isArray(o.architectures));
}

function familyOf(cfg: Json, file?: string): HfFamily {
  const mt = cfg.model_type;
  if (typeof mt === "string" && (HF_FAMILIES as readonly string[]).includes(mt)) return mt as HfFamily;
  if (typeof mt === "string" && MODEL_TYPE_ALIASES[mt]) return MODEL_TYPE_ALIASES[mt]!;
  if (Array.isArray(cfg.architectures)) {
    for (const a of cfg.architectures) if (typeof a === "string" && ARCHITECTURE_FAMILY[a]) return ARCHITECTURE_FAMILY[a]!;
  }
  if (followsDecoderConventions(cfg)) return "decoder";
  throw new XpusimError(
    error("E_UNSUPPORTED", typeof mt === "string" ? "model_type" : "architectures", `xpusim cannot import this Hugging Face model family`, {
      got: typeof mt === "string" ? mt : JSON.stringify(cfg.architectures ?? null),
      expected: `model_type one of ${HF_FAMILIES.join(", ")}, or a decoder config with ${DECODER_CONVENTION.join(", ")}`,
      hint: "write an xpusim model spec instead (see catalog/models/ for examples, e.g. llama-3.1-8b.yaml)",
      ...(file ? { file } : {}),
    }),
  );
}

/** The fields by which an unknown model_type is recognised as a standard decoder (the rest are read or defaulted). */
const DECODER_CONVENTION = ["hidden_size", "num_hidden_layers", "num_attention_heads"];

function followsDecoderConventions(cfg: Json): boolean {
  if (cfg.is_encoder_decoder === true || cfg.text_config !== undefined) return false;
  return DECODER_CONVENTION.every((k) => typeof cfg[k] === "number");
}

function slug(s: string): string {
  const out = s.toLowerCase().replace(/^.*\//, "").replace(/[^a-z0-9.\-]+/g, "-").replace(/^[^a-z0-9]+/, "").replace(/-+$/, "");
  return out || "hf-model";
}

function ropeNote(cfg: Json): string | undefined {
  const rs = cfg.rope_scaling;
  if (typeof rs !== "object" || rs === null) return undefined;
  const o = rs as Json;
  const type = o.rope_type ?? o.type;
  const rest = Object.entries(o)
    .filter(([k]) => k !== "rope_type" && k !== "type")
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
  return `${String(type ?? "scaled")} (${rest})`;
}

/** Imports a parsed Hugging Face config.json. Throws XpusimError listing every missing or bad field. */
export function importHfConfig(config: unknown, opts: HfImportOptions = {}): HfImportResult {
  const file = opts.file;
  const at = file ? { file } : {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new XpusimError(error("E_SCHEMA", "", "a Hugging Face config must be a JSON object", at));
  }
  const outer = config as Json;
  const family = familyOf(outer, file);
  const wrapped = typeof outer.text_config === "object" && outer.text_config !== null && !Array.isArray(outer.text_config);
  // Multimodal checkpoints: the language model's fields live in text_config (model_type gemma3_text, llama4_text, mistral).
  const cfg: Json = wrapped ? { _name_or_path: outer._name_or_path, architectures: outer.architectures, ...(outer.text_config as Json) } : outer;
  const r = new Reader(cfg, family, file);
  const warnings: Diagnostic[] = unknownFieldWarnings(cfg, family, at, wrapped ? "text_config." : "");
  if (wrapped) {
    warnings.push(...unknownFieldWarnings(outer, family, at, "", MULTIMODAL_WRAPPER));
    warnings.push(estimated("vision_config", "only the language model (text_config) is imported: the vision encoder and projector are not counted in parameters or FLOPs", at));
  }
  const notes: string[] = [];
  const common = commonFields(cfg, family, opts);
  let input: ModelSpecInput;
  switch (family) {
    case "gpt2":
      input = decoderFromGpt2(r, warnings, common, at);
      break;
    case "bert":
      input = encoderFromBert(r, warnings, notes, common, at);
      break;
    case "vit":
      input = visionFromVit(cfg, r, notes, common);
      break;
    default:
      input = decoderFromLlamaLike(family, cfg, r, warnings, notes, common, at);
  }
  if (r.errors.length) throw new XpusimError(r.errors);
  addRopeSettings(input, cfg);
  if (notes.length) input.notes = notes.join("; ");
  return { spec: parseModelSpec(input, file), warnings, family };
}

/** A warning for every top-level key the family's importer neither reads nor knows to be irrelevant. */
function unknownFieldWarnings(cfg: Json, family: HfFamily, at: { file?: string }, prefix = "", extraKnown: ReadonlySet<string> = new Set()): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const known = new Set(READS[family]);
  for (const key of Object.keys(cfg)) {
    if (IGNORED.has(key) || known.has(key) || extraKnown.has(key)) continue;
    warnings.push({
      code: "W_UNKNOWN_FIELD", severity: "warning", path: prefix + key, message: `field "${prefix + key}" is not understood by the ${family} importer and was ignored`,
      got: JSON.stringify(cfg[key])?.slice(0, 80) ?? "undefined",
      hint: "if it changes the architecture (extra layers, different shapes), the imported counts will be wrong; write an xpusim model spec instead",
      ...at,
    });
  }
  return warnings;
}

/** Id, name, family and source of the imported spec (from the options, `_name_or_path` or the architecture). */
function commonFields(cfg: Json, family: HfFamily, opts: HfImportOptions): Common {
  const file = opts.file;
  const nameOrPath = typeof cfg._name_or_path === "string" && cfg._name_or_path ? cfg._name_or_path : undefined;
  const id = opts.id ? slug(opts.id) : nameOrPath ? slug(nameOrPath) : family.replace(/_/g, "-");
  const arch = Array.isArray(cfg.architectures) && typeof cfg.architectures[0] === "string" ? cfg.architectures[0] : family;
  return {
    id,
    name: opts.name ?? nameOrPath ?? `${arch} (imported)`,
    family,
    sources: [{ kind: "hf-config" as const, ref: file ?? nameOrPath ?? "config.json", note: "imported by xpusim from a Hugging Face config.json" }],
  };
}

function decoderFromGpt2(r: Reader, warnings: Diagnostic[], common: Common, at: { file?: string }): ModelSpecInput {
  const d = r.int("n_embd");
  const heads = r.int("n_head");
  const act = r.str("activation_function") ?? "gelu_new";
  if (!/^gelu/.test(act) && act !== "relu") warnings.push(estimated("activation_function", `activation "${act}" counted as GELU`, at));
  const input: ModelSpecInput = {
    ...common, category: "decoder-llm",
    layers: r.int("n_layer"), hidden_size: d, vocab_size: r.int("vocab_size"), max_context: r.int("n_positions", r.int("n_ctx", 1024)),
    tied_embeddings: r.bool("tie_word_embeddings", true),
    position: { type: "learned", learned_rows: r.int("n_positions", r.int("n_ctx", 1024)) },
    attention: { heads, kv_heads: heads, head_dim: Math.floor(d / heads), qkv_bias: true, o_bias: true },
    ffn: { type: act === "relu" ? "relu" : "gelu", intermediate_size: r.int("n_inner", 4 * d), bias: true },
    norm: { type: "layernorm", placement: "pre", per_layer: 2, final: true },
  };
  if (d % heads !== 0) r.errors.push(error("E_SCHEMA", "n_head", `n_embd (${d}) is not a multiple of n_head (${heads})`, at));
  return input;
}

function encoderFromBert(r: Reader, warnings: Diagnostic[], notes: string[], common: Common, at: { file?: string }): ModelSpecInput {
  const d = r.int("hidden_size");
  const heads = r.int("num_attention_heads");
  if (r.str("position_embedding_type") && r.str("position_embedding_type") !== "absolute") {
    warnings.push(estimated("position_embedding_type", `position_embedding_type "${r.str("position_embedding_type")}" modelled as absolute`, at));
  }
  notes.push("BertModel (encoder + pooler); pre-training heads (MLM/NSP) and task heads are not counted");
  return {
    ...common, category: "encoder",
    layers: r.int("num_hidden_layers"), hidden_size: d, vocab_size: r.int("vocab_size"), max_context: r.int("max_position_embeddings"),
    type_vocab_size: r.count("type_vocab_size", 2),
    position: { type: "learned", learned_rows: r.int("max_position_embeddings") },
    attention: { heads, kv_heads: heads, head_dim: Math.floor(d / heads), qkv_bias: true, o_bias: true },
    ffn: { type: hfAct(r.str("hidden_act") ?? "gelu") === "relu" ? "relu" : "gelu", intermediate_size: r.int("intermediate_size"), bias: true },
    norm: { type: "layernorm", placement: "post", per_layer: 2, final: false },
    embedding_norm: true,
    pooler: true,
  };
}

function visionFromVit(cfg: Json, r: Reader, notes: string[], common: Common): ModelSpecInput {
  const d = r.int("hidden_size");
  const heads = r.int("num_attention_heads");
  const classifier = Array.isArray(cfg.architectures) && cfg.architectures.includes("ViTForImageClassification");
  const labels = typeof cfg.id2label === "object" && cfg.id2label !== null ? Object.keys(cfg.id2label).length : r.count("num_labels", 0);
  if (!classifier) notes.push("no classification head counted (architectures is not ViTForImageClassification); ViTModel's pooler is not counted either");
  return {
    ...common, category: "vision-transformer",
    image_size: r.int("image_size", 224), patch_size: r.int("patch_size", 16), channels: r.int("num_channels", 3),
    layers: r.int("num_hidden_layers"), hidden_size: d,
    attention: { heads, kv_heads: heads, head_dim: Math.floor(d / heads), qkv_bias: r.bool("qkv_bias", true), o_bias: true },
    ffn: { type: "gelu", intermediate_size: r.int("intermediate_size"), bias: true },
    norm: { type: "layernorm", placement: "pre", per_layer: 2, final: true },
    class_token: true,
    num_classes: classifier ? labels : 0,
  };
}

/** RoPE scaling and theta from the config, on models whose position encoding is rotary. */
function addRopeSettings(input: ModelSpecInput, cfg: Json): void {
  const rope = ropeNote(cfg);
  if (rope && "position" in input) input.position = { ...input.position, scaling: rope };
  const theta = typeof cfg.rope_theta === "number" ? cfg.rope_theta : undefined;
  if (theta && "position" in input && input.position.type === "rope") input.position = { ...input.position, rope_theta: theta };
}

type Common = { id: string; name: string; family: string; sources: { kind: "hf-config"; ref: string; note: string }[] };

/** The dense FFN's width: Llama 4 keeps intermediate_size for its experts and gives dense layers intermediate_size_mlp. */
function denseFfnSize(family: HfFamily, r: Reader): number {
  return family === "llama4" ? r.int("intermediate_size_mlp", r.int("intermediate_size")) : r.int("intermediate_size");
}

/** Families whose layers carry four RMSNorms (before and after attention and MLP). */
const SANDWICH_NORMS: ReadonlySet<HfFamily> = new Set(["gemma2", "gemma3", "glm4"]);
/** Families whose attention_bias covers q/k/v only (o_proj has none); qwen2 has q/k/v bias always. */
const QKV_ONLY_BIAS: ReadonlySet<HfFamily> = new Set(["glm4", "glm4_moe"]);

function decoderFromLlamaLike(family: HfFamily, cfg: Json, r: Reader, warnings: Diagnostic[], notes: string[], common: Common, at: { file?: string }): ModelSpecInput {
  const gemma = family === "gemma2" || family === "gemma3";
  const defaults: { vocab_size?: number; max_position_embeddings?: number } = family === "gemma3" ? GEMMA3_TEXT_DEFAULTS : {};
  const d = r.int("hidden_size");
  const heads = r.int("num_attention_heads");
  const layers = r.int("num_hidden_layers");
  const kvHeads = r.int("num_key_value_heads", heads);
  const act = hfAct(r.str(gemma ? "hidden_activation" : "hidden_act") ?? r.str("hidden_act") ?? (gemma ? "gelu_pytorch_tanh" : "silu"));
  const headDim = r.int("head_dim", gemma ? 256 : Math.floor(d / heads));
  const attnBias = r.bool("attention_bias", family === "gpt_oss");

  const spec: DecoderInput = {
    ...common, category: "decoder-llm",
    layers, hidden_size: d, vocab_size: r.int("vocab_size", defaults.vocab_size), max_context: r.int("max_position_embeddings", defaults.max_position_embeddings),
    tied_embeddings: r.bool("tie_word_embeddings", gemma),
    position: { type: "rope" },
    attention: {
      heads, kv_heads: kvHeads, head_dim: headDim,
      qkv_bias: family === "qwen2" ? true : attnBias,
      o_bias: QKV_ONLY_BIAS.has(family) ? false : attnBias,
    },
    ffn: { type: act === "gelu" ? "geglu" : "swiglu", intermediate_size: denseFfnSize(family, r), bias: r.bool("mlp_bias", family === "gpt_oss") },
    norm: SANDWICH_NORMS.has(family) ? { type: "rmsnorm", placement: "sandwich", per_layer: 4, final: true } : { type: "rmsnorm", placement: family === "olmo2" ? "post" : "pre", per_layer: 2, final: true },
  };
  if (act === "relu") warnings.push(estimated("hidden_act", "a ReLU gated MLP is counted like SwiGLU (same shapes)", at));

  addSlidingWindow(family, cfg, r, spec, warnings, at);
  addModernFamily(family, cfg, r, spec, warnings, notes, at);

  if (family === "mixtral") {
    spec.moe = { experts: r.int("num_local_experts"), top_k: r.int("num_experts_per_tok"), expert_intermediate_size: r.int("intermediate_size") };
  }

  if (family === "deepseek_v3") addDeepseekV3(cfg, r, spec, attnBias, warnings, notes, at);
  if (family === "decoder") warnings.push(guessedDecoderWarning(cfg, at));
  return spec;
}

/** Sliding-window attention: Mistral/Mixtral on every layer, Gemma 2 on alternating layers (with its soft-capping noted); Qwen2's partial window is warned about, not modelled. */
function addSlidingWindow(family: HfFamily, cfg: Json, r: Reader, spec: DecoderInput, warnings: Diagnostic[], at: { file?: string }): void {
  const layers = spec.layers;
  const window = r.has("sliding_window") ? r.int("sliding_window") : undefined;
  const sqlike = family === "qwen2" || family === "qwen3" || family === "qwen3_moe";
  if (Array.isArray(cfg.layer_types) && window !== undefined && !sqlike) {
    const sw = windowFromLayerTypes(cfg.layer_types, layers, window, warnings, at);
    if (sw) spec.attention.sliding_window = sw;
  } else if (family === "mistral" || family === "mixtral" || family === "mistral3" || family === "phi3") {
    if (window !== undefined) spec.attention.sliding_window = { window, layers: "all" };
  } else if (family === "gemma2" || family === "gpt_oss") {
    spec.attention.sliding_window = { window: window ?? 4096, layers: "alternating" };
  } else if (family === "gemma3") {
    // Gemma3TextConfig: sliding_window_pattern 6 (five local layers, then one global).
    const every = r.int("sliding_window_pattern", 6);
    spec.attention.sliding_window = every > 1 ? { window: window ?? 4096, layers: "pattern", global_every: every } : { window: window ?? 4096, layers: "all" };
  } else if (sqlike && r.bool("use_sliding_window", false) && window !== undefined) {
    const full = r.count("max_window_layers", layers);
    if (full < layers) warnings.push(estimated("use_sliding_window", `sliding window on layers ≥ ${full} is not modelled; all layers counted with full attention`, at));
  }
  if (family === "gemma2" || family === "gemma3") {
    const caps = ["attn_logit_softcapping", "final_logit_softcapping", "query_pre_attn_scalar"].filter((k) => cfg[k] !== undefined && cfg[k] !== null).map((k) => `${k} ${String(cfg[k])}`);
    if (caps.length) spec.attention.note = caps.join("; ");
  }
}

/** DeepSeek-V3: multi-head latent attention, routed + shared experts after the dense layers, MTP modules, quantised checkpoints. */
function addDeepseekV3(cfg: Json, r: Reader, spec: DecoderInput, attnBias: boolean, warnings: Diagnostic[], notes: string[], at: { file?: string }): void {
  const heads = spec.attention.heads;
  const nope = r.int("qk_nope_head_dim");
  const rope = r.int("qk_rope_head_dim");
  spec.attention = {
    heads, head_dim: nope + rope, qkv_bias: false, o_bias: attnBias,
    mla: { q_lora_rank: r.count("q_lora_rank", 0), kv_lora_rank: r.int("kv_lora_rank"), qk_nope_head_dim: nope, qk_rope_head_dim: rope, v_head_dim: r.int("v_head_dim") },
  };
  if (r.has("n_routed_experts")) {
    const freq = r.count("moe_layer_freq", 1);
    if (freq !== 1) warnings.push(estimated("moe_layer_freq", `moe_layer_freq ${freq} is not modelled; every layer after the dense ones counted as MoE`, at));
    spec.moe = {
      experts: r.int("n_routed_experts"),
      top_k: r.int("num_experts_per_tok"),
      shared_experts: r.count("n_shared_experts", 0),
      expert_intermediate_size: r.int("moe_intermediate_size"),
      first_dense_layers: r.count("first_k_dense_replace", 0),
      router_bias: r.str("topk_method") === "noaux_tc",
      router: [r.str("scoring_func"), r.str("topk_method")].filter(Boolean).join(", ") || undefined,
    };
    if (spec.moe.router === undefined) delete spec.moe.router;
  }
  const mtp = r.count("num_nextn_predict_layers", 0);
  if (mtp > 0) spec.mtp = { modules: mtp, counted_in_params_total: false, note: "multi-token-prediction module(s) shipped in the checkpoint; not used by plain next-token inference" };
  const q = cfg.quantization_config;
  if (typeof q === "object" && q !== null) {
    notes.push(`checkpoint weights are quantised (${JSON.stringify(q)}); choose the precision to match`);
  }
}
