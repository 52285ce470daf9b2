/**
 * The calibration overlay in use (`xpusim --calibration my-calibration.yaml <command>`), applied by
 * `nodeCatalog()` on top of the built-in catalog (the catalog files are never written). Reading a
 * file is calibration-file.ts (it loads the schemas); this module holds the state only, so every
 * command can ask for it without loading them.
 */
import type { CalibrationOverlay } from "../core/calibrate/overlay.js";

export interface ActiveCalibration {
  file: string;
  overlay: CalibrationOverlay;
}

let active: ActiveCalibration | undefined;

/** Makes `nodeCatalog()` apply `calibration` (undefined: none). */
export function setActiveCalibration(calibration: ActiveCalibration | undefined): void {
  active = calibration;
}

/** The overlay in use, if any. */
export function activeCalibration(): ActiveCalibration | undefined {
  return active;
}
