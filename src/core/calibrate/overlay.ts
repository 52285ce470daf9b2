import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { CalibrationOverlay, ErrorBand } from "../spec/calibration-overlay.js";
import type { FamilyValues } from "./calibrated-resolvers.js";

/**
 * Reading a validated calibration overlay (the schema and parser: core/spec/calibration-overlay.ts).
 * No zod here: applying an overlay (core/app/calibrated-catalog.ts) must not load the schemas.
 */
export type { CalibrationOverlay, ErrorBand, OverlayValue } from "../spec/calibration-overlay.js";

/** The overlay's parameter values by family. */
export function overlayValues(o: CalibrationOverlay): FamilyValues {
  return new Map(Object.entries(o.families).map(([family, params]) => [family, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.value]))]));
}

/** The error band of a category, if the overlay has one. */
export function errorBandOf(o: CalibrationOverlay, category: string): ErrorBand | undefined {
  return o.error_bands.find((b) => b.category === category);
}

/** Checks that every family the overlay names exists (`known`: the catalog's family ids). */
export function checkOverlayFamilies(o: CalibrationOverlay, known: readonly string[], file?: string): void {
  const unknown = Object.keys(o.families).filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    throw new XpusimError(
      unknown.map((f) => error("E_UNKNOWN_ID", `families.${f}`, `family "${f}" is not in the catalog`, { ...(file ? { file } : {}), hint: `catalog families: ${known.join(", ")}` })),
    );
  }
}
