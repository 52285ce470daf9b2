/**
 * The catalog lookups, browser-safe and store-agnostic: chips, models, systems, families over an
 * injected store (Node: dist/catalog.pack or catalog/; a browser: the artefact's bytes) and an
 * injected, lazily called spec support (zod and yaml: `specSupportFromCore`, a separate module).
 */
export { CATALOG_FOLDERS, type CatalogFolder, type CatalogSource, type CatalogStore, type SpecFiles } from "./catalog-store.js";
export { createCatalogLookups, type CatalogLookups } from "./catalog-lookups.js";
export type { ChipLookup } from "./chip-lookup.js";
export type { LoadedModel, ModelLookup } from "./model-lookup.js";
export type { FamilyLookup } from "./family-lookup.js";
export type { SystemLookup } from "./system-lookup.js";
export type { SoftwareLookup } from "./software-lookup.js";
export { defaultSystemDocument, genericSystemDocument, libraryForVendor } from "./default-system.js";
export { normaliseName } from "./names.js";
export { browserFiles, openPackedCatalog, packedSource, packedStore, type PackedCatalog, type PackedEntry, type TextRef } from "./packed-catalog-file.js";
export type { SpecSupport, SpecSupportLoader } from "./spec-support-type.js";
