import { XpusimError } from "../diagnostics/diagnostic.js";
import type { InferenceEstimate } from "../estimate/inference-request.js";
import type { OpEstimate } from "../estimate/estimate-op.js";
import type { PricedStage } from "../pipeline/pipeline-types.js";
import { unitFramesPerSecond } from "../pipeline/unit-rate.js";
import { unnamedMathDType } from "../estimate/native-precision.js";
import type { Chip } from "../hardware/chip.js";
import type { PipelineStage } from "../spec/pipeline-spec.js";
import type { Catalog } from "./catalog.js";
import { inferenceJob } from "./jobs/inference-job.js";
import { opJob } from "./jobs/op-job.js";

/**
 * Each kind of pipeline stage priced as one server of known rate:
 * - fixed: `rate_per_s` per unit (its own latency_s, else 1/rate);
 * - unit: a catalog fixed-function unit's frames/s at the codec and resolution (unit-rate.ts);
 * - chip: the inference (or op) estimator at the stated batch: items/s = batch ÷ batch latency × count.
 */
export function priceStage(s: PipelineStage, catalog: Catalog): PricedStage {
  if (s.rate_per_s !== undefined) return fixedStage(s, s.rate_per_s);
  if (s.unit !== undefined) return unitStage(s, catalog);
  return chipStage(s, catalog);
}

function fixedStage(s: PipelineStage, rate: number): PricedStage {
  return {
    name: s.name,
    kind: "fixed",
    what: `${s.count > 1 ? `${s.count} × ` : ""}fixed rate ${rate} items/s`,
    count: s.count,
    rate_per_s: rate * s.count,
    batch: 1,
    latency_s: s.latency_s ?? 1 / rate,
    ...(s.power_w !== undefined ? { active_power_w: s.power_w } : {}),
    ...(s.cost_per_hour !== undefined ? { cost_per_hour: s.cost_per_hour * s.count } : {}),
    fits: true,
    notes: s.latency_s === undefined ? ["latency not given: one item's service time 1/rate_per_s assumed"] : [],
  };
}

function unitStage(s: PipelineStage, catalog: Catalog): PricedStage {
  const ref = typeof s.unit === "string" ? { id: s.unit } : s.unit!;
  const unit = catalog.pipelineParts().unit(ref.id);
  const r = unitFramesPerSecond(unit, ref.codec, ref.resolution);
  const notes = [`${unit.name}: ${r.basis}`];
  if (typeof s.unit === "string") notes.push(`codec and resolution not given: the unit's first published rate (${r.codec} ${r.resolution}) used`);
  const power = s.power_w ?? unit.power_w?.value;
  return {
    name: s.name,
    kind: "unit",
    what: `${s.count > 1 ? `${s.count} × ` : ""}${unit.id} (${r.codec} ${r.resolution})`,
    count: s.count,
    rate_per_s: r.frames_per_s * s.count,
    batch: 1,
    latency_s: s.latency_s ?? (unit.engines ?? 1) / r.frames_per_s,
    ...(power !== undefined ? { active_power_w: power } : {}),
    ...(s.cost_per_hour !== undefined ? { cost_per_hour: s.cost_per_hour * s.count } : {}),
    fits: true,
    notes,
  };
}

/** A stage's errors carry its place in the file: `stages[2].workload.model`. */
export function withinStage<T>(index: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    throw new XpusimError(e.diagnostics.map((d) => ({ ...d, path: d.path.startsWith("stages[") ? d.path : `stages[${index}]${d.path ? `.${d.path}` : ""}` })));
  }
}

interface ChipCall {
  latency_s: number;
  fits: boolean;
  reason?: string;
  active_power_w?: number;
  label: string;
}

function modelCall(s: PipelineStage, chip: Chip, model: string | Record<string, unknown>, batch: number, catalog: Catalog, notes: string[]): ChipCall {
  const inf = s.inference ?? {};
  const native = unnamedMathDType(chip);
  if (!s.precision && native.note) notes.push(native.note);
  const e: InferenceEstimate = inferenceJob.run(
    { chip: s.chip!, model, precision: s.precision ?? { compute: native.dtype }, batch, input_tokens: inf.input_tokens ?? 1, output_tokens: inf.output_tokens ?? 0, chips: 1, tp: 1, pp: 1, ...(inf.image_size ? { image_size: inf.image_size } : {}) },
    catalog,
  );
  const reason = e.fits ? undefined : `does not fit: needs ${(e.memory_per_chip_bytes / 1e9).toFixed(1)} GB of ${(e.memory_capacity_bytes / 1e9).toFixed(1)} GB`;
  return { latency_s: e.e2e_latency_s, fits: e.fits, ...(reason ? { reason } : {}), ...(e.average_power_w !== undefined ? { active_power_w: e.average_power_w } : {}), label: e.model };
}

function opCall(s: PipelineStage, op: Record<string, unknown>, catalog: Catalog): ChipCall {
  const e = opJob.run({ op, chip: s.chip!, source: "pipeline stage", dtype_default: "native" }, catalog) as OpEstimate;
  const power = e.energy_j !== undefined && e.latency_s > 0 ? e.energy_j / e.latency_s : undefined;
  return { latency_s: e.latency_s, fits: true, ...(power !== undefined ? { active_power_w: power } : {}), label: String(op.type) };
}

function chipStage(s: PipelineStage, catalog: Catalog): PricedStage {
  const chip = catalog.chip(s.chip!);
  const batch = s.batch ?? 1;
  const w = s.workload!;
  const notes: string[] = [];
  const call = "model" in w ? modelCall(s, chip, w.model, batch, catalog, notes) : opCall(s, w.op as Record<string, unknown>, catalog);
  let active = call.active_power_w;
  if (active === undefined && chip.power.tdp_w !== undefined) {
    active = chip.power.tdp_w;
    notes.push(`no energy model for this call: the chip's TDP (${chip.power.tdp_w} W) taken as its power at full load`);
  }
  if (chip.power.idle_w === undefined && active !== undefined) notes.push("idle power not in the chip's data: taken as 0 W while the stage waits");
  const price = s.cost_per_hour ?? chip.cost.cloud_usd_per_hour;
  const perUnit = call.fits && call.latency_s > 0 ? batch / call.latency_s : 0;
  return {
    name: s.name,
    kind: "chip",
    what: `${s.count > 1 ? `${s.count} × ` : ""}${chip.id}: ${call.label} at batch ${batch}`,
    count: s.count,
    rate_per_s: perUnit * s.count,
    batch,
    latency_s: call.latency_s,
    ...(active !== undefined ? { active_power_w: active } : {}),
    ...(chip.power.idle_w !== undefined ? { idle_power_w: chip.power.idle_w } : {}),
    ...(price !== undefined ? { cost_per_hour: price * s.count } : {}),
    fits: call.fits,
    ...(call.reason ? { reason: call.reason } : {}),
    notes,
  };
}
