/**
 * The application layer's `Catalog` over the catalog lookups (src/core/catalog): one assembly for
 * every front end — Node (src/node/node-catalog.ts, which adds file paths and validation resolvers)
 * and a browser (`packedCatalog`, over the bytes of dist/catalog.pack).
 */
import type { CatalogLookups } from "../catalog/catalog-lookups.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { CostContext } from "../cost/contract.js";
import type { Chip } from "../hardware/chip.js";
import type { Catalog } from "./catalog.js";

export interface LookupCatalogOptions {
  /** Rewrites a string reference before lookup (Node: relative spec paths against a base folder). */
  path?: (ref: string) => string;
  /** The file inline objects are reported against. */
  baseFile?: string;
}

/** The cost context of a chip (chip + its family's efficiency), cached per chip object. */
export function contextsFrom(lookups: CatalogLookups): (chip: Chip) => CostContext {
  const contexts = new WeakMap<Chip, CostContext>();
  return (chip) => {
    let ctx = contexts.get(chip);
    if (!ctx) contexts.set(chip, (ctx = { chip, efficiency: lookups.efficiency(chip).params }));
    return ctx;
  };
}

export function catalogFromLookups(lookups: CatalogLookups, options: LookupCatalogOptions = {}, context: (chip: Chip) => CostContext = contextsFrom(lookups)): Catalog {
  const path = options.path ?? ((p: string) => p);
  const { chips, models, systems, source } = lookups;
  return {
    chip: (ref) => (typeof ref === "string" ? chips.load(path(ref)) : chips.fromObject(ref, options.baseFile)),
    model: (ref) => (typeof ref === "string" ? models.load(path(ref)) : models.fromObject(ref, options.baseFile)),
    system: (ref, chip, count = 1) => {
      if (ref !== undefined) return typeof ref === "string" ? systems.load(path(ref)) : systems.fromObject(ref, options.baseFile);
      if (chip === undefined) throw new XpusimError(error("E_SCHEMA", "system", "no system named and no chip to derive a default system from"));
      return count > 1 ? lookups.defaultSystem(chip, count) : undefined;
    },
    energy: () => source.energy(),
    money: () => source.money(),
    context,
    efficiency: (chip) => lookups.efficiency(chip),
    familyIds: () => lookups.families.ids(),
    chipIds: () => chips.ids(),
    modelIds: () => models.ids(),
    systemIds: () => systems.ids(),
    pipelineParts: () => lookups.pipelineParts,
    software: (id, at) => lookups.software.load(id, at),
    softwareIds: () => lookups.software.ids(),
  };
}
