import type { Chip } from "../../hardware/chip.js";
import type { InferenceEstimate } from "../../estimate/inference-request.js";
import { unnamedMathDType } from "../../estimate/native-precision.js";
import type { DType } from "../../units/dtype.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { inferenceJob } from "../jobs/inference-job.js";
import { npuMapJob } from "../jobs/npu-map-job.js";
import type { RouteFlexibility } from "./route-types.js";

/** What one device of a route does on the workload: per-call latency, throughput, power. */
export interface DevicePerformance {
  available: boolean;
  reason?: string;
  throughput_items_per_s: number;
  latency_s: number;
  power_w: number;
  notes: string[];
}

export function unsupportedOps(chip: Chip): string[] {
  return chip.support.unsupported.flatMap((r) => r.ops);
}

/** A catalog GPU (or any catalog chip) through the inference estimator at its native math dtype. */
export function gpuPerformance(chipRef: SpecRef, model: SpecRef, batch: number, dtype: DType, catalog: Catalog): { chip: Chip; perf: DevicePerformance } {
  const chip = catalog.chip(chipRef);
  const has = (chip.matrix.peak_flops_per_s[dtype] ?? 0) > 0;
  const math = has ? dtype : unnamedMathDType(chip).dtype;
  const e: InferenceEstimate = inferenceJob.run({ chip: chipRef, model, precision: { compute: math }, batch, input_tokens: 1, output_tokens: 0, chips: 1, tp: 1, pp: 1 }, catalog);
  const notes = [`${math} math${has ? "" : ` (the chip has no ${dtype} matrix math: its native dtype)`}, batch ${batch}, the inference estimator`];
  const power = e.average_power_w ?? chip.power.tdp_w;
  if (e.average_power_w === undefined) notes.push(chip.power.tdp_w !== undefined ? "no energy model: TDP taken as power" : "no power data for this chip");
  if (!e.fits) return { chip, perf: { available: false, reason: `does not fit in memory (${(e.memory_per_chip_bytes / 1e9).toFixed(1)} of ${(e.memory_capacity_bytes / 1e9).toFixed(1)} GB)`, throughput_items_per_s: 0, latency_s: e.e2e_latency_s, power_w: power ?? 0, notes } };
  return { chip, perf: { available: power !== undefined, ...(power === undefined ? { reason: "no power data" } : {}), throughput_items_per_s: e.samples_per_s, latency_s: e.e2e_latency_s, power_w: power ?? 0, notes } };
}

/** A custom NPU design through the NPU mapper (per-layer mapping search, access-count energy, area). */
export function asicPerformance(design: SpecRef, model: SpecRef, batch: number, catalog: Catalog): { perf: DevicePerformance; area_mm2: number; process_nm: number; chip: string; name: string } {
  const r = npuMapJob.run({ chip: design, model, batch, max_evals: 500 }, catalog);
  const t = r.totals;
  const notes = [`NPU mapper: ${r.array.rows}×${r.array.cols}${r.array.arrays > 1 ? ` ×${r.array.arrays}` : ""} ${r.array.dtype} ${r.array.dataflow} array at ${(r.array.clock_hz / 1e9).toFixed(2)} GHz, ${t.feasible_layers}/${t.layers} layers mapped`];
  if (t.feasible_layers < t.layers) {
    return { perf: { available: false, reason: `${t.layers - t.feasible_layers} of ${t.layers} layers have no valid mapping on this design`, throughput_items_per_s: 0, latency_s: t.latency_s, power_w: 0, notes }, area_mm2: r.design.area.total_mm2, process_nm: r.design.process_nm, chip: r.design.chip, name: r.array.chip_name };
  }
  const power = t.latency_s > 0 ? (t.energy_pj * 1e-12) / t.latency_s : 0;
  return { perf: { available: true, throughput_items_per_s: batch / t.latency_s, latency_s: t.latency_s, power_w: power, notes }, area_mm2: r.design.area.total_mm2, process_nm: r.design.process_nm, chip: r.design.chip, name: r.array.chip_name };
}

export function flexibilityOf(route: "gpu" | "fpga" | "asic", chip: Chip | undefined): RouteFlexibility {
  const unsupported = chip ? unsupportedOps(chip) : [];
  if (route === "gpu") return { reprogrammed_by: "software", runs: "any model its frameworks support, training and inference; new models need no hardware change", unsupported_ops: unsupported };
  if (route === "fpga") return { reprogrammed_by: "bitstream", runs: "the layer types its design (or overlay) implements; a new bitstream in days to weeks changes them", unsupported_ops: unsupported };
  return { reprogrammed_by: "new silicon", runs: "convolutions and matrix products its array maps; other ops fall back to a host, and a new architecture needs a new chip", unsupported_ops: unsupported };
}
