/** Chart inputs of one training layout and of the scaling curve (core/charts spec builders draw them). */
import type { BreakdownInput, ScalingChartInput } from "../../../core/charts/index.js";
import type { ScalingResult, TrainingEstimate } from "../../../core/app/index.js";

const GiB = 2 ** 30;

/** Memory per chip by category, GiB, one stacked bar (the capacity in the title). */
export function memoryInput(e: TrainingEstimate): BreakdownInput {
  const m = e.memory_breakdown_bytes;
  const parts: [string, number][] = [
    ["weights", m.weights],
    ["gradients", m.gradients],
    ["optimizer", m.optimizer],
    ["activations", m.activations],
    ["KV cache", m.kv_cache],
    ["other", m.other],
  ];
  const shown = parts.filter(([, v]) => v > 0);
  return {
    title: `Memory per chip: ${(e.memory_per_chip_bytes / GiB).toFixed(1)} of ${(e.memory_capacity_bytes / GiB).toFixed(1)} GiB`,
    axis_title: "GiB per chip",
    rows: shown.map(([part, v]) => ({ group: "per chip", part, value: v / GiB })),
    parts: shown.map(([p]) => p),
  };
}

/** The step time split into what the critical path spends it on, ms (the parts sum to the step). */
export function stepInput(e: TrainingEstimate): BreakdownInput {
  const b = e.step_breakdown_s;
  const parts: [string, number][] = [
    ["forward", b.forward],
    ["backward", b.backward],
    ["recompute", b.recompute],
    ["tensor-parallel comm", b.tensor_parallel_comm],
    ["expert-parallel comm", b.expert_parallel_comm],
    ["context-parallel comm", b.context_parallel_comm],
    ["pipeline p2p", b.pipeline_p2p],
    ["data-parallel (exposed)", b.data_parallel_exposed],
    ["overlap slowdown", b.overlap_slowdown],
    ["pipeline bubble", b.pipeline_bubble],
    ["optimizer", b.optimizer],
  ];
  const shown = parts.filter(([, v]) => v > 0);
  return {
    title: `Step time: ${(e.step_time_s * 1e3).toPrecision(4)} ms`,
    axis_title: "ms per step",
    rows: shown.map(([part, v]) => ({ group: "step", part, value: v * 1e3 })),
    parts: shown.map(([p]) => p),
  };
}

/** The scaling curve: efficiency per count that fits. */
export function scalingInput(r: ScalingResult): ScalingChartInput {
  return {
    title: `Strong scaling of ${r.model} on ${r.chip}`,
    series: [{ chip: r.chip, points: r.points.filter((p) => p.fits && p.scaling_efficiency !== undefined).map((p) => ({ chips: p.chips, efficiency: p.scaling_efficiency! })) }],
  };
}
