import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
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
