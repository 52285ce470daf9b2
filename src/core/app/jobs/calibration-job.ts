import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { calibrate, type CalibrationOptions, type CalibrationOverlay, type CalibrationReport, overlayFromReport } from "../../calibrate/index.js";
import type { Chip } from "../../hardware/chip.js";
import type { ResolvedEfficiency } from "../../spec/family-spec.js";
import { parseWith } from "../../spec/validate.js";
import { normaliseMeasuredFile } from "../../validate/collectives-file.js";
import { measuredFileSchema } from "../../validate/measured-point.js";
import type { Catalog } from "../catalog.js";
import { defineJob } from "../job.js";

/**
 * Measured results to calibrate on, as data (the front end reads the file), in the shape the
 * validation job takes (measured-public.json, `{ points }`, nccl-tests entries).
 */
export interface CalibrationJobRequest {
  measured: unknown;
  /** Where the data came from: named in errors and in the overlay's provenance. */
  file?: string;
  /** Cross-validation folds (default leave-one-out up to 200 fitted points, else 10). */
  folds?: number;
  /** Fit settings (loss scale, prior weight, sensitivity threshold, iterations). */
  options?: Omit<CalibrationOptions, "folds">;
  /** The overlay's date (ISO 8601); default now. */
  created?: string;
}

export interface CalibrationJobResult extends CalibrationReport {
  file?: string;
  /** The overlay to write (`--out`) and load with `--calibration`. */
  overlay: CalibrationOverlay;
}

/** Efficiency with provenance, or the context's parameters without ranges (every bound physical). */
function efficiencyOf(catalog: Catalog): (chip: Chip) => ResolvedEfficiency {
  return (chip) => catalog.efficiency?.(chip) ?? { params: catalog.context(chip).efficiency, provenance: {} as ResolvedEfficiency["provenance"], chain: [chip.family] };
}

export const calibrationJob = defineJob<CalibrationJobRequest, CalibrationJobResult>({
  id: "calibration",
  summary: "fit the family efficiency parameters a measured file exercises (robust, bounded, regularised least squares); held-out error before and after per category; an overlay for --calibration",
  supports: "every point the validation harness predicts; fits efficiencies and per-kernel overheads of the points' chip families within the family files' ranges",
  run(req, catalog) {
    const resolvers = catalog.validationResolvers?.();
    if (!resolvers) {
      throw new XpusimError(error("E_UNSUPPORTED", "", "this catalog has no validation resolvers (hardware and model names of measured files)", { hint: "use the Node catalog (nodeCatalog())" }));
    }
    if (req.folds !== undefined && !(Number.isInteger(req.folds) && req.folds >= 2)) {
      throw new XpusimError(error("E_SCHEMA", "folds", `folds must be an integer ≥ 2, got ${req.folds}`));
    }
    const points = parseWith(measuredFileSchema, normaliseMeasuredFile(req.measured, req.file), req.file);
    const report = calibrate({ points, resolvers, efficiencyOf: efficiencyOf(catalog), options: { ...req.options, ...(req.folds !== undefined ? { folds: req.folds } : {}) } });
    const overlay = overlayFromReport(report, { ...(req.file !== undefined ? { file: req.file } : {}), created: req.created ?? new Date().toISOString() });
    return { ...(req.file !== undefined ? { file: req.file } : {}), ...report, overlay };
  },
});
