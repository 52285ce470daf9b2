/**
 * The Node implementation of the application layer's `Catalog`: catalog ids from catalog/, spec files
 * (relative paths resolved against `baseFile`'s folder, else the working directory) and inline objects.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import type { Catalog } from "../core/app/catalog.js";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";
import { chipFromObject, chipIds, loadChip } from "./chip-catalog.js";
import { loadEnergyCatalog } from "./energy-catalog.js";
import { loadMoneyCatalog } from "./money-catalog.js";
import { loadModel, modelFromObject, modelIds } from "./model-catalog.js";
import { contextFor } from "./resolvers.js";
import { defaultSystemFor, loadSystem, systemFromObject, systemIds } from "./system-catalog.js";
import { validationResolvers } from "./validation-resolvers.js";

export function nodeCatalog(baseFile?: string): Catalog {
  const base = baseFile ? dirname(baseFile) : process.cwd();
  const path = (p: string) => (/\.(ya?ml|json)$/i.test(p) && !isAbsolute(p) ? resolve(base, p) : p);
  return {
    chip: (ref) => (typeof ref === "string" ? loadChip(path(ref)) : chipFromObject(ref, baseFile)),
    model: (ref) => (typeof ref === "string" ? loadModel(path(ref)) : modelFromObject(ref, baseFile)),
    system: (ref, chip, count = 1) => {
      if (ref !== undefined) return typeof ref === "string" ? loadSystem(path(ref)) : systemFromObject(ref, baseFile);
      if (chip === undefined) throw new XpusimError(error("E_SCHEMA", "system", "no system named and no chip to derive a default system from"));
      return count > 1 ? defaultSystemFor(chip, count) : undefined;
    },
    energy: () => loadEnergyCatalog(),
    money: () => loadMoneyCatalog(),
    context: contextFor,
    chipIds,
    modelIds,
    systemIds,
    validationResolvers,
  };
}
