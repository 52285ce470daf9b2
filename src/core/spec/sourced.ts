import { z } from "zod";
import { type Dimension, parseQuantity } from "../units/quantity.js";

/**
 * A figure in a spec file carries its provenance. It is written either bare ("3.35 TB/s") and then
 * inherits the file's default `source`, or as an object:
 *
 *   bf16: { value: 989.4 TFLOPS, source: [2], derived: "sparse 1978.9 / 2", range: [..] }
 *
 * Both forms normalise to a {@link SourcedValue}.
 */
export interface Provenance {
  /** Reference numbers into the file's `sources` table. */
  source?: number[];
  /** How the value was computed from sourced figures, when it was not read directly. */
  derived?: string;
  /** True when the value is an estimate (not read, not derived exactly). */
  estimated?: boolean;
  /** Plausible low/high bounds in the same unit, where uncertain. */
  range?: [number, number];
  note?: string;
}

export interface SourcedValue<T> extends Provenance {
  value: T;
}

export const sourceRefs = z
  .union([z.number().int().positive(), z.array(z.number().int().positive())])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** A quantity of the given dimension, normalised to SI base units. */
export function quantity(dimension: Dimension, opts: { min?: number; positive?: boolean } = {}) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const r = parseQuantity(v, dimension);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: `expected ${r.expected}, got ${r.got}`, params: { xpusimCode: "E_UNIT" } });
      return z.NEVER;
    }
    if (opts.positive && !(r.value > 0)) {
      ctx.addIssue({ code: "custom", message: `must be greater than zero, got ${String(v)}`, params: { xpusimCode: "E_RANGE" } });
      return z.NEVER;
    }
    if (opts.min !== undefined && r.value < opts.min) {
      ctx.addIssue({ code: "custom", message: `must be at least ${opts.min}, got ${String(v)}`, params: { xpusimCode: "E_RANGE" } });
      return z.NEVER;
    }
    return r.value;
  });
}

const provenanceFields = {
  source: sourceRefs.optional(),
  derived: z.string().optional(),
  estimated: z.boolean().optional(),
  note: z.string().optional(),
};

/** A sourced quantity: bare or `{ value, source?, derived?, estimated?, range?, note? }`. */
export function sourcedQuantity(dimension: Dimension, opts: { min?: number; positive?: boolean } = {}) {
  const q = quantity(dimension, opts);
  return z.union([
    q.transform((value): SourcedValue<number> => ({ value })),
    z.strictObject({ value: q, range: z.tuple([q, q]).optional(), ...provenanceFields }).transform(
      (o): SourcedValue<number> => stripUndefined({ ...o }),
    ),
  ]);
}

/** A sourced free-text or enum value. */
export function sourced<T extends z.ZodType>(inner: T) {
  return z.union([
    inner.transform((value: z.output<T>): SourcedValue<z.output<T>> => ({ value })),
    z.strictObject({ value: inner, ...provenanceFields }).transform((o) => stripUndefined({ ...o }) as SourcedValue<z.output<T>>),
  ]);
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}
