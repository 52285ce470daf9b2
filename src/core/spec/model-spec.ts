import { z } from "zod";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { parseWith } from "./validate.js";
import { MODEL_CATEGORIES } from "./catalog-kinds.js";

/**
 * The model spec format: one architecture per file (catalog/models/<id>.yaml), unit-free integers.
 * It describes every entry of the reference table: decoder LLMs (MHA/GQA/MQA, MLA, MoE with shared
 * experts and dense first layers, sliding-window and alternating local/global layers, parallel
 * attention+MLP), BERT-style encoders, ViTs, CNNs from layer lists (with ResNet bottleneck stages and
 * MobileNetV2 inverted residuals as compact rows) and the Stable Diffusion UNet (diffusers layout).
 *
 * The structure is what the graph builders read; every count is recomputed from it, never stored.
 * Pitfalls from models.md §11 are encoded as required fields: `head_dim` is explicit (never
 * hidden/heads), FFN size is the per-matrix intermediate size, and tied embeddings are a flag.
 */

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();

export const modelSourceSchema = z.strictObject({
  kind: z.enum(["paper", "hf-config", "repo-file", "doc", "other"]),
  ref: z.string(),
  path: z.string().optional(),
  commit: z.string().optional(),
  where: z.string().optional(),
  note: z.string().optional(),
  mirror: z.strictObject({ repo: z.string(), path: z.string(), commit: z.string() }).optional(),
});

const commonFields = {
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
  /** Catalog id of a model whose fields this one inherits; listed fields override. */
  extends: z.string().optional(),
  name: z.string(),
  family: z.string().optional(),
  year: z.number().int().optional(),
  aliases: z.array(z.string()).default([]),
  sources: z.array(modelSourceSchema).default([]),
  /** Published figures as printed (free text, e.g. "405B", "110M (paper)"); never used in arithmetic. */
  published: z.record(z.string(), z.string()).default({}),
  /** How a non-obvious value was derived (e.g. the Llama FFN size rule). */
  derivation: z.string().optional(),
  notes: z.string().optional(),
};

// ---------------------------------------------------------------- transformer parts

/**
 * Which layers attend locally: `all`, `alternating` (layer 0 local, 1 global, … as Gemma 2 and
 * gpt-oss) or `pattern`: every `global_every`-th layer global, the others local (Gemma 3: 6, so
 * layers 5, 11, … are global; Llama 4: 4).
 */
export const SLIDING_WINDOW_LAYERS = ["all", "alternating", "pattern"] as const;

/** Query/key normalisation weights: one head_dim vector each for q and k (Qwen3, Gemma 3), or over all heads (OLMo 2: H·hd and K·hd). */
export const QK_NORMS = ["per_head", "all_heads"] as const;

const mlaSchema = z.strictObject({
  /** Rank of the query down-projection (0 or absent: queries projected directly from d). */
  q_lora_rank: nonNegInt.default(0),
  kv_lora_rank: posInt,
  qk_nope_head_dim: posInt,
  qk_rope_head_dim: posInt,
  v_head_dim: posInt,
});

const attentionSchema = z.strictObject({
  heads: posInt,
  /** Key/value heads: = heads for MHA, 1 for MQA, in between for GQA (ignored by MLA). */
  kv_heads: posInt.optional(),
  /** Query/key head size. Never hidden/heads by default (Gemma 2, PaLM, DeepSeek differ). MLA: nope + rope. */
  head_dim: posInt,
  qkv_bias: z.boolean().default(false),
  o_bias: z.boolean().default(false),
  /** Local attention: `all` layers, or `alternating` (layer 0 local, 1 global, … as Gemma 2). */
  sliding_window: z
    .strictObject({
      window: posInt,
      layers: z.enum(SLIDING_WINDOW_LAYERS).default("all"),
      /** With layers `pattern`: layer i is global when (i + 1) is a multiple of this (≥ 2). */
      global_every: posInt.optional(),
      note: z.string().optional(),
    })
    .optional(),
  /** RMSNorm weights on queries and keys after projection (absent: none). */
  qk_norm: z.enum(QK_NORMS).optional(),
  /** Learned per-head attention-sink logits (gpt-oss): `heads` parameters per layer. */
  sinks: z.boolean().optional(),
  /** DeepSeek multi-head latent attention. */
  mla: mlaSchema.optional(),
  /** Free text: soft-capping, query scaling, sparse patterns (no effect on counts). */
  note: z.string().optional(),
});

