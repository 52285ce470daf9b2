import { type AssessMode, type AssessResult, type ChipAssessment, type FactorKey, type FactorValue, INFERENCE_FACTORS, TRAINING_FACTORS, unknownFactor } from "../../assess/factor.js";
import type { InferenceEstimate } from "../../estimate/estimate-inference.js";
import type { Chip } from "../../hardware/chip.js";
import type { Catalog, SpecRef } from "../catalog.js";
import type { ScalePoint } from "../jobs/scaling-job.js";

/**
 * SEAM (issue #9): the assessment the report shows. Until the `assess` job lands, this builds a
 * minimal AssessResult from the estimates the report already makes (inference: latency and
 * throughput; training: compute, memory, data transfer, scalability at `count` chips); every other
 * factor is unknown ("assess job"). At merge, replace the body with
 * `JOBS.assess.run({ chips, workload: model, mode, count, ... }, catalog)`; nothing else in the
 * report depends on how the assessment is made.
 */
export interface AssessForReportInput {
  chips: readonly SpecRef[];
  mode: AssessMode;
  workload: string;
  /** Per chip (same order): the inference estimate (mode inference) and the scaling point at `count` (mode training). */
  inference: ReadonlyArray<InferenceEstimate | undefined>;
  training: ReadonlyArray<ScalePoint | undefined>;
  /** Per chip: why its estimates could not be made (its factors are then unknown with this reason). */
  failures?: ReadonlyArray<string | undefined>;
}

export function assessForReport(input: AssessForReportInput, catalog: Catalog): AssessResult {
  const keys: FactorKey[] = input.mode === "training" ? [...TRAINING_FACTORS] : [...INFERENCE_FACTORS];
  const chips: ChipAssessment[] = input.chips.map((ref, i) => {
    const chip = catalog.chip(ref);
    const known = input.mode === "training" ? trainingFactors(chip, input.training[i]) : inferenceFactors(input.inference[i]);
    const factors: ChipAssessment["factors"] = {};
    const failure = input.failures?.[i];
    for (const k of keys) factors[k] = known[k] ?? (failure ? unknownFactor("", "higher", [failure], "the workload could not be estimated on this chip") : unknownFactor("", "higher", ["assess job"], "not computed by the report's interim assessment"));
    return { chip: chip.id, name: chip.name, factors };
  });
  for (const k of keys) rankFactor(chips, k);
  return { mode: input.mode, workload: input.workload, factor_keys: keys, chips, conditions: {} };
}

const derived = (value: number, unit: string, better: "higher" | "lower", limited_by: string | null, note: string, details?: FactorValue["details"]): FactorValue => ({
  value,
  unit,
  better,
  rank: null,
  limited_by,
  note,
  basis: "derived",
  ...(details ? { details } : {}),
});

function inferenceFactors(e: InferenceEstimate | undefined): Partial<Record<FactorKey, FactorValue>> {
  if (!e) return {};
  return {
    latency: derived(e.e2e_latency_s * 1e3, "ms", "lower", `${e.bound} bound`, "end-to-end latency of one request (prefill + decode) from the inference estimate", { ttft_s: e.ttft_s, tpot_s: e.tpot_s }),
    throughput: derived(e.output_tokens_per_s, "tokens/s", "higher", `${e.bound} bound`, "output tokens per second over all chips from the inference estimate", { fits: e.fits }),
  };
}

function trainingFactors(chip: Chip, p: ScalePoint | undefined): Partial<Record<FactorKey, FactorValue>> {
  const out: Partial<Record<FactorKey, FactorValue>> = {};
  const link = chip.interconnect.scale_up;
  if (link?.bandwidth_per_direction_bytes_per_s !== undefined) {
    out.data_transfer = { ...derived(link.bandwidth_per_direction_bytes_per_s / 1e9, "GB/s per direction", "higher", link.name, "scale-up link bandwidth from the chip's data"), basis: "sourced" };
  }
  if (!p?.fits) return out;
  out.compute = derived(p.model_flops_per_s_per_chip! / 1e12, "TFLOP/s per chip", "higher", `MFU ${(p.mfu! * 100).toFixed(1)}%`, `model FLOP/s per chip of the best layout (${p.layout}) at ${p.chips} chips`);
  out.memory = derived(p.memory_per_chip_bytes! / 1e9, "GB per chip", "lower", `capacity ${(chip.memory.main.capacity_bytes / 1e9).toFixed(0)} GB`, `memory per chip of the best layout (${p.layout})`);
  if (p.scaling_efficiency !== undefined) out.scalability = derived(p.scaling_efficiency * 100, "% efficiency", "higher", null, `per-chip throughput at ${p.chips} chips relative to the smallest count that fits`);
  return out;
}

/** Rank 1 = best among the chips with a value; equal values share a rank. */
function rankFactor(chips: ChipAssessment[], key: FactorKey): void {
  const withValue = chips.map((c) => c.factors[key]).filter((f): f is FactorValue => f !== undefined && f.value !== null);
  for (const f of withValue) {
    const better = withValue.filter((g) => (f.better === "higher" ? g.value! > f.value! : g.value! < f.value!)).length;
    f.rank = better + 1;
  }
}
