import type { EfficiencyParamKey } from "./family-spec.js";

/**
 * The family efficiency parameters a calibration may fit (`xpusim calibrate`) and their physical
 * bounds: the continuous ones that set how fast a chip runs (achievable fractions of peak, per-kernel
 * overheads). Discrete choices (tiles, stages) and the power/energy constants are never fitted. A
 * per-dtype entry of `matrix_efficiency_by_dtype` is its own parameter (`matrix_efficiency_by_dtype.fp8`).
 * No zod here: the overlay's application (core/app/calibrated-catalog.ts) reads these without the schemas.
 */
export const CALIBRATABLE_FRACTIONS = [
  "matrix_efficiency",
  "vector_efficiency",
  "attention_efficiency",
  "main_memory_efficiency",
  "onchip_memory_efficiency",
  "gemv_bandwidth_efficiency",
  "l2_effective_fraction",
  "tail_wave_balance",
  "dequant_overlap",
] as const satisfies readonly EfficiencyParamKey[];

export const CALIBRATABLE_TIMES = ["kernel_launch_overhead_s", "eager_dispatch_overhead_s", "main_memory_latency_s"] as const satisfies readonly EfficiencyParamKey[];

/** Parameters whose physical lower bound is 0 (a share that may vanish); other fractions must stay > 0. */
const MAY_BE_ZERO: ReadonlySet<string> = new Set(["tail_wave_balance", "dequant_overlap"]);

/** Lowest value an efficiency (a divisor of peak rates) may take: the physical bound (0, 1] made closed. */
export const MIN_EFFICIENCY = 0.01;

/** Times without a stated range may move to at most this multiple of the catalog value. */
export const TIME_BOUND_FACTOR = 3;

/** Every overlay key a calibration may write (the per-dtype table is written per dtype). */
export function isCalibratableKey(key: string): boolean {
  const [base, dtype] = key.split(".");
  if (dtype !== undefined) return base === "matrix_efficiency_by_dtype" && dtype.length > 0;
  return (CALIBRATABLE_FRACTIONS as readonly string[]).includes(key) || (CALIBRATABLE_TIMES as readonly string[]).includes(key);
}

export function isTimeKey(key: string): boolean {
  return (CALIBRATABLE_TIMES as readonly string[]).includes(key);
}

/** Physical bounds of a key given its catalog value. */
export function physicalBounds(key: string, catalog: number): [number, number] {
  if (isTimeKey(key)) return [0, TIME_BOUND_FACTOR * catalog];
  return [MAY_BE_ZERO.has(key) ? 0 : MIN_EFFICIENCY, 1];
}