export const FFN_TYPES = ["swiglu", "geglu", "gelu", "relu"] as const;

const ffnSchema = z.strictObject({
  /** swiglu / geglu: gated, 3 matrices (gate, up, down); gelu / relu: 2 matrices (up, down). */
  type: z.enum(FFN_TYPES),
  /** Per-matrix intermediate size (HF `intermediate_size`; Gemma 2's paper prints 2×). */
  intermediate_size: posInt,
  bias: z.boolean().default(false),
});

const moeSchema = z.strictObject({
  experts: posInt,
  top_k: posInt,
  shared_experts: nonNegInt.default(0),
  expert_intermediate_size: posInt,
  /** Intermediate size of each shared expert (default: the routed expert size). */
  shared_expert_intermediate_size: posInt.optional(),
  /** The first k layers use a dense FFN of `ffn.intermediate_size` (DeepSeek `first_k_dense_replace`). */
  first_dense_layers: nonNegInt.default(0),
  /** After the dense ones, layer i is MoE when (i + 1) is a multiple of this (Qwen3-MoE `decoder_sparse_step`, Llama 4 `interleave_moe_layer_step`); others dense. */
  layer_step: posInt.optional(),
  /** A learned per-expert score bias (DeepSeek-V3 aux-loss-free balancing): `experts` parameters per layer. */
  router_bias: z.boolean().default(false),
  router: z.string().optional(),
});

export const NORM_PLACEMENTS = ["pre", "post", "sandwich"] as const;

const normSchema = z.strictObject({
  type: z.enum(["rmsnorm", "layernorm"]),
  /** LayerNorm shift parameters (default: true for layernorm, false for rmsnorm; PaLM has none). */
  bias: z.boolean().optional(),
  /** pre: norm before attention and FFN; post: after each residual add (BERT); sandwich: both (Gemma 2). */
  placement: z.enum(NORM_PLACEMENTS).default("pre"),
  /** Norms per layer: 2 (pre/post), 4 (sandwich), 1 or 2 for parallel blocks (PaLM shares one). */
  per_layer: posInt,
  /** A norm after the last layer (GPT-2 ln_f, Llama norm, ViT final LN). */
  final: z.boolean().default(true),
});

const positionSchema = z.strictObject({
  type: z.enum(["rope", "learned", "alibi", "none"]),
  /** Rows of a learned position table (OPT stores 2048 + 2). */
  learned_rows: posInt.optional(),
  rope_theta: z.number().positive().optional(),
  /** Free text on RoPE scaling (llama3, YaRN). */
  scaling: z.string().optional(),
});

const mtpSchema = z.strictObject({
  modules: posInt,
  /** Whether params_total includes the module (DeepSeek-V3's 671B does not). */
  counted_in_params_total: z.boolean().default(false),
  note: z.string().optional(),
});

// ---------------------------------------------------------------- categories

const decoderSchema = z.strictObject({
  ...commonFields,
  category: z.literal("decoder-llm"),
  layers: posInt,
  hidden_size: posInt,
  vocab_size: posInt,
  max_context: posInt,
  tied_embeddings: z.boolean(),
  /** Attention and FFN read the same input and their outputs are summed (GPT-J, PaLM, Falcon). */
  parallel_attn_mlp: z.boolean().default(false),
  /** A norm (of `norm.type`) on the token embeddings before the first layer (BLOOM's word_embeddings_layernorm). */
  embedding_norm: z.boolean().optional(),
  position: positionSchema,
  attention: attentionSchema,
  ffn: ffnSchema,
  moe: moeSchema.optional(),
  norm: normSchema,
  mtp: mtpSchema.optional(),
  training_tokens: z.number().positive().optional(),
});

