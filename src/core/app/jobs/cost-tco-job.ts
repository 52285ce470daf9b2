import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { type OwnershipConditions, ownershipCost, type OwnershipResult } from "../../money/index.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";

export type { OwnershipResult } from "../../money/index.js";

/**
 * Total cost of ownership of `count` chips of each kind named, over `years` at a utilisation: capex
 * (price × count, plus the server share), energy opex (power × PUE × USD/kWh), the cloud alternative,
 * and the cost per busy chip-hour both ways. Defaults and their sources: catalog/money/ownership.yaml.
 */
export interface CostTcoJobRequest extends OwnershipConditions {
  chips: SpecRef[];
  count: number;
  /** Average power of one chip while it works, W; default TDP × the average power fraction. */
  busy_power_w?: number;
}

export interface CostTcoJobResult {
  kind: "cost-tco";
  results: OwnershipResult[];
  /** Sources of the defaults (ownership table) as "[n] title". */
  sources: string[];
}

export const costTcoJob = defineJob<CostTcoJobRequest, CostTcoJobResult>({
  id: "cost-tco",
  summary: "total cost of ownership: capex, energy opex, cloud rate, cost per busy chip-hour",
  supports:
    "any catalog or user chip; a figure that needs a missing price, cloud rate or TDP is null with what is missing; defaults from catalog/money/ownership.yaml (Epoch AI method)",
  run(req, catalog) {
    if (req.chips.length === 0) throw new XpusimError(error("E_SCHEMA", "chips", "name at least one chip"));
    const table = catalog.money().ownership;
    const results = req.chips.map((ref) =>
      ownershipCost(catalog.chip(ref), table, {
        count: req.count,
        ...(req.years !== undefined ? { years: req.years } : {}),
        ...(req.utilisation !== undefined ? { utilisation: req.utilisation } : {}),
        ...(req.usd_per_kwh !== undefined ? { usd_per_kwh: req.usd_per_kwh } : {}),
        ...(req.pue !== undefined ? { pue: req.pue } : {}),
        ...(req.grid_kg_co2_per_kwh !== undefined ? { grid_kg_co2_per_kwh: req.grid_kg_co2_per_kwh } : {}),
        ...(req.include_system !== undefined ? { include_system: req.include_system } : {}),
        ...(req.include_network !== undefined ? { include_network: req.include_network } : {}),
        ...(req.busy_power_w !== undefined ? { busy_power_w: req.busy_power_w } : {}),
      }),
    );
    return { kind: "cost-tco", results, sources: Object.entries(table.sources).map(([n, s]) => `[${n}] ${s.title}`) };
  },
});
