/**
 * Reading a calibration overlay file (`--calibration`, `useCalibration`): the schema (field paths in
 * errors, through the lazily loaded spec support) and the family ids against the catalog.
 */
import { checkOverlayFamilies, type CalibrationOverlay } from "../core/calibrate/overlay.js";
import { setActiveCalibration } from "./calibration-state.js";
import { nodeLookups } from "./node-lookups.js";
import { readDocument } from "./read-document.js";
import { specSupport } from "./spec-support-loader.js";

/** Reads and checks an overlay file. */
export function loadCalibrationOverlay(file: string): CalibrationOverlay {
  const overlay = specSupport().parseCalibrationOverlay(readDocument(file), file);
  checkOverlayFamilies(overlay, nodeLookups().families.ids(), file);
  return overlay;
}

/** Makes `nodeCatalog()` apply the overlay in `file` (undefined: none). */
export function useCalibration(file: string | undefined): void {
  setActiveCalibration(file === undefined ? undefined : { file, overlay: loadCalibrationOverlay(file) });
}
