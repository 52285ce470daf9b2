import { existsSync } from "node:fs";
import { error, unknownId, XpusimError } from "../core/diagnostics/diagnostic.js";
import type { Chip } from "../core/hardware/chip.js";
import type { ResolvedEfficiency } from "../core/spec/family-spec.js";
import { catalogStore, type CatalogStore } from "./catalog-folder.js";
import { readDocument } from "./read-document.js";
import { specSupport } from "./spec-support-loader.js";

/**
 * The built-in chip catalog: catalog/chips/<id>.yaml, one chip per file, read from the compiled
 * catalog (dist/catalog.pack, validated at build time) when it is current, else from the files.
 * Loaded lazily, one chip at a time; user files (a path instead of an id) may `extends:` any
 * catalog chip. Chips are found by id, by alias ("NVIDIA A100 80GB", case and spacing ignored) or,
 * loosely, by a free-text hardware description such as a measured result's "NVIDIA A100 80GB (DGX A100)".
 */
const built = new Map<string, Chip>();

const store = (): CatalogStore => catalogStore("chips");

export function chipIds(): string[] {
  return store().ids();
}

const lookup = (id: string): unknown => (store().has(id) ? store().raw(id) : undefined);

/** Validates and builds a raw chip document (zod; loaded on first use). */
function resolveRaw(raw: unknown, file: string | undefined): Chip {
  return specSupport().resolveChip(raw, lookup, chipIds(), file);
}

/** The catalog chip by id: compiled at build time, else validated from its file. */
function catalogChip(id: string): Chip {
  return store().compiled<Chip>(id, "chip") ?? resolveRaw(store().raw(id), store().file(id));
}

/**
 * The efficiency parameters compiled for a catalog chip, when `chip` is the object this catalog
 * returned for its id (undefined for user chips, copies, or without the compiled catalog).
 */
export function compiledEfficiency(chip: Chip): ResolvedEfficiency | undefined {
  if (built.get(chip.id) !== chip || !store().has(chip.id)) return undefined;
  return store().compiled<ResolvedEfficiency>(chip.id, "efficiency");
}

/** Lower case, runs of whitespace collapsed to one space, trimmed: the form aliases are compared in. */
export function normaliseChipName(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

let aliasIndexCache: Map<string, string> | undefined;

/**
 * Normalised id or alias -> catalog id. An alias used by two chips (or equal to another chip's id)
 * is a catalog error, reported with the file and the alias's position.
 */
function aliasIndex(): Map<string, string> {
  if (aliasIndexCache) return aliasIndexCache;
  const index = new Map<string, string>();
  for (const id of chipIds()) index.set(normaliseChipName(id), id);
  for (const id of chipIds()) {
    const list = store().aliases(id);
    if (!Array.isArray(list)) continue; // a malformed list is reported by the schema when the chip loads
    list.forEach((alias: unknown, i) => {
      if (typeof alias !== "string") return;
      const key = normaliseChipName(alias);
      const owner = index.get(key);
      if (owner !== undefined && owner !== id) {
        throw new XpusimError(
          error("E_SCHEMA", `aliases[${i}]`, `alias "${alias}" is already used by chip "${owner}"`, {
            file: store().file(id),
            hint: "aliases must be unique across the chip catalog (case and spacing are ignored)",
          }),
        );
      }
      index.set(key, id);
    });
  }
  aliasIndexCache = index;
  return index;
}

/**
 * A catalog chip by id, by alias (case-insensitive, whitespace-normalised) or a chip spec file by
 * path (YAML/JSON, may `extends:` a catalog chip). Ids are tried first, then paths with a .yaml/.yml/
 * .json extension, then aliases, then any other existing path.
 */
export function loadChip(idOrPath: string): Chip {
  const cached = built.get(idOrPath);
  if (cached) return cached;
  let chip: Chip;
  if (store().has(idOrPath)) {
    chip = catalogChip(idOrPath);
  } else if (/\.(ya?ml|json)$/i.test(idOrPath)) {
    chip = resolveRaw(readDocument(idOrPath), idOrPath);
  } else {
    const id = aliasIndex().get(normaliseChipName(idOrPath));
    if (id !== undefined) chip = loadChip(id);
    else if (existsSync(idOrPath)) chip = resolveRaw(readDocument(idOrPath), idOrPath);
    else throw new XpusimError(unknownId("chip", idOrPath, [...chipIds(), ...aliasList()]));
  }
  built.set(idOrPath, chip);
  return chip;
}

/** Resolves an inline spec object (e.g. from a scenario file). */
export function chipFromObject(raw: unknown, file?: string): Chip {
  return resolveRaw(raw, file);
}

export function loadAllChips(): Chip[] {
  return chipIds().map(loadChip);
}

/** Leading vendor words that measured results prepend to chip names ("NVIDIA", "AMD Instinct" stays an alias). */
const VENDOR_PREFIX = /^(nvidia|amd|google|intel|habana|huawei|aws|graphcore|groq|cerebras|sambanova|tesla|apple|qualcomm|hailo|xilinx|altera)\s+/;

/**
 * The catalog id a free-text hardware description refers to, or undefined. Tries, in order: the
 * exact id or alias; the text without parenthesised parts ("... (DGX A100)"); the part before the
 * first comma ("..., 4-GPU NVLink3 node"); that part without a leading vendor word; finally the
 * longest id or alias contained in the text as whole words ("DGX/HGX A100 SXM" -> "A100 SXM"),
 * unless two chips tie for the longest match.
 */
export function resolveChipAlias(text: string): string | undefined {
  const index = aliasIndex();
  const exact = index.get(normaliseChipName(text));
  if (exact !== undefined) return exact;

  let stripped = text;
  for (let prev = ""; prev !== stripped; ) {
    prev = stripped;
    stripped = stripped.replace(/\([^()]*\)/g, " ");
  }
  const noParens = normaliseChipName(stripped);
  const head = normaliseChipName(noParens.split(",")[0] ?? "");
  for (const candidate of [noParens, head, head.replace(VENDOR_PREFIX, "")]) {
    const id = index.get(candidate);
    if (id !== undefined) return id;
  }

  let best: { length: number; id: string; ambiguous: boolean } | undefined;
  for (const [key, id] of index) {
    if (key.length > noParens.length || !containsWords(noParens, key)) continue;
    if (!best || key.length > best.length) best = { length: key.length, id, ambiguous: false };
    else if (key.length === best.length && best.id !== id) best.ambiguous = true;
  }
  return best && !best.ambiguous ? best.id : undefined;
}

/** The catalog chip a free-text hardware description refers to (see {@link resolveChipAlias}). */
export function findChipByAlias(text: string): Chip | undefined {
  const id = resolveChipAlias(text);
  return id === undefined ? undefined : loadChip(id);
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9]/.test(c);

/** True when `needle` occurs in `hay` with no letter or digit directly before or after it. */
function containsWords(hay: string, needle: string): boolean {
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    if (!isWordChar(hay[at - 1]) && !isWordChar(hay[at + needle.length])) return true;
  }
  return false;
}

/** Every alias as written in the catalog (for "did you mean" hints). */
function aliasList(): string[] {
  const out: string[] = [];
  for (const id of chipIds()) {
    const list = store().aliases(id);
    if (Array.isArray(list)) for (const a of list) if (typeof a === "string") out.push(a);
  }
  return out;
}
