export { calibrate, type CalibrationInput, type CalibrationOptions, type CalibrationReport } from "./calibrate.js";
export { overlayFromReport } from "./calibration-report.js";
export { type CalibrationOverlay, type ErrorBand, type OverlayValue, checkOverlayFamilies, errorBandOf, overlayValues } from "./overlay.js";
export { parseCalibrationOverlay } from "../spec/calibration-overlay.js";
export { resolversWithValues, type FamilyValues } from "./calibrated-resolvers.js";
export { withParamValues } from "./parameters.js";
export { overlayYaml } from "./overlay-yaml.js";
