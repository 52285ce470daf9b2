import type { DType } from "../../units/dtype.js";
import type { FactorContext, FactorValue } from "../factor.js";
import { boundWords, fittingInference, fittingTraining, isFactor, pct, si } from "./needs.js";

/**
 * Compute: achieved model FLOP/s per chip for the workload (training: model FLOPs per step / step
 * time, the MFU numerator; inference: FLOPs of prefill and decode / their time), beside the dense peak
 * of the dtype the chip executes. limited_by: what holds most of the step (compute, memory bandwidth,
 * exposed communication or the pipeline bubble).
 */
export function computeFactor(ctx: FactorContext): FactorValue {
  return ctx.mode === "training" ? trainingCompute(ctx) : inferenceCompute(ctx);
}

function peakOf(ctx: FactorContext, dtype: string): number | undefined {
  const d = dtype as DType;
  return ctx.chip.matrix.peak_flops_per_s[d] ?? ctx.chip.vector.peak_flops_per_s[d];
}

function trainingCompute(ctx: FactorContext): FactorValue {
  const e = fittingTraining(ctx, "FLOP/s", "higher");
  if (isFactor(e)) return e;
  const b = e.step_breakdown_s;
  const work = b.forward + b.backward + b.recompute + b.optimizer;
  const parts: [string, number][] = [[boundWords(e.bound), work], ["communication", b.communication_exposed], ["pipeline bubble", b.pipeline_bubble]];
  const [limit] = parts.reduce((a, c) => (c[1] > a[1] ? c : a));
  const peak = peakOf(ctx, ctx.precision.compute);
  return {
    value: e.model_flops_per_s_per_chip,
    unit: "FLOP/s",
    better: "higher",
    rank: null,
    limited_by: limit,
    note: `model FLOPs per step / step time on ${e.chips} chip(s): MFU ${pct(e.mfu)} of the ${ctx.precision.compute} peak${peak ? ` ${si(peak, "FLOP/s")}` : ""}`,
    basis: "derived",
    details: {
      mfu: e.mfu,
      hfu: e.hfu,
      peak_flops_per_s: peak ?? null,
      hardware_flops_per_s_per_chip: e.hardware_flops_per_s_per_chip,
      step_time_s: e.step_time_s,
      compute_time_share: work / e.step_time_s,
      communication_time_share: b.communication_exposed / e.step_time_s,
      bubble_time_share: b.pipeline_bubble / e.step_time_s,
    },
  };
}

function inferenceCompute(ctx: FactorContext): FactorValue {
  const e = fittingInference(ctx, "FLOP/s", "higher");
  if (isFactor(e)) return e;
  const flops = e.phases.prefill.flops + (e.phases.decode?.flops ?? 0);
  const time = e.phases.prefill.time_s + (e.phases.decode?.time_s ?? 0);
  const peak = peakOf(ctx, e.precision.executed);
  const value = time > 0 ? flops / time : 0;
  return {
    value,
    unit: "FLOP/s",
    better: "higher",
    rank: null,
    limited_by: boundWords(e.bound),
    note: `FLOPs of one chip's prefill and decode / their time, ${e.precision.executed}${peak ? `: ${pct(value / peak)} of the ${si(peak, "FLOP/s")} peak` : ""}`,
    basis: "derived",
    details: { peak_flops_per_s: peak ?? null, utilization: peak ? value / peak : null },
  };
}
