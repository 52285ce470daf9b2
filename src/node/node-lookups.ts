/**
 * The one set of catalog lookups this process uses (src/core/catalog, shared with the browser's
 * `packedCatalog`): over the compiled artefact read from disk when it is current, else catalog/;
 * spec files read from disk; zod and yaml loaded on first need (spec-support-loader.ts).
 */
import { existsSync } from "node:fs";
import { type CatalogLookups, createCatalogLookups } from "../core/catalog/catalog-lookups.js";
import { catalogStore } from "./catalog-folder.js";
import { loadEnergyCatalog } from "./energy-catalog.js";
import { loadMoneyCatalog } from "./money-catalog.js";
import { readDocument } from "./read-document.js";
import { specSupport } from "./spec-support-loader.js";

let lookups: CatalogLookups | undefined;

export function nodeLookups(): CatalogLookups {
  lookups ??= createCatalogLookups(
    { store: catalogStore, energy: () => loadEnergyCatalog(), money: () => loadMoneyCatalog(), files: { read: readDocument, exists: existsSync } },
    specSupport,
  );
  return lookups;
}
