/**
 * Everything the catalog loaders return, as one JSON text: the compiled-catalog test compares it
 * between the compiled artefact and catalog/ read directly (run with XPUSIM_CATALOG=source).
 */
import { chipIds, loadChip, resolveChipAlias } from "../../src/node/chip-catalog.js";
import { catalogMode } from "../../src/node/compiled-catalog.js";
import { loadEnergyCatalog } from "../../src/node/energy-catalog.js";
import { loadMoneyCatalog } from "../../src/node/money-catalog.js";
import { familyIds, loadFamily, resolveEfficiency, resolveFamily } from "../../src/node/family-catalog.js";
import { loadModel, loadModelDetailed, modelIds } from "../../src/node/model-catalog.js";
import { collectiveLibraryIds, loadCollectiveLibrary, loadSystem, resolveSystemAlias, systemIds } from "../../src/node/system-catalog.js";
import { validationResolvers } from "../../src/node/validation-resolvers.js";

export function catalogDump(): string {
  return JSON.stringify({
    chips: chipIds().map((id) => ({ chip: loadChip(id), efficiency: resolveEfficiency(loadChip(id)) })),
    chipAlias: resolveChipAlias("NVIDIA H100 SXM5 80GB (DGX H100)"),
    models: modelIds().map((id) => loadModelDetailed(id)),
    modelAlias: loadModel("tiiuae/falcon-40b").id,
    families: familyIds().map((id) => ({ spec: loadFamily(id), resolved: resolveFamily(id) })),
    systems: systemIds().map((id) => loadSystem(id)),
    systemAlias: resolveSystemAlias("DGX H100"),
    libraries: collectiveLibraryIds().map((id) => loadCollectiveLibrary(id)),
    energy: loadEnergyCatalog(),
    money: loadMoneyCatalog(),
    validationModel: validationResolvers().modelByName("LLaMA 7B", {}),
  });
}

if (process.argv[1]?.endsWith("catalog-dump.ts")) process.stdout.write(`${catalogMode()}\n${catalogDump()}`);
