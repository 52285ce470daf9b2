import { error, unknownId, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import type { ResolvedEfficiency } from "../spec/family-spec.js";
import type { CatalogStore, SpecFiles } from "./catalog-store.js";
import { longestContained, looksLikeSpecFile, normaliseName } from "./names.js";
import type { SpecSupportLoader } from "./spec-support-type.js";

/** The chip catalog over a store: ids, aliases, `extends:` from user specs, compiled values. */
export interface ChipLookup {
  ids(): string[];
  /** A catalog chip by id or alias, or a chip spec file (see {@link createChipLookup}). */
  load(idOrPath: string): Chip;
  /** Validates an inline chip object (may `extends:` a catalog chip). */
  fromObject(raw: unknown, file?: string): Chip;
  /** The efficiency compiled for a catalog chip this lookup returned (undefined otherwise). */
  compiledEfficiency(chip: Chip): ResolvedEfficiency | undefined;
  /** The catalog id a free-text hardware description refers to, or undefined. */
  resolveAlias(text: string): string | undefined;
  /** Every alias as written in the catalog (for "did you mean" hints). */
  aliasList(): string[];
}

/** Leading vendor words that measured results prepend to chip names ("NVIDIA", "AMD Instinct" stays an alias). */
const VENDOR_PREFIX = /^(nvidia|amd|google|intel|habana|huawei|aws|graphcore|groq|cerebras|sambanova|tesla|apple|qualcomm|hailo|xilinx|altera)\s+/;

/**
 * Chips are found by id, by alias ("NVIDIA A100 80GB", case and spacing ignored) or by spec file
 * path: ids are tried first, then paths with a .yaml/.yml/.json extension, then aliases, then any
 * other existing path. Each result is cached by its reference.
 */
export function createChipLookup(store: CatalogStore, support: SpecSupportLoader, files: SpecFiles): ChipLookup {
  const built = new Map<string, Chip>();
  const ids = (): string[] => store.ids();
  const rawOf = (id: string): unknown => (store.has(id) ? store.raw(id) : undefined);
  const resolveRaw = (raw: unknown, file: string | undefined): Chip => support().resolveChip(raw, rawOf, ids(), file);
  const catalogChip = (id: string): Chip => store.compiled<Chip>(id, "chip") ?? resolveRaw(store.raw(id), store.file(id));

  let indexCache: Map<string, string> | undefined;
  /** Normalised id or alias -> catalog id; an alias used twice is a catalog error. */
  const aliasIndex = (): Map<string, string> => (indexCache ??= buildAliasIndex(store));

  const aliasList = (): string[] => ids().flatMap((id) => {
    const list = store.aliases(id);
    return Array.isArray(list) ? list.filter((a): a is string => typeof a === "string") : [];
  });

  const load = (idOrPath: string): Chip => {
    const cached = built.get(idOrPath);
    if (cached) return cached;
    let chip: Chip;
    if (store.has(idOrPath)) chip = catalogChip(idOrPath);
    else if (looksLikeSpecFile(idOrPath)) chip = resolveRaw(files.read(idOrPath), idOrPath);
    else {
      const id = aliasIndex().get(normaliseName(idOrPath));
      if (id !== undefined) chip = load(id);
      else if (files.exists(idOrPath)) chip = resolveRaw(files.read(idOrPath), idOrPath);
      else throw new XpusimError(unknownId("chip", idOrPath, [...ids(), ...aliasList()]));
    }
    built.set(idOrPath, chip);
    return chip;
  };

  return {
    ids,
    load,
    fromObject: resolveRaw,
    compiledEfficiency(chip) {
      if (built.get(chip.id) !== chip || !store.has(chip.id)) return undefined;
      return store.compiled<ResolvedEfficiency>(chip.id, "efficiency");
    },
    resolveAlias: (text) => resolveChipAlias(aliasIndex(), text),
    aliasList,
  };
}

function buildAliasIndex(store: CatalogStore): Map<string, string> {
  const index = new Map<string, string>();
  for (const id of store.ids()) index.set(normaliseName(id), id);
  for (const id of store.ids()) {
    const list = store.aliases(id);
    if (!Array.isArray(list)) continue; // a malformed list is reported by the schema when the chip loads
    list.forEach((alias: unknown, i) => {
      if (typeof alias !== "string") return;
      const key = normaliseName(alias);
      const owner = index.get(key);
      if (owner !== undefined && owner !== id) {
        throw new XpusimError(
          error("E_SCHEMA", `aliases[${i}]`, `alias "${alias}" is already used by chip "${owner}"`, {
            file: store.file(id),
            hint: "aliases must be unique across the chip catalog (case and spacing are ignored)",
          }),
        );
      }
      index.set(key, id);
    });
  }
  return index;
}

/**
 * Tries, in order: the exact id or alias; the text without parenthesised parts ("... (DGX A100)");
 * the part before the first comma ("..., 4-GPU NVLink3 node"); that part without a leading vendor
 * word; finally the longest id or alias contained in the text as whole words ("DGX/HGX A100 SXM" ->
 * "A100 SXM"), unless two chips tie for the longest match.
 */
function resolveChipAlias(index: Map<string, string>, text: string): string | undefined {
  const exact = index.get(normaliseName(text));
  if (exact !== undefined) return exact;
  let stripped = text;
  for (let prev = ""; prev !== stripped; ) {
    prev = stripped;
    stripped = stripped.replace(/\([^()]*\)/g, " ");
  }
  const noParens = normaliseName(stripped);
  const head = normaliseName(noParens.split(",")[0] ?? "");
  for (const candidate of [noParens, head, head.replace(VENDOR_PREFIX, "")]) {
    const id = index.get(candidate);
    if (id !== undefined) return id;
  }
  return longestContained(index, noParens);
}
