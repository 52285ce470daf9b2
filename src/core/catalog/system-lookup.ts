import { closest, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import { buildCollectiveLibrary, buildSystem, type CollectiveLibrary, type System } from "../network/build-system.js";
import type { CollectiveLibrarySpec } from "../spec/collective-library-spec.js";
import { resolveExtendsChain } from "../spec/merge.js";
import type { CatalogStore, SpecFiles } from "./catalog-store.js";
import type { ChipLookup } from "./chip-lookup.js";
import { longestContained, looksLikeSpecFile, normaliseName } from "./names.js";
import type { SpecSupportLoader } from "./spec-support-type.js";

/** The system and collective-library catalogs over their stores. */
export interface SystemLookup {
  ids(): string[];
  libraryIds(): string[];
  /** A catalog collective library by id. */
  library(id: string, path?: string, file?: string): CollectiveLibrary;
  librarySpec(id: string): CollectiveLibrarySpec;
  /** A catalog system by id or alias, or a system spec file by path. */
  load(idOrPath: string): System;
  /**
   * Validates and builds a raw system document. `chip`, when given, is the chip object to place when
   * the document names its id — how a default system carries a user chip instead of looking it up.
   */
  fromObject(raw: unknown, file?: string, chip?: Chip): System;
  /** The catalog system id a free-text description names (exact alias, else the longest alias it contains). */
  resolveAlias(text: string): string | undefined;
}

export function createSystemLookup(store: CatalogStore, libraryStore: CatalogStore, chips: ChipLookup, support: SpecSupportLoader, files: SpecFiles): SystemLookup {
  const built = new Map<string, System>();
  let libraries: Map<string, { spec: CollectiveLibrarySpec; lib: CollectiveLibrary }> | undefined;
  const libraryCatalog = () => {
    if (libraries) return libraries;
    libraries = new Map();
    for (const id of libraryStore.ids()) {
      const spec = libraryStore.compiled<CollectiveLibrarySpec>(id, "spec") ?? support().parseWith(support().collectiveLibrarySpecSchema, libraryStore.raw(id), libraryStore.file(id));
      libraries.set(id, { spec, lib: buildCollectiveLibrary(spec) });
    }
    return libraries;
  };
  const ids = (): string[] => store.ids();
  const libraryIds = (): string[] => [...libraryCatalog().keys()];
  const library = (id: string, path = "collective_library", file?: string): CollectiveLibrary => {
    const entry = libraryCatalog().get(id);
    if (!entry) throw unknown("collective library", id, libraryIds(), path, file);
    return entry.lib;
  };

  const fromObject = (raw: unknown, file?: string, chipObject?: Chip): System => {
    const merged = resolveExtendsChain(raw, "system", (id) => (store.has(id) ? store.raw(id) : undefined), ids, { file, seen: [], figures: support().systemSpecSchema });
    const spec = support().parseWith(support().systemSpecSchema, merged, file);
    let chip: Chip;
    try {
      chip = chipObject !== undefined && spec.chip === chipObject.id ? chipObject : chips.load(spec.chip);
    } catch (e) {
      if (e instanceof XpusimError) throw new XpusimError(e.diagnostics.map((d) => ({ ...d, path: d.path || "chip", ...(file && !d.file ? { file } : {}) })));
      throw e;
    }
    return buildSystem(spec, chip, library(spec.collective_library, "collective_library", file), file);
  };

  const aliasIndex = (): Map<string, string> => {
    const index = new Map<string, string>();
    for (const id of ids()) {
      index.set(normaliseName(id), id);
      const list = store.aliases(id);
      if (Array.isArray(list)) for (const a of list) if (typeof a === "string") index.set(normaliseName(a), id);
    }
    return index;
  };

  const load = (idOrPath: string): System => {
    const cached = built.get(idOrPath);
    if (cached) return cached;
    let system: System;
    if (store.has(idOrPath)) system = store.compiled<System>(idOrPath, "system") ?? fromObject(store.raw(idOrPath), store.file(idOrPath));
    else if (looksLikeSpecFile(idOrPath) || (files.exists(idOrPath) && !aliasIndex().has(normaliseName(idOrPath)))) system = fromObject(files.read(idOrPath), idOrPath);
    else {
      const id = aliasIndex().get(normaliseName(idOrPath));
      if (!id) throw unknown("system", idOrPath, ids(), "system", undefined, "`xpusim collective --list` lists the systems");
      system = load(id);
    }
    built.set(idOrPath, system);
    return system;
  };

  return {
    ids,
    libraryIds,
    library,
    librarySpec: (id) => (library(id), libraryCatalog().get(id)!.spec),
    load,
    fromObject,
    resolveAlias(text) {
      const index = aliasIndex();
      const t = normaliseName(text);
      return index.get(t) ?? longestContained(index, t);
    },
  };
}

function unknown(kind: string, id: string, known: readonly string[], path: string, file?: string, listing?: string): XpusimError {
  const near = closest(id, known);
  return new XpusimError(
    error("E_UNKNOWN_ID", path, `unknown ${kind} "${id}"`, {
      got: id,
      ...(file ? { file } : {}),
      hint: `${near.length ? `did you mean ${near.map((x) => `"${x}"`).join(", ")}? ` : ""}(${listing ?? `known: ${known.join(", ")}`})`,
    }),
  );
}
