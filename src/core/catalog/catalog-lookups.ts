import type { Chip } from "../hardware/chip.js";
import type { System } from "../network/build-system.js";
import type { ResolvedEfficiency } from "../spec/family-spec.js";
import type { CatalogSource } from "./catalog-store.js";
import { type ChipLookup, createChipLookup } from "./chip-lookup.js";
import { defaultSystemDocument, genericSystemDocument } from "./default-system.js";
import { createFamilyLookup, type FamilyLookup } from "./family-lookup.js";
import { createPipelinePartsLookup, type PipelinePartsLookup } from "./pipeline-parts-lookup.js";
import { createModelLookup, type ModelLookup } from "./model-lookup.js";
import type { SpecSupportLoader } from "./spec-support-type.js";
import { createSoftwareLookup, type SoftwareLookup } from "./software-lookup.js";
import { createSystemLookup, type SystemLookup } from "./system-lookup.js";

/**
 * Every catalog lookup over one source, whatever holds it (Node: the compiled artefact or catalog/;
 * a browser: the artefact's bytes). `support` is called on first need only (user specs, inline
 * objects, entries without compiled values), so answering catalog ids never loads zod or yaml.
 */
export interface CatalogLookups {
  chips: ChipLookup;
  models: ModelLookup;
  families: FamilyLookup;
  systems: SystemLookup;
  /** Fixed-function units and links of heterogeneous pipelines (catalog/units, catalog/links). */
  pipelineParts: PipelinePartsLookup;
  /** The software-stack presets (catalog/software). */
  software: SoftwareLookup;
  /** The raw document of the system a chip is usually deployed in (see default-system.ts). */
  defaultSystemDocument(chip: Chip, count?: number): Record<string, unknown>;
  /** That system, built (the chip object itself is placed in it, catalog chip or not). */
  defaultSystem(chip: Chip, count?: number): System;
  /** A generic node of up to 8 of the chip, from its own links. */
  genericSystem(chip: Chip): System;
  /** The chip's efficiency parameters (family chain + its overrides). */
  efficiency(chip: Chip): ResolvedEfficiency;
  source: CatalogSource;
}

export function createCatalogLookups(source: CatalogSource, support: SpecSupportLoader): CatalogLookups {
  const chips = createChipLookup(source.store("chips"), support, source.files);
  const models = createModelLookup(source.store("models"), support, source.files);
  const families = createFamilyLookup(source.store("families"), support, chips.compiledEfficiency);
  const systems = createSystemLookup(source.store("systems"), source.store("collective-libraries"), chips, support, source.files);
  const defaultDoc = (chip: Chip, count = 1) => defaultSystemDocument(chip, count, systems, chips);
  // A chip object's default system for a count is built (merged and validated) once: front ends that
  // re-run a job on every input change (the web UI) would otherwise rebuild it each time.
  const defaults = new WeakMap<Chip, Map<number, System>>();
  const defaultSystem = (chip: Chip, count = 1): System => {
    let byCount = defaults.get(chip);
    if (!byCount) defaults.set(chip, (byCount = new Map()));
    let system = byCount.get(count);
    if (!system) byCount.set(count, (system = systems.fromObject(defaultDoc(chip, count), undefined, chip)));
    return system;
  };
  return {
    chips,
    models,
    families,
    systems,
    pipelineParts: createPipelinePartsLookup(source.store("units"), source.store("links"), support),
    software: createSoftwareLookup(source.store("software"), support),
    defaultSystemDocument: defaultDoc,
    defaultSystem,
    genericSystem: (chip) => systems.fromObject(genericSystemDocument(chip, systems), undefined, chip),
    efficiency: families.resolveEfficiency,
    source,
  };
}
