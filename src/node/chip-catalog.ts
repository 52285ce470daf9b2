import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { unknownId, XpusimError } from "../core/diagnostics/diagnostic.js";
import type { Chip } from "../core/hardware/chip.js";
import { resolveChip } from "../core/spec/resolve-chip.js";
import { catalogDir } from "./paths.js";
import { readDocument } from "./read-document.js";

/**
 * The built-in chip catalog: catalog/chips/<id>.yaml, one chip per file. Loaded lazily once per
 * process; user files (a path instead of an id) may `extends:` any catalog chip.
 */
let rawById: Map<string, { raw: unknown; file: string }> | undefined;
const built = new Map<string, Chip>();

function rawCatalog(): Map<string, { raw: unknown; file: string }> {
  if (rawById) return rawById;
  rawById = new Map();
  const dir = catalogDir("chips");
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(f)) continue;
    const file = join(dir, f);
    const raw = readDocument(file);
    const id = (raw as { id?: unknown }).id;
    rawById.set(typeof id === "string" ? id : f.replace(/\.(ya?ml|json)$/, ""), { raw, file });
  }
  return rawById;
}

export function chipIds(): string[] {
  return [...rawCatalog().keys()];
}

const lookup = (id: string): unknown => rawCatalog().get(id)?.raw;

/** A catalog chip by id, or a chip spec file by path (YAML/JSON, may `extends:` a catalog chip). */
export function loadChip(idOrPath: string): Chip {
  const cached = built.get(idOrPath);
  if (cached) return cached;
  const entry = rawCatalog().get(idOrPath);
  let chip: Chip;
  if (entry) {
    chip = resolveChip(entry.raw, lookup, chipIds(), entry.file);
  } else if (/\.(ya?ml|json)$/i.test(idOrPath) || existsSync(idOrPath)) {
    chip = resolveChip(readDocument(idOrPath), lookup, chipIds(), idOrPath);
  } else {
    throw new XpusimError(unknownId("chip", idOrPath, [...chipIds(), ...aliasList()]));
  }
  built.set(idOrPath, chip);
  return chip;
}

/** Resolves an inline spec object (e.g. from a scenario file). */
export function chipFromObject(raw: unknown, file?: string): Chip {
  return resolveChip(raw, lookup, chipIds(), file);
}

export function loadAllChips(): Chip[] {
  return chipIds().map(loadChip);
}

function aliasList(): string[] {
  return [];
}
