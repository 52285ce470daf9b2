import type { ScalingCurve } from "../../assess/scaling-curve.js";
import type { BreakdownInput, RooflineInput, ScalingSeries } from "../../charts/index.js";
import type { TrainingEstimate } from "../../estimate/estimate-training.js";
import type { InferenceEstimate } from "../../estimate/estimate-inference.js";
import type { Chip } from "../../hardware/chip.js";
import type { BreakdownResult } from "../jobs/breakdown-job.js";

/**
 * Chart data from results the engine already computes: chip peaks and bandwidth (rooflines), the
 * per-op rows of a forward pass (op placement, time by op kind), the inference estimate (memory and
 * energy per phase) and the scaling job (efficiency against chip count). Pure functions of those
 * results, so the same results always give the same charts.
 */

/** A chip's roofs: matrix peaks per dtype (vector peaks when it has no matrix engine) and its memory bandwidth. */
export function chipRoofs(chip: Chip): Pick<RooflineInput, "chip" | "peaks_flops_per_s" | "memory_bandwidth_bytes_per_s"> {
  const peaks = Object.keys(chip.matrix.peak_flops_per_s).length ? chip.matrix.peak_flops_per_s : chip.vector.peak_flops_per_s;
  return { chip: chip.id, peaks_flops_per_s: { ...peaks }, memory_bandwidth_bytes_per_s: chip.memory.main.bandwidth_bytes_per_s ?? 0 };
}

/** Roofline inputs of a chip: its roofs and the pass's ops. */
export function rooflineInput(chip: Chip, pass: BreakdownResult, workload: string): RooflineInput {
  return {
    ...chipRoofs(chip),
    workload,
    ops: pass.ops.map((r) => ({ name: `${r.block}/${r.op}`, flops: r.flops, bytes: r.bytes, time_s: r.time_s, bound: r.bound })),
  };
}

/** Time of the pass per chip, stacked by op kind (ms). */
export function timeBreakdown(passes: ReadonlyArray<BreakdownResult>, what: string): BreakdownInput {
  const rows: BreakdownInput["rows"][number][] = [];
  for (const p of passes) {
    const byKind = new Map<string, number>();
    for (const r of p.ops) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.total_time_s * 1e3);
    for (const [part, value] of byKind) rows.push({ group: p.chip, part, value });
  }
  return { title: `Time of one ${what}, by op kind`, axis_title: "time (ms)", rows };
}

/** Memory per chip by component (GB), from the inference estimates. */
export function memoryBreakdown(estimates: ReadonlyArray<InferenceEstimate>): BreakdownInput {
  const parts = ["weights", "kv_cache", "activations", "other", "draft_model"] as const;
  const rows = estimates.flatMap((e) => parts.filter((k) => (e.memory_breakdown_bytes[k] ?? 0) > 0).map((k) => ({ group: e.chip, part: k.replace("_", " "), value: e.memory_breakdown_bytes[k]! / 1e9 })));
  return { title: "Memory per chip by component", axis_title: "memory per chip (GB)", rows };
}

/** Energy of one request per chip, prefill and decode (J); chips without a TDP are left out. */
export function energyBreakdown(estimates: ReadonlyArray<InferenceEstimate>): BreakdownInput | undefined {
  const rows = estimates.flatMap((e) => {
    const out: Array<{ group: string; part: string; value: number }> = [];
    if (e.phases.prefill.energy_j !== undefined) out.push({ group: e.chip, part: "prefill", value: e.phases.prefill.energy_j });
    if (e.phases.decode?.energy_j !== undefined) out.push({ group: e.chip, part: "decode", value: e.phases.decode.energy_j });
    return out;
  });
  return rows.length ? { title: "Energy of the run per chip group, by phase", axis_title: "energy (J)", rows, parts: ["prefill", "decode"] } : undefined;
}

/** The assessment's weak-scaling curve of one chip (the scalability factor's): efficiency per count that fits. */
export function scalingSeriesOf(chip: string, curve: ScalingCurve): ScalingSeries {
  return { chip, points: curve.points.filter((p) => p.fits && p.efficiency !== null).map((p) => ({ chips: p.chips, efficiency: p.efficiency! })) };
}

/** Memory per chip by component (GB), from the training estimates (model state at the chosen ZeRO stage, activations). */
export function trainingMemoryBreakdown(estimates: ReadonlyArray<TrainingEstimate>): BreakdownInput {
  const parts = ["weights", "gradients", "optimizer", "activations", "kv_cache", "other"] as const;
  const rows = estimates.flatMap((e) => parts.filter((k) => e.memory_breakdown_bytes[k] > 0).map((k) => ({ group: e.chip, part: k.replace("_", " "), value: e.memory_breakdown_bytes[k] / 1e9 })));
  return { title: "Memory per chip by component, training", axis_title: "memory per chip (GB)", rows };
}

/** Energy of one training step on all the chips (J), per chip type; chips without a TDP are left out. */
export function trainingEnergyBreakdown(estimates: ReadonlyArray<TrainingEstimate>): BreakdownInput | undefined {
  const rows = estimates.flatMap((e) => (e.energy_per_step_j !== undefined ? [{ group: e.chip, part: "step", value: e.energy_per_step_j }] : []));
  const chips = estimates[0]?.chips;
  return rows.length ? { title: `Energy of one training step on all ${chips} chips (the estimate gives no split)`, axis_title: "energy per step (J)", rows } : undefined;
}
