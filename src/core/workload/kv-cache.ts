import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES, type DType } from "../units/dtype.js";
import { decoderLayerGroups } from "./layer-groups.js";

/**
 * KV-cache size (models.md §10.8; formulas.md §7): bytes per token = 2 · L · kv_heads · head_dim ·
 * bytes for MHA/GQA/MQA; MLA caches the compressed latent plus the shared RoPE key,
 * L · (kv_lora_rank + qk_rope_head_dim) · bytes (DeepSeek-V2 paper §2.1.2). Sliding-window layers
 * keep at most `window` tokens (Mistral rolling buffer; Gemma 2 local layers).
 */

/** Cached bytes per token for one decoder layer at `kvDtype`; 0 for models without a KV cache. */
export function kvBytesPerTokenPerLayer(model: ModelSpec, kvDtype: DType): number {
  if (model.category !== "decoder-llm") return 0;
  const a = model.attention;
  const elements = a.mla ? a.mla.kv_lora_rank + a.mla.qk_rope_head_dim : 2 * (a.kv_heads ?? a.heads) * a.head_dim;
  return elements * DTYPE_BYTES[kvDtype];
}

/** KV-cache bytes per cached token summed over all layers (sliding windows not applied). */
export function kvCacheBytesPerToken(model: ModelSpec, kvDtype: DType = "bf16"): number {
  if (model.category !== "decoder-llm") return 0;
  return model.layers * kvBytesPerTokenPerLayer(model, kvDtype);
}

/**
 * KV-cache bytes held for `batch` sequences of `contextTokens` tokens each, with every
 * sliding-window layer capped at its window.
 */
export function kvCacheBytes(model: ModelSpec, contextTokens: number, kvDtype: DType = "bf16", batch = 1): number {
  if (model.category !== "decoder-llm") return 0;
  const perLayer = kvBytesPerTokenPerLayer(model, kvDtype);
  let tokenLayers = 0;
  for (const g of decoderLayerGroups(model)) tokenLayers += g.layers * Math.min(contextTokens, g.window ?? contextTokens);
  return batch * tokenLayers * perLayer;
}
