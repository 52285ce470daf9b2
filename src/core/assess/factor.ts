import type { CostContext } from "../cost/contract.js";
import type { InferenceEstimate } from "../estimate/estimate-inference.js";
import type { TrainingEstimate } from "../estimate/estimate-training.js";
import type { Chip } from "../hardware/chip.js";
import type { System } from "../network/build-system.js";
import type { EnergyCatalog } from "../spec/energy-spec.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { MoneyCatalog } from "../spec/money-spec.js";
import type { Precision } from "../workload/precision.js";
import type { PowerOfEstimate } from "../power/index.js";
import type { OpProfile } from "./op-profile.js";
import type { ScalingCurve } from "./scaling-curve.js";
import type { WeightedRanking } from "./weights.js";

/**
 * The nine-factor assessment of a chip for a workload (issue #9). Training chips are judged on
 * compute, memory, data transfer, power, thermal, precision, flexibility, scalability and cost;
 * inference chips on latency, throughput, power, cost, flexibility, security and deployment.
 * Every factor is computed from the chip's data and the workload by one provider
 * (`factors/<name>.ts`), never asserted; a factor without data is `value: null` with what is missing.
 */
export const TRAINING_FACTORS = ["compute", "memory", "data_transfer", "power", "thermal", "precision", "flexibility", "scalability", "cost"] as const;
export const INFERENCE_FACTORS = ["latency", "throughput", "power", "cost", "flexibility", "security", "deployment"] as const;

export type AssessMode = "training" | "inference";
export type TrainingFactorKey = (typeof TRAINING_FACTORS)[number];
export type InferenceFactorKey = (typeof INFERENCE_FACTORS)[number];
export type FactorKey = TrainingFactorKey | InferenceFactorKey;

/** One factor of one chip: part of the `--json` contract of `xpusim assess` (extend, never rename). */
export interface FactorValue {
  /** The headline figure in `unit`; null when the chip's data cannot support it (see `missing`). */
  value: number | null;
  unit: string;
  /** Which way is better when ranking chips on this factor. */
  better: "higher" | "lower";
  /** 1 = best among the chips assessed; null when the value is null. Filled by the assessment. */
  rank: number | null;
  /** What bounds the value ("memory bandwidth", "power cap 700 W: clock 1.71 of 1.98 GHz"), or null. */
  limited_by: string | null;
  /** One sentence a reader can follow: how the value was obtained. */
  note: string;
  /** sourced: read from cited data; derived: computed by a model from sourced data. */
  basis: "sourced" | "derived";
  /** Citation(s) of the data behind a sourced value (chip file source titles). */
  source?: string;
  /** When value is null: the data that is missing ("power.tdp", "cost.price"). */
  missing?: string[];
  /** Supporting figures, each with its unit in its name (sustained_clock_hz, tj_steady_c). */
  details?: Record<string, number | string | boolean | null>;
}

/** Operating conditions shared by the factors (user inputs with sourced defaults in the providers). */
export interface AssessConditions {
  /** Board power cap in W (MLPerf Power runs cap an H200 at e.g. 500 W); default the chip's TDP. */
  power_cap_w?: number;
  cooling?: "air" | "liquid";
  /** Junction-to-ambient thermal resistance in °C/W; default from the form factor and cooling. */
  thermal_resistance_c_per_w?: number;
  ambient_c?: number;
  /** Facility power usage effectiveness (≥ 1). */
  pue?: number;
  usd_per_kwh?: number;
  grid_kg_co2_per_kwh?: number;
  /** Capex amortisation period for TCO, years. */
  amortisation_years?: number;
  /** Share of the time the hardware is busy (TCO per unit of work divides by it), 0–1. */
  utilisation?: number;
  deployment?: "cloud" | "on-premises" | "edge";
}

