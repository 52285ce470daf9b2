import { z } from "zod";
import { parseWith } from "./validate.js";
import { CALIBRATABLE_FRACTIONS, CALIBRATABLE_TIMES, isCalibratableKey, isTimeKey } from "./calibration-keys.js";

/**
 * A calibration overlay (`xpusim calibrate --out my-calibration.yaml`, used by any command with
 * `--calibration`): family efficiency parameters fitted to a user's measurements, with their
 * provenance and the error band per category. Applied on top of the built-in catalog through the
 * catalog layer; the catalog files are never written.
 */
export interface OverlayValue {
  value: number;
  /** The built-in value it replaces. */
  catalog?: number;
  bounds?: [number, number];
  /** "range" (the family file's stated range) or "physical" ([0.01, 1] for efficiencies, [0, 3×] for times). */
  bound_source?: string;
  /** Points of the measured file that exercise it. */
  points?: number;
}

/** How far predictions of a category were off after calibration (held-out errors). */
export interface ErrorBand {
  category: string;
  median_abs_error: number;
  p90_abs_error: number;
  points: number;
}

export interface CalibrationOverlay {
  xpusim_calibration: 1;
  /** When it was written (ISO 8601). */
  created?: string;
  /** The measured file it was fitted to. */
  measured_file?: string;
  /** Points whose predictions the fitted parameters move (the fit's rows). */
  points_used?: number;
  /** Family id → parameter key (`matrix_efficiency`, `matrix_efficiency_by_dtype.fp8`) → value. */
  families: Record<string, Record<string, OverlayValue>>;
  error_bands: ErrorBand[];
  /** Loss, prior, residuals before and after (informative). */
  fit?: Record<string, unknown>;
  /** Held-out error before and after per category (informative). */
  cross_validation?: Record<string, unknown>;
}

const overlayValueSchema = z.looseObject({
  value: z.number(),
  catalog: z.number().optional(),
  bounds: z.tuple([z.number(), z.number()]).optional(),
  bound_source: z.string().optional(),
  points: z.number().int().min(0).optional(),
});

const errorBandSchema = z.looseObject({
  category: z.string().min(1),
  median_abs_error: z.number().min(0),
  p90_abs_error: z.number().min(0),
  points: z.number().int().min(0).default(0),
});

const KNOWN_KEYS = `${[...CALIBRATABLE_FRACTIONS, ...CALIBRATABLE_TIMES].join(", ")}, matrix_efficiency_by_dtype.<dtype>`;

export const calibrationOverlaySchema = z
  .looseObject({
    xpusim_calibration: z.literal(1),
    created: z.string().optional(),
    measured_file: z.string().optional(),
    points_used: z.number().int().min(0).optional(),
    families: z.record(z.string(), z.record(z.string(), overlayValueSchema)),
    error_bands: z.array(errorBandSchema).default([]),
    fit: z.record(z.string(), z.unknown()).optional(),
    cross_validation: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((o, ctx) => {
    for (const [family, params] of Object.entries(o.families)) {
      for (const [key, v] of Object.entries(params)) {
        const path = ["families", family, key];
        if (!isCalibratableKey(key)) ctx.addIssue({ code: "custom", path, message: `"${key}" is not a calibratable parameter (known: ${KNOWN_KEYS})` });
        else if (isTimeKey(key) ? v.value < 0 : !(v.value > 0 && v.value <= 1)) {
          ctx.addIssue({ code: "custom", path: [...path, "value"], message: `${key} must be ${isTimeKey(key) ? "a time ≥ 0 s" : "a fraction in (0, 1]"}, got ${v.value}` });
        }
      }
    }
  });

/** Validates a calibration overlay document (field paths in the diagnostics). */
export function parseCalibrationOverlay(raw: unknown, file?: string): CalibrationOverlay {
  return parseWith(calibrationOverlaySchema, raw, file) as CalibrationOverlay;
}
