import { buildChip, type Chip } from "../hardware/chip.js";
import { chipSpecSchema } from "./chip-spec.js";
import { resolveExtendsChain } from "./merge.js";
import { parseWith } from "./validate.js";

/** Raw (unvalidated) chip documents by id, as read from the catalog or a user file. */
export type RawChipLookup = (id: string) => unknown | undefined;

/**
 * Resolves `extends:` chains on a raw chip document, validates it and builds the normalised chip.
 * `file` is used in diagnostics. Cycles and unknown bases are reported with their path.
 */
export function resolveChip(raw: unknown, lookup: RawChipLookup, knownIds: readonly string[], file?: string): Chip {
  const merged = resolveExtendsChain(raw, "chip", lookup, () => knownIds, file);
  return buildChip(parseWith(chipSpecSchema, merged, file));
}
