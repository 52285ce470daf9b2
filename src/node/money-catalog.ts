import { readdirSync } from "node:fs";
import { join } from "node:path";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";
import type { MoneyCatalog, OwnershipCostTable, PackagingCostTable, RoutesCostTable, SiliconCostTable } from "../core/spec/money-spec.js";
import { compiledCatalog } from "./compiled-catalog.js";
import { catalogDir } from "./paths.js";
import { readDocument } from "./read-document.js";
import { specSupport } from "./spec-support-loader.js";

/**
 * Loads catalog/money/*.yaml (wafer price, defect density, design and mask cost by node; packaging and
 * HBM; ownership defaults) once per process, validated against src/core/spec/money-spec.ts; the built-in
 * folder comes from the compiled catalog (validated at build time) when it is current.
 */
let cached: MoneyCatalog | undefined;

export function loadMoneyCatalog(dir: string = catalogDir("money")): MoneyCatalog {
  const builtIn = dir === catalogDir("money");
  if (cached && builtIn) return cached;
  const compiled = builtIn ? compiledCatalog() : undefined;
  if (compiled?.money) return (cached = JSON.parse(compiled.text(compiled.money)) as MoneyCatalog);
  const { parseWith, moneyFileSchema } = specSupport();
  let silicon: SiliconCostTable | undefined;
  let packaging: PackagingCostTable | undefined;
  let ownership: OwnershipCostTable | undefined;
  let routes: RoutesCostTable | undefined;
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(f)) continue;
    const file = join(dir, f);
    const doc = parseWith(moneyFileSchema, readDocument(file), file);
    if (doc.kind === "silicon") silicon = doc;
    else if (doc.kind === "packaging") packaging = doc;
    else if (doc.kind === "routes") routes = doc;
    else ownership = doc;
  }
  if (!silicon || !packaging || !ownership)
    throw new XpusimError(error("E_IO", "", "the money catalog needs a silicon, a packaging and an ownership table", { file: dir }));
  const out: MoneyCatalog = { silicon, packaging, ownership, ...(routes ? { routes } : {}) };
  if (builtIn) cached = out;
  return out;
}
