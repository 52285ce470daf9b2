/**
 * A catalog with a calibration overlay applied (`--calibration my-calibration.yaml`): every chip of
 * a family the overlay names gets the overlay's parameter values in its cost context (what every
 * cost model reads), in its resolved efficiency (with provenance naming the overlay) and in the
 * validation harness's lookups. The built-in catalog is not changed: the wrapper answers from it and
 * replaces values on the way out.
 */
import type { CostContext } from "../cost/contract.js";
import type { Chip } from "../hardware/chip.js";
import { resolversWithValues } from "../calibrate/calibrated-resolvers.js";
import { type CalibrationOverlay, type ErrorBand, errorBandOf, overlayValues } from "../calibrate/overlay.js";
import { withParamValues } from "../calibrate/parameters.js";
import type { EfficiencyParamKey, ResolvedEfficiency } from "../spec/family-spec.js";
import type { Catalog } from "./catalog.js";

/** What a result carries when a calibration is in use (the `calibration` field of --json outputs). */
export interface CalibrationInfo {
  file: string;
  /** The band of the result's category (held-out |error| of that category's measured points). */
  error_band?: { category: string; median_abs_error: number; p90_abs_error: number };
  /** Every category's band, for results that span several. */
  error_bands: ErrorBand[];
}

export function withCalibration(catalog: Catalog, overlay: CalibrationOverlay, file: string): Catalog {
  const values = overlayValues(overlay);
  const contexts = new WeakMap<Chip, CostContext>();
  const context = (chip: Chip): CostContext => {
    const base = catalog.context(chip);
    const v = values.get(chip.family);
    if (!v) return base;
    let ctx = contexts.get(chip);
    if (!ctx) contexts.set(chip, (ctx = { ...base, efficiency: withParamValues(base.efficiency, v) }));
    return ctx;
  };
  const efficiency = (chip: Chip): ResolvedEfficiency | undefined => {
    const base = catalog.efficiency?.(chip);
    const v = values.get(chip.family);
    if (!base || !v) return base;
    const provenance = { ...base.provenance };
    for (const key of Object.keys(v)) {
      const k = key.split(".")[0] as EfficiencyParamKey;
      provenance[k] = { ...provenance[k], from: `calibration:${file}`, note: `calibrated by ${file}${overlay.measured_file ? ` from ${overlay.measured_file}` : ""} (catalog: ${provenance[k]?.from ?? "?"})` };
    }
    return { ...base, params: withParamValues(base.params, v), provenance };
  };
  const resolvers = catalog.validationResolvers;
  return {
    ...catalog,
    context,
    ...(catalog.efficiency ? { efficiency: (chip: Chip) => efficiency(chip)! } : {}),
    ...(resolvers ? { validationResolvers: () => resolversWithValues(resolvers(), values) } : {}),
  };
}

/** The `calibration` field of a result in `category` (undefined: the result spans several; every band is listed). */
export function calibrationInfo(overlay: CalibrationOverlay, file: string, category?: string): CalibrationInfo {
  const band = category !== undefined ? errorBandOf(overlay, category) : undefined;
  return {
    file,
    ...(band ? { error_band: { category: band.category, median_abs_error: band.median_abs_error, p90_abs_error: band.p90_abs_error } } : {}),
    error_bands: overlay.error_bands,
  };
}
