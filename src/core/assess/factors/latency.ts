import type { FactorContext, FactorValue } from "../factor.js";
import { boundWords, fittingInference, isFactor, si } from "./needs.js";

/**
 * Latency (inference): end-to-end request latency, s = time to first token (the prefill of the
 * batch) + (output tokens − 1) × time per output token; for CNN, ViT and encoders one forward pass
 * (per batch). limited_by: the bound of the phase that holds most of the time.
 */
export function latencyFactor(ctx: FactorContext): FactorValue {
  const e = fittingInference(ctx, "s", "lower");
  if (isFactor(e)) return e;
  const decode = e.phases.decode;
  const phase = decode && decode.time_s > e.phases.prefill.time_s ? "decode" : "prefill";
  const bound = phase === "decode" ? decode!.bound : e.phases.prefill.bound;
  const perImage: Record<string, number> = ctx.workload?.unit === "image" ? { latency_per_image_s: e.e2e_latency_s / e.batch_per_replica } : {};
  return {
    value: e.e2e_latency_s,
    unit: "s",
    better: "lower",
    rank: null,
    limited_by: `${boundWords(bound)} (${phase})`,
    note: decode ? `TTFT ${si(e.ttft_s, "s")} + ${decode.steps} × TPOT ${si(e.tpot_s, "s")}` : `one forward pass of the batch of ${e.batch_per_replica}`,
    basis: "derived",
    details: { ttft_s: e.ttft_s, tpot_s: e.tpot_s, ...perImage, executed_precision: e.precision.executed },
  };
}
