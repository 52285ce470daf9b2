import type { CostContext } from "../cost/contract.js";
import type { InferenceEstimate } from "../estimate/estimate-inference.js";
import type { TrainingEstimate } from "../estimate/estimate-training.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { EnergyCatalog } from "../spec/energy-spec.js";
import type { Precision } from "../workload/precision.js";
import { analysePower, type PowerAnalysis, type PowerAnalysisInput } from "./analyse-power.js";
import { type SustainedOperatingPoint, sustainedOperatingPoint } from "./operating-point.js";
import type { PowerConditions } from "./power-conditions.js";
import type { PowerProfile } from "./power-profile.js";
import { inferenceProfile, trainingProfile } from "./workload-profile.js";

/** An estimate already made, with what its profile needs. */
export interface EstimateForPower {
  ctx: CostContext;
  model: ModelSpec;
  precision: Precision;
  inference?: InferenceEstimate;
  training?: TrainingEstimate;
}

/**
 * The power analysis of an estimate, or what is missing for it (no TDP, no estimate). Impossible
 * conditions (negative thermal resistance, ambient at or above the junction limit, a cap below idle)
 * still throw XpusimError.
 */
export function powerOfEstimate(e: EstimateForPower, conditions: PowerConditions, energy: EnergyCatalog | undefined, duration_s?: number, fields?: PowerAnalysisInput["fields"]): PowerOfEstimate {
  if (e.ctx.chip.power.tdp_w === undefined) return { missing: ["power.tdp"] };
  const wp = e.training ? trainingProfile(e.training, e.ctx, e.model, e.precision) : e.inference ? inferenceProfile(e.inference, e.ctx, e.precision, e.model.category) : undefined;
  if (!wp) return { missing: ["an inference or training estimate of the workload"] };
  const analysis = analysePower({ profile: wp.profile, ctx: e.ctx, estimate_time_s: wp.time_s, work: wp.work, conditions, ...(energy ? { energy } : {}), ...(duration_s !== undefined ? { duration_s } : {}), ...(fields ? { fields } : {}) });
  const operating = sustainedOperatingPoint(analysis, wp.profile, e.ctx.efficiency.voltage_frequency, wp.time_s);
  return { analysis, operating, profile: wp.profile, missing: [] };
}

/** The analysis and its sustained operating point, or what is missing for them. */
export interface PowerOfEstimate {
  analysis?: PowerAnalysis;
  /** Where the chip settles under the cap and the cooling (operating-point.ts). */
  operating?: SustainedOperatingPoint;
  /** The workload's power profile the analysis was made from (per-phase power: dvfs.ts phasePowerW). */
  profile?: PowerProfile;
  missing: string[];
}
