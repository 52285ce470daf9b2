import type { DType } from "../units/dtype.js";
import type { PointContext, ValidationResult } from "./validation-result.js";

/**
 * A kernel point's metric from its FLOPs and predicted time: "latency", "achieved_tflops" (FLOPs
 * over time) or "utilization" (achieved over the chip's dense matrix peak for the dtype, i.e. a
 * "% of peak" the source gives instead of TFLOP/s).
 */
export function kernelMetric(pc: PointContext, flops: number, latencyS: number, dt: DType): ValidationResult {
  const metric = pc.p.metric;
  if (metric === "latency") return pc.ok(latencyS);
  if (metric === "achieved_tflops") return pc.ok(flops / latencyS);
  if (metric === "utilization") {
    const peak = pc.chip.matrix.peak_flops_per_s[dt];
    if (!peak) return pc.unsupported(`"% of peak" needs the ${dt} peak of ${pc.chip.id}, which its catalog file does not give; give the metric in TFLOP/s instead`);
    pc.assumptions.push(`peak ${(peak / 1e12).toFixed(0)} TFLOP/s ${dt} (${pc.chip.id} catalog, dense)`);
    return pc.ok(flops / latencyS / peak);
  }
  return pc.unsupported(`metric "${metric}" for ${pc.p.category} is not understood: use latency, achieved_tflops or utilization`);
}
