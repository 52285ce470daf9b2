import type { FactorContext, FactorValue } from "../factor.js";
import { boundWords, fittingInference, isFactor, si } from "./needs.js";
import { isOperating, limitedAt, operatingOf, scaledInference } from "./operating.js";

/**
 * Latency (inference): end-to-end request latency, s = time to first token (the prefill of the
 * batch) + (output tokens − 1) × time per output token; for CNN, ViT and encoders one forward pass
 * (per batch). limited_by: the bound of the phase that holds most of the time. At the sustained
 * operating point (a power cap, thermal throttling: operating.ts) the prefill and the decode each
 * stretch by their own ratio (compute-bound prefill slows with the clock, memory-bound decode barely).
 */
export function latencyFactor(ctx: FactorContext): FactorValue {
  const e = fittingInference(ctx, "s", "lower");
  if (isFactor(e)) return e;
  const op = operatingOf(ctx, "s", "lower");
  if (op && !isOperating(op)) return op;
  const t = op ? scaledInference(e, op) : { ttft_s: e.ttft_s, tpot_s: e.tpot_s, e2e_s: e.e2e_latency_s, prefill_s: e.phases.prefill.time_s, decode_s: e.phases.decode?.time_s ?? 0 };
  const decode = e.phases.decode;
  const phase = decode && t.decode_s > t.prefill_s ? "decode" : "prefill";
  const bound = phase === "decode" ? decode!.bound : e.phases.prefill.bound;
  const perImage: Record<string, number> = ctx.workload?.unit === "image" ? { latency_per_image_s: t.e2e_s / e.batch_per_replica } : {};
  const note = decode ? `TTFT ${si(t.ttft_s, "s")} + ${decode.steps} × TPOT ${si(t.tpot_s, "s")}` : `one forward pass of the batch of ${e.batch_per_replica}`;
  return {
    value: t.e2e_s,
    unit: "s",
    better: "lower",
    rank: null,
    limited_by: op ? limitedAt(`${boundWords(bound)} (${phase})`, op) : `${boundWords(bound)} (${phase})`,
    note: op ? `${note}; ${op.words}` : note,
    basis: "derived",
    details: { ttft_s: t.ttft_s, tpot_s: t.tpot_s, ...perImage, executed_precision: e.precision.executed, ...(op ? { ...op.details, throughput_ratio: e.e2e_latency_s / t.e2e_s, stock_e2e_latency_s: e.e2e_latency_s } : {}) },
  };
}
