import type { EnergyCatalog } from "../spec/energy-spec.js";
import type { MoneyCatalog } from "../spec/money-spec.js";

/** Catalog folders with one document per id (what the compiled artefact holds per entry). */
export const CATALOG_FOLDERS = ["chips", "models", "families", "systems", "collective-libraries", "units", "links", "software"] as const;
export type CatalogFolder = (typeof CATALOG_FOLDERS)[number];

/**
 * One catalog folder as the lookups see it, whatever holds it: the compiled artefact (read from a
 * file by Node, or from bytes in a browser) or the YAML files of catalog/ (Node only).
 */
export interface CatalogStore {
  /** Ids in file-name order. */
  ids(): string[];
  has(id: string): boolean;
  /** The entry's source file (absolute in Node; relative to catalog/ in a packed catalog). */
  file(id: string): string;
  /** The raw document. */
  raw(id: string): unknown;
  /** The document's `aliases` field as written (undefined when absent). */
  aliases(id: string): unknown;
  /** A value compiled at build time (only from the compiled artefact; undefined otherwise). */
  compiled<T>(id: string, key: string): T | undefined;
  readonly kind: "compiled" | "source";
}

/**
 * How a front end reads spec files named by a string reference: Node reads them from disk; a
 * browser cannot ({@link browserFiles}).
 */
export interface SpecFiles {
  /** The parsed YAML/JSON document (XpusimError when it cannot be read or parsed). */
  read(path: string): unknown;
  /** True when `path` names an existing file. */
  exists(path: string): boolean;
}

/** Everything the lookups read: the folders, the energy and money tables, and spec files. */
export interface CatalogSource {
  store(folder: CatalogFolder): CatalogStore;
  energy(): EnergyCatalog;
  money(): MoneyCatalog;
  files: SpecFiles;
}
