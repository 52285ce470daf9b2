import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { type CatalogFolder, type CompiledCatalog, catalogPath, compiledCatalog } from "./compiled-catalog.js";
import type { CatalogStore } from "../core/catalog/catalog-store.js";
import { packedStore } from "../core/catalog/packed-catalog-file.js";
import { catalogDir } from "./paths.js";
import { readDocument } from "./read-document.js";

/** One document of a catalog folder: the parsed YAML/JSON and the file it came from. */
export interface CatalogEntry {
  raw: unknown;
  file: string;
}

const DOC = /\.(ya?ml|json)$/i;

/**
 * Every YAML/JSON document in a folder, keyed by its `id` field (the file name without extension
 * when it has none), in file-name order. A missing folder is an empty catalog.
 */
export function readCatalogFolder(dir: string): Map<string, CatalogEntry> {
  const map = new Map<string, CatalogEntry>();
  if (!existsSync(dir)) return map;
  for (const f of readdirSync(dir).sort()) {
    if (!DOC.test(f)) continue;
    const file = join(dir, f);
    const raw = readDocument(file);
    const id = typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : f.replace(DOC, "");
    map.set(id, { raw, file });
  }
  return map;
}

/** The documents of a folder, in file-name order (for catalogs not keyed by id). */
export function catalogFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((f) => DOC.test(f))
    .map((f) => join(dir, f));
}

/** One catalog folder as the loaders see it (src/core/catalog/catalog-store.ts). */
export type { CatalogStore };

const stores = new Map<CatalogFolder, CatalogStore>();

export function catalogStore(folder: CatalogFolder): CatalogStore {
  let store = stores.get(folder);
  if (!store) {
    const compiled = compiledCatalog();
    store = compiled ? compiledStore(compiled, folder) : sourceStore(folder);
    stores.set(folder, store);
  }
  return store;
}

/** A folder of the artefact read from disk: the browser's store (core), with absolute file paths. */
function compiledStore(catalog: CompiledCatalog, folder: CatalogFolder): CatalogStore {
  const store = packedStore(catalog, folder);
  return { ...store, kind: "compiled", file: (id) => catalogPath(store.file(id)) };
}

function sourceStore(folder: CatalogFolder): CatalogStore {
  let map: Map<string, CatalogEntry> | undefined;
  const entries = () => (map ??= readCatalogFolder(catalogDir(folder)));
  const entry = (id: string): CatalogEntry => {
    const e = entries().get(id);
    if (!e) throw new Error(`xpusim: no catalog entry "${id}" in ${folder}`);
    return e;
  };
  return {
    kind: "source",
    ids: () => [...entries().keys()],
    has: (id) => entries().has(id),
    file: (id) => entry(id).file,
    raw: (id) => entry(id).raw,
    aliases(id) {
      const raw = entry(id).raw;
      return typeof raw === "object" && raw !== null ? (raw as { aliases?: unknown }).aliases : undefined;
    },
    compiled: () => undefined,
  };
}

/** A catalog document by path under catalog/ ("validation/model-names.yaml"), from the artefact when current. */
export function catalogDocument(path: string): unknown {
  const compiled = compiledCatalog();
  const ref = compiled?.documents[path];
  return ref === undefined ? readDocument(catalogPath(path)) : JSON.parse(compiled!.text(ref));
}

/** A catalog file's path relative to catalog/, with forward slashes (how the artefact names it). */
export function relativeCatalogPath(file: string): string {
  return relative(catalogDir(), file).split(sep).join("/");
}
