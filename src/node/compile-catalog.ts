/**
 * Build step behind dist/catalog.pack (scripts/build-catalog.ts): reads every catalog document
 * from catalog/ through the ordinary loaders (YAML + zod validation, `extends:` chains, family
 * merges), so a catalog error fails the build, and records what the runtime asks for, each value
 * as JSON text (packCatalog lays them out in the file). Must run with the loaders reading catalog/ (XPUSIM_CATALOG=source).
 */
import { readdirSync } from "node:fs";
import { type CatalogFolder, catalogSourceFiles, COMPILED_CATALOG_FORMAT, type CompiledCatalogData, type CompiledEntry, catalogMode } from "./compiled-catalog.js";
import { catalogStore, relativeCatalogPath } from "./catalog-folder.js";
import { chipIds, loadChip, resolveChipAlias } from "./chip-catalog.js";
import { loadEnergyCatalog } from "./energy-catalog.js";
import { loadMoneyCatalog } from "./money-catalog.js";
import { familyIds, loadFamily, resolveEfficiency, resolveFamily } from "./family-catalog.js";
import { loadModelDetailed, modelIds } from "./model-catalog.js";
import { catalogDir } from "./paths.js";
import { readDocument } from "./read-document.js";
import { specSupport } from "./spec-support-loader.js";
import { loadSystem, systemIds } from "./system-catalog.js";

const text = (value: unknown): string => JSON.stringify(value);

function entries(folder: CatalogFolder, ids: string[], values: (id: string) => Record<string, unknown>): CompiledEntry[] {
  const store = catalogStore(folder);
  return ids.map((id) => {
    const aliases = store.aliases(id);
    const compiled = Object.fromEntries(Object.entries(values(id)).map(([k, v]) => [k, text(v)]));
    return { id, file: relativeCatalogPath(store.file(id)), ...(aliases !== undefined ? { aliases } : {}), raw: text(store.raw(id)), values: compiled };
  });
}

/** Every catalog document, validated and normalised, as the compiled-catalog file. */
export function compileCatalog(): CompiledCatalogData {
  if (catalogMode() !== "source") throw new Error("compileCatalog must read catalog/ (set XPUSIM_CATALOG=source)");
  resolveChipAlias(""); // builds the alias index: duplicate aliases fail the build
  const libraries = catalogStore("collective-libraries");
  const units = catalogStore("units");
  const links = catalogStore("links");
  const software = catalogStore("software");
  const { parseWith, collectiveLibrarySpecSchema, pipelineUnitSpecSchema, linkFamilySpecSchema, softwareSpecSchema } = specSupport();
  const folders: Record<CatalogFolder, CompiledEntry[]> = {
    chips: entries("chips", chipIds(), (id) => {
      const chip = loadChip(id);
      return { chip, efficiency: resolveEfficiency(chip) };
    }),
    models: entries("models", modelIds(), (id) => ({ spec: loadModelDetailed(id).spec })),
    families: entries("families", familyIds(), (id) => {
      resolveFamily(id); // every chain must resolve
      return { spec: loadFamily(id) };
    }),
    systems: entries("systems", systemIds(), (id) => ({ system: loadSystem(id) })),
    "collective-libraries": entries("collective-libraries", libraries.ids(), (id) => ({
      spec: parseWith(collectiveLibrarySpecSchema, libraries.raw(id), libraries.file(id)),
    })),
    units: entries("units", units.ids(), (id) => ({ spec: parseWith(pipelineUnitSpecSchema, units.raw(id), units.file(id)) })),
    links: entries("links", links.ids(), (id) => ({ spec: parseWith(linkFamilySpecSchema, links.raw(id), links.file(id)) })),
    software: entries("software", software.ids(), (id) => ({ spec: parseWith(softwareSpecSchema, software.raw(id), software.file(id)) })),
  };
  const documents: Record<string, string> = {};
  for (const f of readdirSync(catalogDir("validation")).sort()) {
    if (/\.(ya?ml|json)$/i.test(f)) documents[`validation/${f}`] = text(readDocument(catalogDir("validation", f)));
  }
  return { format: COMPILED_CATALOG_FORMAT, sources: catalogSourceFiles(), folders, energy: text(loadEnergyCatalog()), money: text(loadMoneyCatalog()), documents };
}
