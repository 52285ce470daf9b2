import type { FactorContext, FactorValue } from "../factor.js";
import { boundWords, fittingInference, isFactor } from "./needs.js";

/**
 * Throughput (inference): generated tokens/s of all chips at the batch (decoder LLMs), else
 * sequences/s (encoders) or images/s (vision models). limited_by: the bound of the decode step
 * (LLMs), else of the forward pass.
 */
export function throughputFactor(ctx: FactorContext): FactorValue {
  const unitOf = ctx.workload?.unit ?? (ctx.model.category === "decoder-llm" ? "token" : "image");
  const unit = unitOf === "token" ? "tokens/s" : unitOf === "sequence" ? "sequences/s" : "images/s";
  const e = fittingInference(ctx, unit, "higher");
  if (isFactor(e)) return e;
  const value = unitOf === "token" ? e.output_tokens_per_s : e.samples_per_s;
  const bound = e.phases.decode?.bound ?? e.phases.prefill.bound;
  return {
    value,
    unit,
    better: "higher",
    rank: null,
    limited_by: `${boundWords(bound)}${e.phases.decode ? " (decode)" : ""}`,
    note: `batch ${ctx.workload?.batch ?? e.batch_per_replica * e.replicas} on ${e.chips} chip(s), ${e.precision.executed}`,
    basis: "derived",
    details: { samples_per_s: e.samples_per_s, output_tokens_per_s: e.output_tokens_per_s, per_chip: value / e.chips },
  };
}
