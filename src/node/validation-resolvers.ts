/**
 * Resolvers for the validation harness: hardware names → catalog chips (aliases), model names →
 * catalog models (catalog/validation/model-names.yaml), and models given only by their dimensions
 * ("13B GPT (h=5120,L=40,heads=40,ffn=20480)", or config.model_dims) → a Megatron-style GPT:
 * GeLU MLP, learned positions, LayerNorm, biases, tied embeddings, vocabulary padded to 51,200
 * (Narayanan et al. 2021, §5: the vocabulary Megatron uses for its GPT runs).
 */
import type { ModelSpec } from "../core/spec/model-spec.js";
import type { ValidationResolvers } from "../core/validate/run-validation.js";
import { findChipByAlias } from "./chip-catalog.js";
import { loadModel, modelFromObject, modelIds } from "./model-catalog.js";
import { catalogDir } from "./paths.js";
import { readDocument } from "./read-document.js";
import { contextFor } from "./resolvers.js";

let names: Record<string, { model: string; why?: string }> | undefined;
function modelNames(): Record<string, { model: string; why?: string }> {
  names ??= readDocument(catalogDir("validation", "model-names.yaml")) as Record<string, { model: string; why?: string }>;
  return names;
}

/** Parses "h=5120,L=40,heads=40,ffn=20480" (in a name or a model_dims field). */
export function parseModelDims(text: string): { h: number; L: number; heads: number; ffn: number } | undefined {
  const get = (k: string) => {
    const m = new RegExp(`(?:^|[,(\\s])${k}=(\\d+)`).exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const h = get("h");
  const L = get("L");
  const heads = get("heads");
  const ffn = get("ffn");
  return h && L && heads && ffn ? { h, L, heads, ffn } : undefined;
}

export function gptFromDims(name: string, d: { h: number; L: number; heads: number; ffn: number }, maxContext = 2048): ModelSpec {
  return modelFromObject({
    id: name.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "") || "gpt-from-dims",
    name,
    category: "decoder-llm",
    layers: d.L,
    hidden_size: d.h,
    vocab_size: 51200,
    max_context: maxContext,
    tied_embeddings: true,
    position: { type: "learned", learned_rows: maxContext },
    attention: { heads: d.heads, kv_heads: d.heads, head_dim: d.h / d.heads, qkv_bias: true, o_bias: true },
    ffn: { type: "gelu", intermediate_size: d.ffn, bias: true },
    norm: { type: "layernorm", placement: "pre", per_layer: 2 },
  });
}

export function validationResolvers(): ValidationResolvers {
  return {
    chipByName: findChipByAlias,
    modelByName(text, config) {
      const entry = modelNames()[text];
      if (entry) return loadModel(entry.model);
      if (modelIds().includes(text)) return loadModel(text);
      const dims = parseModelDims(text) ?? (typeof config.model_dims === "string" ? parseModelDims(config.model_dims) : undefined);
      if (dims) return gptFromDims(text, dims, Math.max(2048, Number(config.seq ?? config.context_len ?? 0) || 0));
      return `model "${text}" is not in catalog/validation/model-names.yaml and gives no dimensions (h=…,L=…,heads=…,ffn=…)`;
    },
    context: contextFor,
  };
}
