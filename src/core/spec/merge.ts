import type { z } from "zod";
import { error, unknownId, XpusimError } from "../diagnostics/diagnostic.js";
import { pinDefaultSource, renumberChildSources } from "./extends-provenance.js";

/**
 * Deep merge used by `extends:`: objects merge key by key, everything else (arrays, scalars,
 * sourced `{value, ...}` objects) is replaced whole by the override.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override) || "value" in override) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Resolves an `extends: <catalog id>` chain on a raw spec document: the base (itself resolved)
 * deep-merged with the document's own fields, provenance following each figure
 * (extends-provenance.ts): the base's figures keep the base's citations, a figure the document
 * overrides carries only what the document gives. An extended spec with its own id is a new thing:
 * it does not inherit the base's aliases, and without a `name`/`notes` of its own it is named and
 * noted as based on the base. Cycles, non-string bases and unknown ids are errors with the path
 * `extends` and the closest known ids.
 */
export interface ExtendsOptions {
  /** The document's file, for diagnostics. */
  file?: string | undefined;
  /** Ids already on the chain (cycle detection). */
  seen?: readonly string[];
  /** Appended to an unknown-base hint. */
  hint?: string | undefined;
  /**
   * The kind's schema, which says where its figures are, so the base's default source can be pinned
   * on each of them (extends-provenance.ts); without one (models) the base is merged as it is.
   */
  figures?: z.ZodType | undefined;
}

export function resolveExtendsChain(
  raw: unknown,
  kind: "chip" | "model" | "system",
  lookup: (id: string) => unknown | undefined,
  knownIds: () => readonly string[],
  opts: ExtendsOptions = {},
): Record<string, unknown> {
  const { file, seen = [], hint, figures } = opts;
  const at = file ? { file } : {};
  if (!isPlainObject(raw)) {
    throw new XpusimError(error("E_SCHEMA", "", `a ${kind} spec must be a mapping of fields`, { ...at, got: JSON.stringify(raw)?.slice(0, 60) }));
  }
  const base = raw.extends;
  if (base === undefined) return raw;
  if (typeof base !== "string") throw new XpusimError(error("E_SCHEMA", "extends", `expected a catalog ${kind} id`, at));
  if (seen.includes(base)) throw new XpusimError(error("E_SCHEMA", "extends", `extends cycle: ${[...seen, base].join(" -> ")}`, at));
  const baseRaw = lookup(base);
  if (baseRaw === undefined) {
    const d = unknownId(kind, base, knownIds(), "extends");
    throw new XpusimError({ ...d, ...at, ...(hint ? { hint: `${d.hint ? `${d.hint}; ` : ""}${hint}` } : {}) });
  }
  const resolvedBase = pinDefaultSource(figures, resolveExtendsChain(baseRaw, kind, lookup, knownIds, { ...opts, seen: [...seen, base] }));
  const { extends: _base, ...own } = raw;
  const rest = renumberChildSources(own, resolvedBase.sources);
  const merged = deepMerge(resolvedBase, rest) as Record<string, unknown>;
  if (!("aliases" in rest)) merged.aliases = [];
  // The base's default source now sits on each of its figures; the document's own default (if any) covers the rest.
  if (!("source" in rest)) delete merged.source;
  const newThing = typeof rest.id === "string" && rest.id !== base;
  if (newThing && !("name" in rest) && typeof resolvedBase.name === "string") merged.name = `${rest.id} (based on ${resolvedBase.name})`;
  if (newThing && !("notes" in rest) && typeof resolvedBase.notes === "string") merged.notes = `From ${base}: ${resolvedBase.notes}`;
  return merged;
}