const encoderSchema = z.strictObject({
  ...commonFields,
  category: z.literal("encoder"),
  layers: posInt,
  hidden_size: posInt,
  vocab_size: posInt,
  /** Rows of the learned position table (BERT: 512). */
  max_context: posInt,
  /** Segment (token-type) embedding rows (BERT: 2). */
  type_vocab_size: nonNegInt.default(0),
  position: positionSchema,
  attention: attentionSchema,
  ffn: ffnSchema,
  norm: normSchema,
  /** LayerNorm on the summed embeddings (BERT). */
  embedding_norm: z.boolean().default(true),
  /** Dense d×d + tanh on the first token (BERT pooler). */
  pooler: z.boolean().default(false),
});

const vitSchema = z.strictObject({
  ...commonFields,
  category: z.literal("vision-transformer"),
  image_size: posInt,
  patch_size: posInt,
  channels: posInt.default(3),
  layers: posInt,
  hidden_size: posInt,
  attention: attentionSchema,
  ffn: ffnSchema,
  norm: normSchema,
  class_token: z.boolean().default(true),
  /** Classifier outputs on the class token (0: no head). */
  num_classes: nonNegInt.default(1000),
});

// CNN rows. Channels flow from one row to the next; `in` may be given as a check.
const activation = z.enum(["relu", "relu6", "silu", "gelu", "none"]);

const convRow = z.strictObject({
  type: z.literal("conv"),
  name: z.string(),
  in: posInt.optional(),
  out: posInt,
  kernel: posInt,
  stride: posInt.default(1),
  pad: nonNegInt.default(0),
  /** Channel groups; `depthwise: true` sets groups = in = out. */
  groups: posInt.default(1),
  depthwise: z.boolean().default(false),
  bias: z.boolean().default(false),
  /** Followed by BatchNorm (γ, β counted as parameters; running statistics are not). */
  bn: z.boolean().default(false),
  act: activation.default("relu"),
});

const linearRow = z.strictObject({
  type: z.literal("linear"),
  name: z.string(),
  /** Input features; default: channels × height × width of the previous output (flatten). */
  in: posInt.optional(),
  out: posInt,
  bias: z.boolean().default(true),
  act: activation.default("none"),
});

const poolRow = z.strictObject({
  type: z.enum(["maxpool", "avgpool"]),
  name: z.string(),
  kernel: posInt,
  stride: posInt.optional(),
  pad: nonNegInt.default(0),
});

const adaptivePoolRow = z.strictObject({
  type: z.literal("adaptive_avgpool"),
  name: z.string(),
  /** Output height = width (1: global average pooling). */
  out: posInt,
});

/** A ResNet stage of bottleneck blocks (He et al. 2016, Table 1): 1×1 → 3×3 → 1×1 (×expansion). */
const bottleneckRow = z.strictObject({
  type: z.literal("bottleneck"),
  /** Blocks are named `<name>.<i>.conv1|conv2|conv3|downsample` (torchvision naming). */
  name: z.string(),
  blocks: posInt,
  width: posInt,
  stride: posInt.default(1),
  expansion: posInt.default(4),
  /** conv2: torchvision "v1.5" (stride on the 3×3); conv1: the paper's v1 (stride on the first 1×1). */
  stride_on: z.enum(["conv1", "conv2"]).default("conv2"),
});

