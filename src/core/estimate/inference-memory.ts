import type { CostContext } from "../cost/contract.js";
import { routedExpertParams } from "../parallel/expert-parallel.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { modelParams } from "../workload/build-workload.js";
import type { Precision } from "../workload/precision.js";
import type { InferenceLayout } from "./inference-layout.js";

/**
 * Memory per chip, the way serving engines see it (formulas.md §7): weights + KV cache of the whole
 * batch at full length + peak activations + runtime overhead (CUDA context, workspaces). With
 * tp/pp: weights of the body ÷ (tp·pp), embedding and LM head ÷ tp on the first / last stage (a
 * tied table is held by both); KV ÷ pp and split over tp by KV heads — ⌈kv_heads / tp⌉ heads per
 * chip, so a GQA/MQA cache is replicated once tp exceeds kv_heads, and an MLA latent (shared by all
 * heads) is replicated on every TP rank; routed experts ÷ ep; KV ÷ cp.
 */

/** Runtime memory not in weights/KV/activations (framework context, workspaces); family data. */
export function runtimeOverheadBytes(ctx: CostContext): number {
  const v = ctx.efficiency.runtime_overhead_bytes;
  return typeof v === "number" ? v : 0;
}

/** Fraction of the KV cache one TP rank holds: ⌈K/tp⌉ of K heads; MLA latents are replicated. */
export function kvShareTp(model: ModelSpec, tp: number): number {
  if (model.category !== "decoder-llm" || tp === 1) return 1;
  const a = model.attention;
  if (a.mla) return 1;
  const k = a.kv_heads ?? a.heads;
  return Math.ceil(k / tp) / k;
}

/** Fraction of the whole KV cache one chip holds under tp, pp and cp. */
export function kvSharePerChip(model: ModelSpec, l: InferenceLayout): number {
  return kvShareTp(model, l.tp) / l.pp / l.cp;
}

/** Weight bytes on the most loaded chip of a tp × pp layout. */
export function weightsPerChipBytes(model: ModelSpec, precision: Precision, tp: number, pp: number): number {
  const p = modelParams(model);
  const wb = DTYPE_BYTES[precision.weights];
  if (tp === 1 && pp === 1) return p.params_total * wb;
  const tied = "tied_embeddings" in model && model.tied_embeddings === true;
  const head = tied ? p.params_embedding : p.params_lm_head_untied;
  const body = p.params_total - p.params_embedding - p.params_lm_head_untied;
  if (pp === 1) return ((p.params_total) / tp) * wb;
  // First stage: embedding + its layers; last stage: its layers + the LM head (its own copy if tied).
  return (body / (tp * pp) + Math.max(p.params_embedding, head) / tp) * wb;
}

/** Weight bytes per chip with the routed experts split over ep (they sit in the body, already ÷ tp·pp). */
export function layoutWeightsPerChipBytes(model: ModelSpec, precision: Precision, l: InferenceLayout): number {
  const expertSaving = l.ep > 1 ? (routedExpertParams(model) * (1 - 1 / l.ep) * DTYPE_BYTES[precision.weights]) / (l.tp * l.pp) : 0;
  return weightsPerChipBytes(model, precision, l.tp, l.pp) - expertSaving;
}
