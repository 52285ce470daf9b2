import type { DecoderSpec } from "../spec/model-spec.js";

/**
 * Decoder layers grouped by kind, so a graph holds one block per distinct layer with a repeat
 * count instead of one block per layer: sliding-window vs global attention (Gemma 2 alternates,
 * layer 0 local; Gemma 3 has 5 local per global) and dense vs MoE FFN (DeepSeek-V3's first 3 layers
 * are dense; Llama 4 Maverick interleaves dense and MoE layers).
 */
export interface LayerGroup {
  /** "" for a uniform model, else "local", "global", "dense", "moe" or "dense.local", … */
  kind: string;
  layers: number;
  /** Sliding window of this group's attention, if any. */
  window?: number;
  moe: boolean;
}

export function decoderLayerGroups(spec: DecoderSpec): LayerGroup[] {
  const sw = spec.attention.sliding_window;
  const firstDense = spec.moe ? spec.moe.first_dense_layers : 0;
  const groups = new Map<string, LayerGroup>();
  for (let i = 0; i < spec.layers; i++) {
    const globalEvery = sw?.layers === "alternating" ? 2 : sw?.layers === "pattern" ? (sw.global_every ?? 2) : 0;
    const local = sw !== undefined && (globalEvery === 0 || (i + 1) % globalEvery !== 0);
    const step = spec.moe?.layer_step ?? 1;
    const moe = spec.moe !== undefined && i >= firstDense && (i + 1) % step === 0;
    const parts: string[] = [];
    if (spec.moe && (firstDense > 0 || step > 1)) parts.push(moe ? "moe" : "dense");
    if (globalEvery > 0) parts.push(local ? "local" : "global");
    const kind = parts.join(".");
    const g = groups.get(kind);
    if (g) g.layers++;
    else groups.set(kind, { kind, layers: 1, moe, ...(local && sw ? { window: sw.window } : {}) });
  }
  return [...groups.values()];
}