/** MobileNetV2 inverted residuals (Sandler et al. 2018, Table 2 row t, c, n, s). */
const invertedResidualRow = z.strictObject({
  type: z.literal("inverted_residual"),
  /** Blocks are named `<name>.<i>.expand|dw|project`, i counting from `index_from`. */
  name: z.string(),
  index_from: nonNegInt.default(0),
  expansion: posInt,
  out: posInt,
  repeat: posInt,
  stride: posInt.default(1),
  kernel: posInt.default(3),
  act: activation.default("relu6"),
});

export const cnnRowSchema = z.discriminatedUnion("type", [convRow, linearRow, poolRow, adaptivePoolRow, bottleneckRow, invertedResidualRow]);

const cnnSchema = z.strictObject({
  ...commonFields,
  category: z.literal("cnn"),
  input: z.strictObject({ channels: posInt, image_size: posInt }),
  layers: z.array(cnnRowSchema).min(1),
});

export const UNET_DOWN_BLOCKS = ["CrossAttnDownBlock2D", "DownBlock2D"] as const;
export const UNET_UP_BLOCKS = ["CrossAttnUpBlock2D", "UpBlock2D"] as const;

/** diffusers UNet2DConditionModel (SD 1.x/2.x layout): field names follow unet/config.json. */
const unetSchema = z.strictObject({
  ...commonFields,
  category: z.literal("diffusion-unet"),
  in_channels: posInt,
  out_channels: posInt,
  /** Latent height = width. */
  sample_size: posInt,
  /** Image pixels per latent pixel (the VAE downsampling, 8 for SD). */
  vae_scale_factor: posInt.default(8),
  block_out_channels: z.array(posInt).min(1),
  layers_per_block: posInt,
  down_block_types: z.array(z.enum(UNET_DOWN_BLOCKS)).min(1),
  up_block_types: z.array(z.enum(UNET_UP_BLOCKS)).min(1),
  /** Number of attention heads (SD 1.x configs call this `attention_head_dim`; models.md §11.10). */
  attention_heads: posInt,
  cross_attention_dim: posInt,
  /** Text-encoder tokens the cross-attention reads (CLIP: 77). */
  text_tokens: posInt,
  norm_num_groups: posInt.default(32),
  transformer_layers_per_block: posInt.default(1),
  /** Feed-forward inner size = ff_mult × channels (GEGLU). */
  ff_mult: posInt.default(4),
  /** Time-embedding width (default 4 × block_out_channels[0]). */
  time_embedding_dim: posInt.optional(),
  /** use_linear_projection: proj_in/proj_out as linear layers instead of 1×1 convs (same counts). */
  use_linear_projection: z.boolean().default(false),
});

