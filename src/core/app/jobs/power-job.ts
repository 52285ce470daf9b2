import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { InferenceEstimate } from "../../estimate/estimate-inference.js";
import type { TrainingEstimate } from "../../estimate/estimate-training.js";
import type { Chip } from "../../hardware/chip.js";
import { analysePower, inferenceProfile, type PowerAnalysis, type PowerConditions, type RackInputs, trainingProfile } from "../../power/index.js";
import type { EnergyCatalog } from "../../spec/energy-spec.js";
import type { Scenario } from "../../spec/scenario-spec.js";
import { type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { inferenceJob, type InferenceJobRequest } from "./inference-job.js";
import { trainingJob, type TrainingJobRequest } from "./training-job.js";

/**
 * Power and thermal of a model on a chip (docs/power.md): the inference or training estimate as the
 * `inference` / `training` jobs make it, then the power model over it — demanded power, the clock the
 * stock TDP or a user cap allows, junction temperature from a cold start, the sustained clock once the
 * cooler saturates, energy per unit of work, facility energy, cost and CO₂, and rack power density.
 */
export interface PowerJobRequest {
  chip: SpecRef;
  model: SpecRef;
  mode: "inference" | "training";
  precision?: PrecisionInput;
  /** Inference shape (mode inference); defaults batch 1, 2048 input and 256 output tokens, 1 chip. */
  inference?: Partial<Omit<InferenceJobRequest, "chip" | "model" | "precision">>;
  /** Training shape (mode training); defaults global batch 1024 sequences of 2048 tokens, 1 chip. */
  training?: Partial<Omit<TrainingJobRequest, "chip" | "model" | "precision">>;
  conditions?: PowerConditions;
  /** Length of the burst → sustained timeline, s (default 600). */
  duration_s?: number;
  /** System for rack power density (and for multi-chip layouts when the shape names none). */
  system?: SpecRef;
  /** Nodes per rack (default: the facility table's entry for the system). */
  nodes_per_rack?: number;
}

export interface PowerJobResult extends PowerAnalysis {
  mode: "inference" | "training";
  model: string;
  /** What was estimated, in words. */
  workload: string;
  /** The estimate's wall time of the profiled work (stock power), s. */
  estimate_time_s: number;
  /** System the rack figures are for. */
  system: string | null;
}

export const powerJob = defineJob<PowerJobRequest, PowerJobResult>({
  id: "power",
  summary: "power and thermal of a workload: demanded power, DVFS under a power cap, junction temperature and throttling over time, energy per token/step, facility cost and CO2, rack power",
  supports: "every chip with a TDP (thermal: with a form factor or an explicit thermal resistance); inference and training workloads",
  run(req, catalog) {
    const chip = catalog.chip(req.chip);
    if (req.mode !== "inference" && req.mode !== "training") {
      throw new XpusimError(error("E_SCHEMA", "mode", `unknown mode ${String(req.mode)}`, { expected: "inference or training", got: String(req.mode) }));
    }
    const ctx = catalog.context(chip);
    const precision = resolvePrecision(req.precision);
    const model = catalog.model(req.model);
    const tokenModel = model.category === "decoder-llm" || model.category === "encoder";
    const { estimate, workload } = req.mode === "inference" ? inferenceWork(req, catalog, tokenModel) : trainingWork(req, catalog, tokenModel);
    const wprof = req.mode === "inference" ? inferenceProfile(estimate as InferenceEstimate, ctx, precision, model.category) : trainingProfile(estimate as TrainingEstimate, ctx, model, precision);
    const energy = catalog.energy();
    const rack = rackOf(req, catalog, chip, energy);
    const analysis = analysePower({
      profile: wprof.profile,
      ctx,
      estimate_time_s: wprof.time_s,
      work: wprof.work,
      conditions: req.conditions ?? {},
      energy,
      ...(req.duration_s !== undefined ? { duration_s: checkDuration(req.duration_s) } : {}),
      ...(rack.inputs ? { rack: rack.inputs } : {}),
      fields: { power_cap: "conditions.power_cap_w", resistance: "conditions.thermal_resistance_c_per_w", ambient: "conditions.ambient_c", time_constant: "conditions.thermal_time_constant_s", tj_max: "conditions.tj_max_c", pue: "conditions.pue", usd_per_kwh: "conditions.usd_per_kwh", co2: "conditions.grid_kg_co2_per_kwh" },
    });
    return { mode: req.mode, model: estimate.model, workload, estimate_time_s: wprof.time_s, system: rack.system, ...analysis, notes: [...analysis.notes, ...rack.notes] };
  },
});

/**
 * The power request of a scenario file (kind: inference or training): its chip, model, precision and
 * shape as the inference / training jobs read them; the caller adds the operating conditions.
 */
export function powerRequestFromScenario(s: Scenario, catalog: Catalog): PowerJobRequest {
  if (s.kind === "inference") {
    const { chip, model, precision, ...shape } = inferenceJob.fromScenario!(s, catalog);
    return { chip, model, mode: "inference", ...(precision ? { precision } : {}), inference: shape };
  }
  if (s.kind === "training") {
    const { chip, model, precision, ...shape } = trainingJob.fromScenario!(s, catalog);
    return { chip, model, mode: "training", precision, training: shape };
  }
  throw new XpusimError(error("E_SCHEMA", "kind", `power needs a kind: inference or kind: training scenario, got kind: ${s.kind}`, { expected: "inference or training", got: s.kind }));
}

function inferenceWork(req: PowerJobRequest, catalog: Catalog, tokenModel: boolean): { estimate: InferenceEstimate; workload: string } {
  const shape = { batch: 1, input_tokens: 2048, output_tokens: 256, chips: 1, tp: 1, pp: 1, ...req.inference };
  const e = inferenceJob.run({ ...shape, chip: req.chip, model: req.model, ...(req.precision ? { precision: req.precision } : {}), ...(req.system !== undefined && shape.system === undefined ? { system: req.system } : {}) } as InferenceJobRequest, catalog);
  return { estimate: e, workload: `${e.model} inference, ${e.precision.executed}, batch ${shape.batch}${tokenModel ? `, ${shape.input_tokens}+${shape.output_tokens} tokens` : ""}, ${e.chips} chip${e.chips > 1 ? "s" : ""}` };
}

function trainingWork(req: PowerJobRequest, catalog: Catalog, tokenModel: boolean): { estimate: TrainingEstimate; workload: string } {
  const shape = { global_batch: 1024, seq_len: 2048, recompute: "none" as const, chips: 1, ...req.training };
  const e = trainingJob.run({ ...shape, chip: req.chip, model: req.model, precision: req.precision ?? {}, ...(req.system !== undefined && shape.system === undefined ? { system: req.system } : {}) } as TrainingJobRequest, catalog);
  return { estimate: e, workload: `${e.model} training step, global batch ${shape.global_batch}${tokenModel ? ` × ${shape.seq_len} tokens` : ""}, ${e.chips} chip${e.chips > 1 ? "s" : ""}` };
}

function checkDuration(d: number): number {
  if (!(d > 0) || !Number.isFinite(d)) throw new XpusimError(error("E_RANGE", "duration_s", "the timeline needs a positive duration", { expected: "> 0 s", got: String(d) }));
  return d;
}

/** Rack packaging: the system's entry in the facility table, nodes per rack overridable. */
function rackOf(req: PowerJobRequest, catalog: Catalog, chip: Chip, energy: EnergyCatalog): { inputs?: RackInputs; system: string | null; notes: string[] } {
  if (req.system === undefined) return { system: null, notes: [] };
  const system = catalog.system(req.system, chip, 1);
  if (!system) return { system: null, notes: [] };
  const entry = energy.facility?.racks[system.id];
  if (req.nodes_per_rack !== undefined && !(Number.isInteger(req.nodes_per_rack) && req.nodes_per_rack > 0)) {
    throw new XpusimError(error("E_RANGE", "nodes_per_rack", "nodes per rack must be a positive whole number", { got: String(req.nodes_per_rack) }));
  }
  const nodes = req.nodes_per_rack ?? entry?.nodes_per_rack.value;
  if (nodes === undefined || !entry || chip.power.tdp_w === undefined) {
    return { system: system.id, notes: [`rack power: no rack data for ${system.id} in catalog/energy/facility.yaml${nodes === undefined ? " (give nodes_per_rack)" : " (node power unknown)"}`] };
  }
  return { system: system.id, inputs: { nodes_per_rack: nodes, chips_per_node: system.chips_per_node, node_max_power_w: entry.node_max_power_w.value, rack_other_w: entry.rack_other_w?.value ?? 0, chip_tdp_w: chip.power.tdp_w }, notes: [] };
}
