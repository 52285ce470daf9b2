import type { DType } from "../../units/dtype.js";
import type { FactorContext, FactorValue } from "../factor.js";
import { boundWords, fittingInference, fittingTraining, isFactor, pct, si } from "./needs.js";
import { isOperating, limitedAt, operatingOf, scaledInference, scaledTraining } from "./operating.js";

/**
 * Compute: achieved model FLOP/s per chip for the workload (training: model FLOPs per step / step
 * time, the MFU numerator; inference: FLOPs of prefill and decode / their time), beside the dense peak
 * of the dtype the chip executes. limited_by: what holds most of the step (compute, memory bandwidth,
 * exposed communication or the pipeline bubble). At the sustained operating point (a power cap,
 * thermal throttling: operating.ts) the busy time stretches and the FLOP/s fall with it.
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
  const op = operatingOf(ctx, "FLOP/s", "higher");
  if (op && !isOperating(op)) return op;
  const b = e.step_breakdown_s;
  const s = op ? scaledTraining(e, op) : { step_time_s: e.step_time_s, work_s: b.forward + b.backward + b.recompute + b.optimizer, ratio: 1 };
  const step = s.step_time_s;
  const parts: [string, number][] = [[boundWords(e.bound), s.work_s], ["communication", b.communication_exposed], ["pipeline bubble", b.pipeline_bubble]];
  const [limit] = parts.reduce((a, c) => (c[1] > a[1] ? c : a));
  const peak = peakOf(ctx, ctx.precision.compute);
  const mfu = e.mfu * s.ratio;
  const note = `model FLOPs per step / step time on ${e.chips} chip(s): MFU ${pct(mfu)} of the ${ctx.precision.compute} peak${peak ? ` ${si(peak, "FLOP/s")}` : ""}`;
  return {
    value: e.model_flops_per_s_per_chip * s.ratio,
    unit: "FLOP/s",
    better: "higher",
    rank: null,
    limited_by: op ? limitedAt(limit, op) : limit,
    note: op ? `${note}; ${op.words}` : note,
    basis: "derived",
    details: {
      mfu,
      hfu: e.hfu * s.ratio,
      peak_flops_per_s: peak ?? null,
      hardware_flops_per_s_per_chip: e.hardware_flops_per_s_per_chip * s.ratio,
      step_time_s: step,
      compute_time_share: s.work_s / step,
      communication_time_share: b.communication_exposed / step,
      bubble_time_share: b.pipeline_bubble / step,
      ...(op ? op.details : {}),
    },
  };
}

function inferenceCompute(ctx: FactorContext): FactorValue {
  const e = fittingInference(ctx, "FLOP/s", "higher");
  if (isFactor(e)) return e;
  const op = operatingOf(ctx, "FLOP/s", "higher");
  if (op && !isOperating(op)) return op;
  const flops = e.phases.prefill.flops + (e.phases.decode?.flops ?? 0);
  const t = op ? scaledInference(e, op) : undefined;
  const time = t ? t.prefill_s + t.decode_s : e.phases.prefill.time_s + (e.phases.decode?.time_s ?? 0);
  const peak = peakOf(ctx, e.precision.executed);
  const value = time > 0 ? flops / time : 0;
  const note = `FLOPs of one chip's prefill and decode / their time, ${e.precision.executed}${peak ? `: ${pct(value / peak)} of the ${si(peak, "FLOP/s")} peak` : ""}`;
  return {
    value,
    unit: "FLOP/s",
    better: "higher",
    rank: null,
    limited_by: op ? limitedAt(boundWords(e.bound), op) : boundWords(e.bound),
    note: op ? `${note}; ${op.words}` : note,
    basis: "derived",
    details: { peak_flops_per_s: peak ?? null, utilization: peak ? value / peak : null, ...(op ? { ...op.details, throughput_ratio: t!.ratio } : {}) },
  };
}
