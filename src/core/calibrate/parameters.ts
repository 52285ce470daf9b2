import type { EfficiencyParamKey, EfficiencyParams, ResolvedEfficiency } from "../spec/family-spec.js";
import type { DType } from "../units/dtype.js";
import { CALIBRATABLE_FRACTIONS, CALIBRATABLE_TIMES, isTimeKey, physicalBounds } from "../spec/calibration-keys.js";

/**
 * The parameters a calibration fits, one per family and key (which keys: core/spec/calibration-keys.ts),
 * with their bounds — the family file's stated `range`, else the physical bound (say which) — and
 * the prior scale the fit measures moves in; reading and replacing values in resolved parameters.
 */
export { CALIBRATABLE_FRACTIONS, CALIBRATABLE_TIMES, isCalibratableKey, isTimeKey, physicalBounds } from "../spec/calibration-keys.js";

/** A parameter stated without a range is taken as known to ±this fraction of its value (prior scale). */
export const UNRANGED_PRIOR_FRACTION = { fraction: 0.1, time: 0.5 } as const;

/** Where a parameter's bounds come from. */
export type BoundSource = "range" | "physical";

/** One fittable parameter of one family: `<family>:<key>` (key dotted for per-dtype entries). */
export interface CalibrationParam {
  id: string;
  family: string;
  /** `matrix_efficiency`, or `matrix_efficiency_by_dtype.fp16`. */
  key: string;
  /** The catalog value (SI units). */
  catalog: number;
  bounds: [number, number];
  bound_source: BoundSource;
  /** How far the prior lets the value move per unit of prior weight: half the range, else a share of the value. */
  prior_scale: number;
}

/** The value of a parameter key in resolved parameters (undefined where the key has no value, e.g. a dtype absent from the table). */
export function paramValue(p: EfficiencyParams, key: string): number | undefined {
  const [base, dtype] = key.split(".");
  if (dtype !== undefined) return base === "matrix_efficiency_by_dtype" ? p.matrix_efficiency_by_dtype[dtype as DType] : undefined;
  const v = (p as unknown as Record<string, unknown>)[key];
  return typeof v === "number" ? v : undefined;
}

/** Parameters with some keys replaced (a new object; the input is not changed). */
export function withParamValues(p: EfficiencyParams, values: Readonly<Record<string, number>>): EfficiencyParams {
  const out = { ...p, matrix_efficiency_by_dtype: { ...p.matrix_efficiency_by_dtype } } as EfficiencyParams;
  for (const [key, v] of Object.entries(values)) {
    const [base, dtype] = key.split(".");
    if (dtype !== undefined && base === "matrix_efficiency_by_dtype") out.matrix_efficiency_by_dtype[dtype as DType] = v;
    else (out as unknown as Record<string, number>)[key] = v;
  }
  return out;
}

/** The candidate parameters of a chip's family, with bounds from the family data's ranges (else physical bounds). */
export function candidateParams(family: string, eff: ResolvedEfficiency): CalibrationParam[] {
  const keys: string[] = [...CALIBRATABLE_FRACTIONS, ...CALIBRATABLE_TIMES];
  for (const dtype of Object.keys(eff.params.matrix_efficiency_by_dtype)) keys.push(`matrix_efficiency_by_dtype.${dtype}`);
  const out: CalibrationParam[] = [];
  for (const key of keys) {
    const catalog = paramValue(eff.params, key);
    if (catalog === undefined || !(catalog > 0)) continue;
    const range = eff.provenance[key.split(".")[0] as EfficiencyParamKey]?.range;
    const physical = physicalBounds(key, catalog);
    const bounds: [number, number] = range
      ? [Math.max(physical[0], Math.min(range[0], catalog)), Math.min(physical[1], Math.max(range[1], catalog))]
      : physical;
    const prior_scale = range ? Math.max((range[1] - range[0]) / 2, 1e-3 * catalog) : catalog * (isTimeKey(key) ? UNRANGED_PRIOR_FRACTION.time : UNRANGED_PRIOR_FRACTION.fraction);
    out.push({ id: `${family}:${key}`, family, key, catalog, bounds, bound_source: range ? "range" : "physical", prior_scale });
  }
  return out;
}
