import { z } from "zod";
import { parseUnit, type UnitMatch } from "../units/quantity.js";

/**
 * One measured result, in the shape of ../shared/validation/measured-public.json: the hardware and
 * model as the source names them, the configuration, and the measured metric with its unit.
 * Extra fields are kept (users' files may carry more); only these are read.
 */
export const measuredPointSchema = z.looseObject({
  id: z.string(),
  category: z.string(),
  hardware: z.string(),
  chip_count: z.number().int().positive().default(1),
  model: z.string(),
  config: z.record(z.string(), z.unknown()).default({}),
  metric: z.string(),
  value: z.number(),
  unit: z.string(),
  /**
   * Where a source gives only a range (e.g. "decode draws 137-300 W"): [low, high] in the unit of
   * `value`. A prediction inside it has error 0; outside, the error is taken to the nearer bound.
   */
  range: z.tuple([z.number(), z.number()]).optional(),
  source: z.string().optional(),
  notes: z.string().optional(),
  confidence: z.string().optional(),
});

export const measuredFileSchema = z.array(measuredPointSchema);
export type MeasuredPoint = z.output<typeof measuredPointSchema>;

/**
 * The unit of a measured value (core/units parseUnit): SI dimension and factor, whether it is per
 * accelerator ("/GPU") and whether it is a share of the hardware's peak ("% of peak").
 */
export function measuredUnit(unit: string): UnitMatch | undefined {
  return parseUnit(unit);
}

/** Why a unit is not understood, and the spellings that are (field `unit`). */
export function unknownUnitReason(unit: string): string {
  return (
    `field "unit": unit "${unit}" is not understood; write a time (ns, us, ms, s, min, h, days), a rate (TFLOP/s, PFLOP/s, tokens/s, samples/s, img/s), ` +
    `a share (%, "% of peak", fraction), energy (J, kWh, MWh), power (W, kW), bytes (GiB, GB), accelerator time (GPU-hours), ` +
    `optionally per accelerator ("TFLOP/s/GPU", "tokens/s per GPU") — docs/validate.md lists them all`
  );
}

/** Converts a measured value to SI (seconds, bytes, J, per-second rates, fractions); undefined if the unit is unknown. */
export function toSi(value: number, unit: string): number | undefined {
  const u = parseUnit(unit);
  return u === undefined ? undefined : value * u.factor;
}
