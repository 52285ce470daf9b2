import { chipSpecSchema } from "../spec/chip-spec.js";
import { resolveExtendsChain } from "../spec/merge.js";
import { parseWith } from "../spec/validate.js";
import { buildChip, type Chip } from "./chip.js";

/** Raw (unvalidated) chip documents by id, as read from the catalog or a user file. */
export type RawChipLookup = (id: string) => unknown | undefined;

/**
 * Resolves `extends:` chains on a raw chip document, validates it and builds the normalised chip.
 * `file` is used in diagnostics. Cycles and unknown bases are reported with their path.
 */
export function resolveChip(raw: unknown, lookup: RawChipLookup, knownIds: readonly string[], file?: string): Chip {
  const merged = resolveExtendsChain(raw, "chip", lookup, () => knownIds, { file, figures: chipSpecSchema });
  return buildChip(parseWith(chipSpecSchema, merged, file));
}
