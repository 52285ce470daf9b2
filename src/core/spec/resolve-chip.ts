import { error, unknownId, XpusimError } from "../diagnostics/diagnostic.js";
import { buildChip, type Chip } from "../hardware/chip.js";
import { chipSpecSchema } from "./chip-spec.js";
import { deepMerge, isPlainObject } from "./merge.js";
import { parseWith } from "./validate.js";

/** Raw (unvalidated) chip documents by id, as read from the catalog or a user file. */
export type RawChipLookup = (id: string) => unknown | undefined;

/**
 * Resolves `extends:` chains on a raw chip document, validates it and builds the normalised chip.
 * `file` is used in diagnostics. Cycles and unknown bases are reported with their path.
 */
export function resolveChip(raw: unknown, lookup: RawChipLookup, knownIds: readonly string[], file?: string): Chip {
  const merged = resolveExtends(raw, lookup, knownIds, file, []);
  return buildChip(parseWith(chipSpecSchema, merged, file));
}

function resolveExtends(raw: unknown, lookup: RawChipLookup, knownIds: readonly string[], file: string | undefined, seen: string[]): unknown {
  if (!isPlainObject(raw)) {
    throw new XpusimError(error("E_SCHEMA", "", "a chip spec must be a mapping of fields", { got: JSON.stringify(raw)?.slice(0, 60), file }));
  }
  const base = raw.extends;
  if (base === undefined) return raw;
  if (typeof base !== "string") throw new XpusimError(error("E_SCHEMA", "extends", "expected a catalog chip id", { file }));
  if (seen.includes(base)) {
    throw new XpusimError(error("E_SCHEMA", "extends", `extends cycle: ${[...seen, base].join(" -> ")}`, { file }));
  }
  const baseRaw = lookup(base);
  if (baseRaw === undefined) throw new XpusimError({ ...unknownId("chip", base, knownIds, "extends"), ...(file ? { file } : {}) });
  const resolvedBase = resolveExtends(baseRaw, lookup, knownIds, file, [...seen, base]);
  const { extends: _drop, ...rest } = raw;
  const merged = deepMerge(resolvedBase, rest) as Record<string, unknown>;
  // An extended chip is a new chip: it does not inherit the base's aliases.
  if (!("aliases" in rest)) merged.aliases = [];
  return merged;
}
