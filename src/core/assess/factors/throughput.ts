import type { FactorContext, FactorValue } from "../factor.js";
import { boundWords, fittingInference, isFactor } from "./needs.js";
import { isOperating, limitedAt, operatingOf, scaledInference } from "./operating.js";

/**
 * Throughput (inference): generated tokens/s of all chips at the batch (decoder LLMs), else
 * sequences/s (encoders) or images/s (vision models). limited_by: the bound of the decode step
 * (LLMs), else of the forward pass. At the sustained operating point (a power cap, thermal
 * throttling: operating.ts) the estimate's rate × stock request time / request time at that point.
 */
export function throughputFactor(ctx: FactorContext): FactorValue {
  const unitOf = ctx.workload?.unit ?? (ctx.model.category === "decoder-llm" ? "token" : "image");
  const unit = unitOf === "token" ? "tokens/s" : unitOf === "sequence" ? "sequences/s" : "images/s";
  const e = fittingInference(ctx, unit, "higher");
  if (isFactor(e)) return e;
  const op = operatingOf(ctx, unit, "higher");
  if (op && !isOperating(op)) return op;
  const ratio = op ? scaledInference(e, op).ratio : 1;
  const stock = unitOf === "token" ? e.output_tokens_per_s : e.samples_per_s;
  const value = op ? stock * ratio : stock;
  const bound = e.phases.decode?.bound ?? e.phases.prefill.bound;
  const limited = `${boundWords(bound)}${e.phases.decode ? " (decode)" : ""}`;
  const note = `batch ${ctx.workload?.batch ?? e.batch_per_replica * e.replicas} on ${e.chips} chip(s), ${e.precision.executed}`;
  return {
    value,
    unit,
    better: "higher",
    rank: null,
    limited_by: op ? limitedAt(limited, op) : limited,
    note: op ? `${note}; ${op.words}` : note,
    basis: "derived",
    details: op
      ? { samples_per_s: e.samples_per_s * ratio, output_tokens_per_s: e.output_tokens_per_s * ratio, per_chip: value / e.chips, ...op.details, throughput_ratio: ratio, stock_value: stock }
      : { samples_per_s: e.samples_per_s, output_tokens_per_s: e.output_tokens_per_s, per_chip: value / e.chips },
  };
}
