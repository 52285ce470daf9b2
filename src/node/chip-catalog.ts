/**
 * The built-in chip catalog: catalog/chips/<id>.yaml, one chip per file, read from the compiled
 * catalog (dist/catalog.pack, validated at build time) when it is current, else from the files.
 * Loaded lazily, one chip at a time; user files (a path instead of an id) may `extends:` any
 * catalog chip. Chips are found by id, by alias ("NVIDIA A100 80GB", case and spacing ignored) or,
 * loosely, by a free-text hardware description such as a measured result's "NVIDIA A100 80GB (DGX A100)".
 * The lookups themselves are src/core/catalog/chip-lookup.ts (shared with the browser).
 */
import type { Chip } from "../core/hardware/chip.js";
import type { ResolvedEfficiency } from "../core/spec/family-spec.js";
import { nodeLookups } from "./node-lookups.js";

export { normaliseName as normaliseChipName } from "../core/catalog/names.js";

const chips = () => nodeLookups().chips;

export function chipIds(): string[] {
  return chips().ids();
}

/** The efficiency compiled for a catalog chip, when `chip` is the object this catalog returned for its id. */
export function compiledEfficiency(chip: Chip): ResolvedEfficiency | undefined {
  return chips().compiledEfficiency(chip);
}

/**
 * A catalog chip by id, by alias (case-insensitive, whitespace-normalised) or a chip spec file by
 * path (YAML/JSON, may `extends:` a catalog chip). Ids are tried first, then paths with a .yaml/.yml/
 * .json extension, then aliases, then any other existing path.
 */
export function loadChip(idOrPath: string): Chip {
  return chips().load(idOrPath);
}

/** Resolves an inline spec object (e.g. from a scenario file). */
export function chipFromObject(raw: unknown, file?: string): Chip {
  return chips().fromObject(raw, file);
}

export function loadAllChips(): Chip[] {
  return chipIds().map(loadChip);
}

/**
 * The catalog id a free-text hardware description refers to, or undefined: the exact id or alias,
 * then the text without parenthesised parts, the part before the first comma, that part without a
 * leading vendor word, finally the longest id or alias it contains as whole words (unless two tie).
 */
export function resolveChipAlias(text: string): string | undefined {
  return chips().resolveAlias(text);
}

/** The catalog chip a free-text hardware description refers to (see {@link resolveChipAlias}). */
export function findChipByAlias(text: string): Chip | undefined {
  const id = resolveChipAlias(text);
  return id === undefined ? undefined : loadChip(id);
}
