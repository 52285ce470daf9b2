/**
 * The calibration overlay in use (`xpusim --calibration my-calibration.yaml <command>`): read and
 * checked once, then applied by `nodeCatalog()` on top of the built-in catalog (the catalog files are
 * never written). The library sets it with `useCalibration(file)` or wraps a catalog itself with
 * `withCalibration(catalog, loadCalibrationOverlay(file), file)`.
 */
import { type CalibrationOverlay, checkOverlayFamilies, parseCalibrationOverlay } from "../core/calibrate/index.js";
import { nodeLookups } from "./node-lookups.js";
import { readDocument } from "./read-document.js";

export interface ActiveCalibration {
  file: string;
  overlay: CalibrationOverlay;
}

let active: ActiveCalibration | undefined;

/** Reads and checks an overlay file: schema (field paths in errors) and family ids against the catalog. */
export function loadCalibrationOverlay(file: string): CalibrationOverlay {
  const overlay = parseCalibrationOverlay(readDocument(file), file);
  checkOverlayFamilies(overlay, nodeLookups().families.ids(), file);
  return overlay;
}

/** Makes `nodeCatalog()` apply the overlay in `file` (undefined: none). */
export function useCalibration(file: string | undefined): void {
  active = file === undefined ? undefined : { file, overlay: loadCalibrationOverlay(file) };
}

/** The overlay in use, if any. */
export function activeCalibration(): ActiveCalibration | undefined {
  return active;
}
