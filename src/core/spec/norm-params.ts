import type { NormSpec } from "./model-spec.js";

/** Norm parameters of one norm of width `d`: scale, plus shift for a LayerNorm with bias. (Kept apart from the zod schema so workload builders do not load zod.) */
export function normParams(norm: NormSpec, d: number): number {
  return (norm.bias ?? norm.type === "layernorm") ? 2 * d : d;
}