export const modelSpecSchema = z
  .discriminatedUnion("category", [decoderSchema, encoderSchema, vitSchema, cnnSchema, unetSchema])
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (m.category === "decoder-llm" || m.category === "encoder" || m.category === "vision-transformer") {
      const a = m.attention;
      const kv = a.kv_heads ?? a.heads;
      if (!a.mla && a.heads % kv !== 0) issue(["attention", "kv_heads"], `heads (${a.heads}) must be a multiple of kv_heads (${kv})`);
      if (a.mla && a.head_dim !== a.mla.qk_nope_head_dim + a.mla.qk_rope_head_dim) {
        issue(["attention", "head_dim"], `MLA head_dim must equal qk_nope_head_dim + qk_rope_head_dim (${a.mla.qk_nope_head_dim + a.mla.qk_rope_head_dim})`);
      }
      const sw = a.sliding_window;
      if (sw && sw.layers === "pattern" && (sw.global_every ?? 0) < 2) issue(["attention", "sliding_window", "global_every"], "layers: pattern needs global_every ≥ 2");
      if (sw && sw.layers !== "pattern" && sw.global_every !== undefined) issue(["attention", "sliding_window", "global_every"], "only meaningful with layers: pattern");
      const n = m.norm;
      if (n.placement === "sandwich" && n.per_layer !== 4) issue(["norm", "per_layer"], "sandwich placement has 4 norms per layer");
      const parallel = m.category === "decoder-llm" && m.parallel_attn_mlp;
      if (!parallel && n.placement !== "sandwich" && n.per_layer !== 2) issue(["norm", "per_layer"], `${n.placement} placement has 2 norms per layer`);
      if (parallel && n.per_layer > 2) issue(["norm", "per_layer"], "a parallel block has 1 (shared) or 2 input norms");
    }
    if (m.category === "decoder-llm") {
      if (m.moe) {
        if (m.moe.top_k > m.moe.experts) issue(["moe", "top_k"], `top_k (${m.moe.top_k}) exceeds experts (${m.moe.experts})`);
        if (m.moe.first_dense_layers >= m.layers) issue(["moe", "first_dense_layers"], `must be below layers (${m.layers})`);
      }
      if (m.position.type === "learned" && m.position.learned_rows === undefined) {
        issue(["position", "learned_rows"], "learned positions need the table size (rows)");
      }
    }
    if (m.category === "vision-transformer" && m.image_size % m.patch_size !== 0) {
      issue(["patch_size"], `image_size (${m.image_size}) must be a multiple of patch_size (${m.patch_size})`);
    }
    if (m.category === "diffusion-unet") {
      const nb = m.block_out_channels.length;
      if (m.down_block_types.length !== nb) issue(["down_block_types"], `needs ${nb} entries, one per block_out_channels`);
      if (m.up_block_types.length !== nb) issue(["up_block_types"], `needs ${nb} entries, one per block_out_channels`);
      m.block_out_channels.forEach((c, i) => {
        if (c % m.norm_num_groups !== 0) issue(["block_out_channels", i], `${c} is not a multiple of norm_num_groups (${m.norm_num_groups})`);
        if (c % m.attention_heads !== 0) issue(["block_out_channels", i], `${c} is not a multiple of attention_heads (${m.attention_heads})`);
      });
    }
  });

/** What a model file may contain (before defaults). */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
/** A validated model spec with defaults applied. */
export type ModelSpec = z.output<typeof modelSpecSchema>;
export type DecoderSpec = Extract<ModelSpec, { category: "decoder-llm" }>;
export type EncoderSpec = Extract<ModelSpec, { category: "encoder" }>;
export type VitSpec = Extract<ModelSpec, { category: "vision-transformer" }>;
export type CnnSpec = Extract<ModelSpec, { category: "cnn" }>;
export type UnetSpec = Extract<ModelSpec, { category: "diffusion-unet" }>;
export type CnnRow = z.output<typeof cnnRowSchema>;
export type AttentionSpec = DecoderSpec["attention"];
export type FfnSpec = DecoderSpec["ffn"];
export type NormSpec = DecoderSpec["norm"];
export type ModelSource = z.output<typeof modelSourceSchema>;

export { MODEL_CATEGORIES };

/** Validates a model spec document; throws XpusimError listing every problem with its field path. */
export function parseModelSpec(raw: unknown, file?: string): ModelSpec {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new XpusimError(error("E_SCHEMA", "", "a model spec must be a mapping of fields", { got: JSON.stringify(raw)?.slice(0, 60), ...(file ? { file } : {}) }));
  }
  const category = (raw as { category?: unknown }).category;
  if (!(MODEL_CATEGORIES as readonly unknown[]).includes(category)) {
    throw new XpusimError(
      error("E_SCHEMA", "category", category === undefined ? "required field is missing" : "unknown model category", {
        expected: `one of ${MODEL_CATEGORIES.map((c) => JSON.stringify(c)).join(", ")}`,
        got: category === undefined ? "nothing" : JSON.stringify(category),
        hint: "a Hugging Face config.json is imported by path (xpusim reads its model_type)",
        ...(file ? { file } : {}),
      }),
    );
  }
  return parseWith(modelSpecSchema, raw, file);
}

export { normParams } from "./norm-params.js";
