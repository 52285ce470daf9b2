import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { FORMATS, resolveFormat, type FormatId } from "../../numerics/formats.js";
import { quantizeRows } from "../../numerics/quantize.js";
import type { IntGranularity } from "../../numerics/quantize-int.js";
import { ROUNDINGS, type Rounding } from "../../numerics/round-scalar.js";
import { defineJob } from "../job.js";

/**
 * Converts numbers to a numeric format and back: the exact value the format represents after
 * conversion. Block formats take the values as one row (blocks of 32, or 16 for nvfp4, in order);
 * integers use one scale for the row unless a group size is given.
 *
 * JSON cannot carry NaN or ±Infinity as numbers: they are the strings "NaN", "Infinity" and
 * "-Infinity" in both `input` and `output`. A negative zero prints as 0.
 */
export interface PrecisionCastRequest {
  format: string;
  /** Numbers, or the strings "NaN", "Infinity", "-Infinity" ("inf", "-inf" accepted). */
  values: ReadonlyArray<number | string>;
  rounding?: Rounding;
  /** Seed of stochastic rounding (default 0). */
  seed?: number;
  /** Default true; false: overflow to Inf/NaN as the format defines (scalar formats). */
  saturate?: boolean;
  int_granularity?: IntGranularity;
  group_size?: number;
}

export type JsonNumber = number | "NaN" | "Infinity" | "-Infinity";

export interface PrecisionCastResult {
  format: FormatId;
  values: Array<{ input: JsonNumber; output: JsonNumber }>;
}

export function toJsonNumber(x: number): JsonNumber {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return Object.is(x, -0) ? 0 : x;
}

const SPECIAL: Record<string, number> = { nan: Number.NaN, inf: Infinity, "+inf": Infinity, infinity: Infinity, "+infinity": Infinity, "-inf": -Infinity, "-infinity": -Infinity };

/** A number from what the user typed; anything else is an E_SCHEMA error naming the position. */
export function parseCastValue(v: number | string, index: number): number {
  if (typeof v === "number") return v;
  const t = v.trim();
  const special = SPECIAL[t.toLowerCase()];
  if (special !== undefined) return special;
  const x = Number(t);
  if (t === "" || Number.isNaN(x)) {
    throw new XpusimError(error("E_SCHEMA", `values[${index}]`, `"${v}" is not a number`, { expected: "a number (1.5, -3e-4) or NaN, Infinity, -Infinity", got: v }));
  }
  return x;
}

export function checkRounding(r: string | undefined, path = "rounding"): Rounding | undefined {
  if (r === undefined || (ROUNDINGS as readonly string[]).includes(r)) return r as Rounding | undefined;
  throw new XpusimError(error("E_SCHEMA", path, `unknown rounding "${r}"`, { expected: ROUNDINGS.join(", "), got: r }));
}

export const precisionCastJob = defineJob<PrecisionCastRequest, PrecisionCastResult>({
  id: "precision-cast",
  summary: "numbers converted to a numeric format (fp32 … fp4, MX, NVFP4, int8/int4): the exact value it represents",
  supports: `formats ${Object.keys(FORMATS).join(", ")}; rounding rne (default), stochastic (seeded), truncate; saturating by default`,
  run(req) {
    const format = resolveFormat(req.format);
    const rounding = checkRounding(req.rounding);
    if (!Array.isArray(req.values) || req.values.length === 0) {
      throw new XpusimError(error("E_SCHEMA", "values", "at least one value is needed", { hint: "e.g. --values 1.5,448,500" }));
    }
    const inputs = req.values.map(parseCastValue);
    const out = quantizeRows(inputs, 1, inputs.length, format, {
      ...(rounding ? { rounding } : {}),
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      ...(req.saturate !== undefined ? { saturate: req.saturate } : {}),
      ...(req.int_granularity ? { int_granularity: req.int_granularity } : {}),
      ...(req.group_size !== undefined ? { group_size: req.group_size } : {}),
    });
    return { format, values: inputs.map((x, i) => ({ input: toJsonNumber(x), output: toJsonNumber(out[i]!) })) };
  },
});