/** What a factor provider sees: the chip, the workload and the estimate already made for it. */
export interface FactorContext {
  mode: AssessMode;
  chip: Chip;
  /** The chip's cost context (efficiency parameters), for providers that price ops themselves. */
  cost: CostContext;
  /** Chips the workload runs on. */
  chips: number;
  model: ModelSpec;
  precision: Precision;
  /** The inference estimate (mode inference), absent when it could not be made. */
  inference?: InferenceEstimate;
  /** The training-step estimate on `chips` chips (mode training), absent when it could not be made. */
  training?: TrainingEstimate;
  conditions: AssessConditions;
  /** The workload's shape as assessed (batch, tokens, image size); absent only in hand-built contexts. */
  workload?: AssessWorkload;
  /** The system the `chips` chips sit in (absent for one chip). */
  system?: System;
  /** Why no estimate could be made, or why it does not fit (providers that need it say so). */
  estimate_issue?: string;
  /** Shared, computed-once analyses of this chip (the op profile, the scaling curve); see assess/chip-state.ts. */
  shared?: SharedAnalyses;
  /** Ownership defaults (PUE, USD/kWh, server factors, amortisation) from the catalog: `catalog.money()`; the cost factor is unknown without it. */
  money?: MoneyCatalog;
  /**
   * The catalog's energy tables (`catalog.energy()`): cooling defaults per form factor and facility
   * defaults (PUE, $/kWh, grid CO₂) for the power and thermal factors. Without it those factors use
   * the conditions only (thermal needs an explicit resistance, time constant and ambient).
   */
  energy?: EnergyCatalog;
}

/** The workload of an assessment after defaults (assess/workload.ts documents them). */
export interface AssessWorkload {
  model: string;
  /** What throughput counts. */
  unit: "token" | "sequence" | "image";
  /** Inference batch, or the training global batch. */
  batch: number;
  input_tokens?: number;
  output_tokens?: number;
  seq_len?: number;
  image_size?: number;
  /** Chips the workload runs on. */
  count: number;
}

/** Analyses several providers read, each computed at most once per chip (lazily). */
export interface SharedAnalyses {
  /** Op-by-op profile of the workload on this chip: native units vs host fallback (flexibility, memory). */
  opProfile(): OpProfile;
  /** Training-efficiency curve over chip counts (scalability). */
  scalingCurve(): ScalingCurve;
  /**
   * The power analysis of the workload and its sustained operating point under the power cap and the
   * cooling (power, thermal, and every time-based factor: factors/operating.ts). Absent in hand-built contexts.
   */
  power?(): PowerOfEstimate;
}

export type FactorProvider = (ctx: FactorContext) => FactorValue;

/** A factor that cannot be computed: value null, what is missing, never zero. */
export function unknownFactor(unit: string, better: "higher" | "lower", missing: string[], note: string): FactorValue {
  return { value: null, unit, better, rank: null, limited_by: null, note, basis: "derived", missing };
}

/** One chip's assessment. */
export interface ChipAssessment {
  /** Catalog id (or the spec's id). */
  chip: string;
  name: string;
  factors: Partial<Record<FactorKey, FactorValue>>;
  /** The precision the chip was assessed in ("bf16", or the chip's native dtype with why). */
  precision?: string;
  /** Why the workload's estimate could not be made or does not fit on this chip (factors that need it are null). */
  infeasible_reason?: string;
  /** Weighted score in [0, 1] (assess/weights.ts); null when no factor is known for every chip. */
  score?: number | null;
  /** 1 = best weighted score; ties share a rank. */
  overall_rank?: number | null;
}

/** The result of `xpusim assess` (`--json` contract: `{ mode, workload, chips: [{ chip, factors }] }`, extended only). */
export interface AssessResult {
  mode: AssessMode;
  /** What was assessed, in words ("llama-3-70b, bf16, batch 8, 2048+256 tokens, 8 chips"). */
  workload: string;
  /** The factor keys of the mode, in order. */
  factor_keys: FactorKey[];
  chips: ChipAssessment[];
  conditions: AssessConditions;
  /** The weighted ranking: weights used, factors left out (null for some chip), order, and what flips the top choice. */
  ranking?: WeightedRanking;
  /** Notes on the run (bounded searches, defaults applied). */
  notes?: string[];
}
