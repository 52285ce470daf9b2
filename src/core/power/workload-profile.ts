import type { CostContext } from "../cost/contract.js";
import type { InferenceEstimate } from "../estimate/estimate-inference.js";
import { evaluateGraph } from "../estimate/evaluate-graph.js";
import { resolveExecutionPrecision } from "../estimate/execution-precision.js";
import type { TrainingEstimate } from "../estimate/estimate-training.js";
import { trainingGraph } from "../estimate/training/training-graph.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Precision } from "../workload/precision.js";
import { type PowerProfile, ProfileBuilder } from "./power-profile.js";

/**
 * The power profile of one chip over an estimated workload, built from the estimate itself so that the
 * power model and the estimate agree on time:
 *
 * Inference (one chip of a replica): the prefill's ops as priced (`prefill_detail`, per-op compute /
 * memory split), the decode phase as one roofline segment of its FLOPs and bytes (decode is
 * memory-bound: its math time is a few % of its HBM time), and the collectives on the critical path at
 * idle power. With pp stages each chip runs 1/pp of the ops and waits the rest.
 *
 * Training (one chip, the critical stage): the per-op mix of one micro-batch's forward graph, scaled so
 * that its busy time equals forward + backward + recompute + optimizer (backward GEMMs have the
 * forward's arithmetic intensity at twice the FLOPs); exposed communication and the pipeline bubble at
 * idle power.
 */
export interface WorkloadProfile {
  profile: PowerProfile;
  /** Wall time the estimate gives the profiled work. */
  time_s: number;
  work: { unit: string; count: number };
}

export function inferenceProfile(e: InferenceEstimate, ctx: CostContext, precision: Precision, category?: ModelSpec["category"]): WorkloadProfile {
  const b = new ProfileBuilder(ctx);
  const pp = Math.max(1, e.pp);
  const g = e.prefill_detail;
  b.mark("prefill").graph(g, 1 / pp);
  const prefill = e.phases.prefill;
  b.wait(prefill.time_s - g.time_s / pp);
  // A speculative draft model's prefill (ttft beyond the target's prefill): counted as waiting.
  b.wait(e.ttft_s - prefill.time_s);
  const decode = e.phases.decode;
  if (decode) {
    // Collectives on the critical path and host gaps (the engine's CPU work) are waits at idle power.
    const comm = (decode.comm_s ?? 0) + (decode.host_s ?? 0);
    const busy = decode.time_s - comm;
    const exec = resolveExecutionPrecision(ctx.chip, precision).precision;
    b.mark("decode").phase({ busy_s: busy, flops: decode.flops, bytes: decode.bytes, ...decodeDynamicJ(e, ctx, busy) }, exec.compute, 1 / pp);
    b.wait(decode.time_s - busy / pp);
  }
  const tokens = e.output_tokens_per_s * e.e2e_latency_s;
  const imageModel = category === "cnn" || category === "vision-transformer" || category === "diffusion-unet";
  const work = tokens > 0 ? { unit: "output token", count: tokens / e.chips } : { unit: imageModel ? "image" : "sample", count: (e.samples_per_s * e.e2e_latency_s) / e.chips };
  return { profile: b.build(), time_s: e.e2e_latency_s, work };
}

export function trainingProfile(e: TrainingEstimate, ctx: CostContext, model: ModelSpec, precision: Precision): WorkloadProfile {
  const s = e.step_breakdown_s;
  const busy = s.forward + s.backward + s.recompute + s.optimizer;
  const seq = e.samples_per_s > 0 && e.tokens_per_s > 0 ? Math.max(1, Math.round(e.tokens_per_s / e.samples_per_s)) : 1;
  // The stack the estimate ran on (execution, fused attention) prices the profile's graph the same way.
  const stack = e.software?.settings ?? {};
  const flash = typeof stack.flash_attention === "boolean" ? { flash_attention: stack.flash_attention } : {};
  const graph = evaluateGraph(trainingGraph({ model, precision, seq_len: seq, ...flash }, e.layout.microbatch).graph, ctx, stack.execution === "eager" ? { execution: "eager" } : {});
  const forwardBusy = graph.time_s;
  const b = new ProfileBuilder(ctx);
  if (forwardBusy > 0) b.graph(graph, busy / forwardBusy);
  b.wait(e.step_time_s - busy);
  return { profile: b.build(), time_s: e.step_time_s, work: { unit: "training step", count: 1 } };
}

/**
 * The decode phase's dynamic energy per chip-equivalent (the tp·pp group's energy less static power over
 * the busy time and idle power over the waits, per chip), or nothing when the estimate has no energy.
 */
function decodeDynamicJ(e: InferenceEstimate, ctx: CostContext, busy: number): { dynamic_j?: number } {
  const d = e.phases.decode;
  if (d?.energy_j === undefined) return {};
  const group = Math.max(1, e.tp) * Math.max(1, e.pp);
  const pp = Math.max(1, e.pp);
  const staticW = (ctx.chip.power.tdp_w ?? 0) * ctx.efficiency.static_power_fraction;
  const idleW = ctx.chip.power.idle_w ?? staticW;
  const perChip = d.energy_j / group - staticW * (busy / pp) - idleW * (d.time_s - busy / pp);
  return { dynamic_j: Math.max(0, perChip * pp) };
}
