import type { CostContext } from "../cost/contract.js";
import type { Chip } from "../hardware/chip.js";
import type { SoftwareSpec } from "../spec/software-spec.js";
import type { System } from "../network/build-system.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { MeasuredPoint } from "./measured-point.js";

/**
 * The validation harness's contract: the lookups it needs (injected, so the harness stays
 * browser-safe) and the result of one point. Points that cannot be modelled yet are returned as
 * `unsupported` with the reason — never skipped silently.
 */
export interface ValidationResolvers {
  /** Chip from the hardware text of the measured file ("NVIDIA A100 80GB (DGX A100)"). */
  chipByName(text: string): Chip | undefined;
  /** Model from the model text and config; a string is the reason it cannot be resolved. */
  modelByName(text: string, config: Record<string, unknown>): ModelSpec | string;
  context(chip: Chip): CostContext;
  /** The assumption made to read a model name loosely ("Llama 2 70B (chat)" → llama-2-70b); undefined for exact names. */
  modelNote?(text: string, config: Record<string, unknown>): string | undefined;
  /** Configuration the point's source used but the file omits (catalog/validation/point-supplements.yaml). */
  supplement?(id: string): { config: Record<string, unknown>; source: string } | undefined;
  /**
   * The system a multi-chip measurement ran on, from its hardware text and chip count, with the
   * assumptions made to pick it; a string is the reason it cannot be resolved.
   */
  systemByName?(hardware: string, chipCount: number): { system: System; assumptions: string[] } | string;
  /** A software-stack preset by id or alias (catalog/software); throws XpusimError for an unknown id. */
  software?(id: string): SoftwareSpec;
  /**
   * The GPU-busy share of a serving engine's iterations for the engine and version a point's
   * framework text names ("vLLM 0.5.4"), with its source (catalog/validation/serving-engine-host.yaml);
   * undefined when no entry covers it.
   */
  engineHost?(framework: string): { gpu_busy_fraction: number; entry: string; source: string } | undefined;
  /**
   * Runs a `kind: serving` scenario (given as data, in the scenario format of docs/scenario.md) through
   * the serving simulator; injected by the application layer, which owns the scenario contract
   * (validate does not depend on core/serving). Absent: serving points are listed as unsupported.
   */
  serving?(scenario: Record<string, unknown>): ServingPrediction;
  /**
   * Runs an FPGA design (the fpga job's request as data: chip, model or layers, dtype, clock_hz, tm/tn or
   * dsp_budget, …) through the FPGA accelerator model; injected by the application layer (validate does not
   * depend on core/fpga). Absent: fpga points are listed as unsupported.
   */
  fpga?(request: Record<string, unknown>): FpgaPrediction;
}

/** What fpga points are compared with: the evaluated design's totals (SI units). */
export interface FpgaPrediction {
  feasible: boolean;
  /** Why the design does not fit (the resource that ran out). */
  reason?: string;
  ops_per_s: number;
  peak_ops_per_s: number;
  throughput_per_s: number;
  latency_s: number;
  dsp_efficiency: number;
  power_w: number;
  notes: string[];
}

/** The flat fields of a `kind: serving` result that serving points are compared with (SI units; means). */
export interface ServingPrediction {
  output_tokens_per_s: number;
  requests_per_s: number;
  ttft_mean_s?: number;
  tpot_mean_s?: number;
  e2e_latency_mean_s?: number;
  fits: boolean;
  /** Chips of the run (tp × ep × replicas). */
  chips: number;
  /** What the scenario contract noted while building the run (settings passed over, defaults taken). */
  notes?: string[];
}

export interface ValidationResult {
  id: string;
  category: string;
  metric: string;
  unit: string;
  hardware: string;
  chip?: string;
  measured: number;
  /** The measured range when the source gives one (the error is then taken to its nearer bound). */
  measured_range?: [number, number];
  predicted?: number;
  /** (predicted − measured) / measured; with a measured range, to its nearer bound (0 inside). */
  error?: number;
  status: "ok" | "unsupported" | "failed";
  reason?: string;
  /** Assumptions made to build the scenario (e.g. a batch the source did not state). */
  assumptions: string[];
}

export interface ValidationSummary {
  results: ValidationResult[];
  /** |error| statistics of the predicted points: median, 90th percentile (linear interpolation, quantile()) and maximum. */
  by_category: Array<{ category: string; points: number; predicted: number; median_abs_error?: number; p90_abs_error?: number; max_abs_error?: number }>;
  overall: { points: number; predicted: number; median_abs_error?: number; p90_abs_error?: number; max_abs_error?: number };
}

/** The fields of a result that name the measured point. */
export function pointFields(p: MeasuredPoint): Pick<ValidationResult, "id" | "category" | "metric" | "unit" | "hardware"> {
  return { id: p.id, category: p.category, metric: p.metric, unit: p.unit, hardware: p.hardware };
}

/** A point that cannot be predicted, with the reason. */
export function unsupportedResult(p: MeasuredPoint, reason: string, chip?: Chip): ValidationResult {
  return {
    ...pointFields(p),
    ...(chip ? { chip: chip.id } : {}),
    measured: p.value,
    status: "unsupported",
    reason,
    assumptions: [],
  };
}

/**
 * What every per-category predictor receives: the point, its chip and merged config, the cost
 * context, and `ok`/`unsupported` to build its result. `assumptions` collects what was assumed to
 * build the scenario, in order; `ok` reports them.
 */
export interface PointContext {
  p: MeasuredPoint;
  r: ValidationResolvers;
  chip: Chip;
  /** The point's config, supplemented (catalog/validation/point-supplements.yaml). */
  cfg: Record<string, unknown>;
  ctx: CostContext;
  assumptions: string[];
  /** The predicted value in SI units of the metric → an "ok" result with the signed error. */
  ok(predictedSi: number): ValidationResult;
  unsupported(reason: string): ValidationResult;
}

/**
 * The system a multi-chip point ran on (resolved from `hardware`, the point's text unless given);
 * its assumptions are appended to the point's. A string is the reason it cannot be resolved.
 */
export function pointSystem(pc: PointContext, hardware = pc.p.hardware): System | string {
  if (!pc.r.systemByName) return "no system resolver was supplied to the harness";
  const sys = pc.r.systemByName(hardware, pc.p.chip_count);
  if (typeof sys === "string") return sys;
  pc.assumptions.push(...sys.assumptions);
  return sys.system;
}
