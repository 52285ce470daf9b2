import { readdirSync } from "node:fs";
import { join } from "node:path";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";
import type { EnergyCatalog, DramEnergyTable, FacilityTable, NodeEnergyTable, ScalingTable, StaticPowerTable, ThermalTable } from "../core/spec/energy-spec.js";
import { compiledCatalog } from "./compiled-catalog.js";
import { catalogDir } from "./paths.js";
import { readDocument } from "./read-document.js";
import { specSupport } from "./spec-support-loader.js";

/**
 * Loads catalog/energy/*.yaml (per-node action energies and areas, DRAM pJ/bit, scaling factors, leakage and
 * clock constants, cooling and facility defaults) once per
 * process and validates each file against src/core/spec/energy-spec.ts; the built-in folder comes
 * from the compiled catalog (validated at build time) when it is current.
 */
let cached: EnergyCatalog | undefined;

export function loadEnergyCatalog(dir: string = catalogDir("energy")): EnergyCatalog {
  const builtIn = dir === catalogDir("energy");
  if (cached && builtIn) return cached;
  const compiled = builtIn ? compiledCatalog() : undefined;
  if (compiled) return (cached = JSON.parse(compiled.text(compiled.energy)) as EnergyCatalog);
  const { parseWith, energyFileSchema } = specSupport();
  const nodes: NodeEnergyTable[] = [];
  let dram: DramEnergyTable | undefined;
  let scaling: ScalingTable | undefined;
  let staticPower: StaticPowerTable | undefined;
  let thermal: ThermalTable | undefined;
  let facility: FacilityTable | undefined;
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(f)) continue;
    const file = join(dir, f);
    const doc = parseWith(energyFileSchema, readDocument(file), file);
    if (doc.kind === "node") nodes.push(doc);
    else if (doc.kind === "dram") dram = doc;
    else if (doc.kind === "static") staticPower = doc;
    else if (doc.kind === "thermal") thermal = doc;
    else if (doc.kind === "facility") facility = doc;
    else scaling = doc;
  }
  if (!dram || !scaling || nodes.length === 0)
    throw new XpusimError(error("E_IO", "", "the energy catalog needs node tables, a dram table and a scaling table", { file: dir }));
  nodes.sort((a, b) => b.node_nm - a.node_nm);
  const out: EnergyCatalog = { nodes, dram, scaling, ...(staticPower ? { static: staticPower } : {}), ...(thermal ? { thermal } : {}), ...(facility ? { facility } : {}) };
  if (builtIn) cached = out;
  return out;
}
