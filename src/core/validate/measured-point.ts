import { z } from "zod";

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

/** Converts a measured value to SI (seconds, bytes, per-second rates); undefined if the unit is unknown. */
export function toSi(value: number, unit: string): number | undefined {
  const u = unit.trim();
  const table: Record<string, number> = {
    s: 1,
    ms: 1e-3,
    us: 1e-6,
    "µs": 1e-6,
    ns: 1e-9,
    B: 1,
    KiB: 2 ** 10,
    MiB: 2 ** 20,
    GiB: 2 ** 30,
    GB: 1e9,
    "GB/s": 1e9,
    "tokens/s": 1,
    "tokens/s/GPU": 1,
    "img/s": 1,
    "TFLOP/s/GPU": 1e12,
    "TFLOP/s": 1e12,
    "%": 1e-2,
    fraction: 1,
    ratio: 1,
    W: 1,
    kW: 1e3,
    J: 1,
    "J/token": 1,
  };
  const f = table[u];
  return f === undefined ? undefined : value * f;
}
