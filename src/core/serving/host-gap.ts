import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { StepBatch, StepCostModel } from "./step-batch.js";

/**
 * The host (CPU) work of one engine iteration: the scheduler choosing the next batch and preparing
 * its inputs, sampling and detokenising the last step's tokens, the API server streaming them. It
 * grows with the sequences in the batch:
 *
 *   host(batch) = per_step_s + per_sequence_s × (chunks + decodes)
 *
 * Not overlapped (vLLM before 0.6, eager stacks): the GPU waits for it every step, so a step takes
 * gpu + host. Overlapped (TensorRT-LLM's overlap scheduler, vLLM V1's async scheduling, SGLang's
 * zero-overhead scheduler): the CPU prepares step n+1 while the GPU runs step n, so a step takes
 * max(gpu, host) — the host shows only when it is the longer of the two (large batches of a small
 * model). Either way a host gap never makes a step faster. While the GPU waits it draws idle power.
 */
export interface HostGap {
  per_step_s: number;
  per_sequence_s: number;
  overlapped: boolean;
}

/** Host time of one iteration, s. */
export function hostTimeS(batch: StepBatch, host: HostGap): number {
  return host.per_step_s + host.per_sequence_s * (batch.chunks + batch.decodes);
}

/** Wall time of one iteration whose GPU part takes `gpuS`, s. */
export function stepWithHostS(gpuS: number, hostS: number, overlapped: boolean): number {
  return overlapped ? Math.max(gpuS, hostS) : gpuS + hostS;
}

/** The host gap a serving config states, or undefined when it states none. */
export function hostGapOf(c: { host_per_step_s?: number; host_per_sequence_s?: number; host_overlapped?: boolean }): HostGap | undefined {
  if (c.host_per_step_s === undefined && c.host_per_sequence_s === undefined) return undefined;
  return { per_step_s: c.host_per_step_s ?? 0, per_sequence_s: c.host_per_sequence_s ?? 0, overlapped: c.host_overlapped ?? false };
}

/**
 * A step cost model with the engine's host gap: the time per `stepWithHostS`, the energy the GPU
 * model's plus idle power × chips over the time the chips wait on the host.
 */
export function withHostGap(step: StepCostModel, host: HostGap): StepCostModel {
  for (const k of ["per_step_s", "per_sequence_s"] as const) {
    if (!(host[k] >= 0 && Number.isFinite(host[k]))) throw new XpusimError(error("E_RANGE", `host_${k}`, "a host time must be a finite number ≥ 0", { got: String(host[k]) }));
  }
  const wait = (b: StepBatch, gpu: number) => stepWithHostS(gpu, hostTimeS(b, host), host.overlapped) - gpu;
  const chips = step.chips ?? 1;
  const base = step.stepEnergyJ?.bind(step);
  const mode = host.overlapped ? "overlapped with the GPU (step = max(gpu, host))" : "not overlapped (step = gpu + host)";
  return {
    id: `${step.id}+host-gap`,
    notes: [...step.notes, `host gap per step: ${(host.per_step_s * 1e6).toFixed(0)} µs + ${(host.per_sequence_s * 1e6).toFixed(1)} µs per scheduled sequence, ${mode}`],
    stepTimeS: (b) => {
      const gpu = step.stepTimeS(b);
      return gpu + wait(b, gpu);
    },
    ...(base ? { stepEnergyJ: (b: StepBatch) => base(b) + (step.idle_power_w ?? 0) * chips * wait(b, step.stepTimeS(b)) } : {}),
    ...(step.idle_power_w !== undefined ? { idle_power_w: step.idle_power_w } : {}),
    ...(step.chips !== undefined ? { chips: step.chips } : {}),
  };
}
