import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import type { OwnershipCostTable } from "../spec/money-spec.js";
import { type OwnershipConditions, type ResolvedOwnershipConditions, resolveOwnershipConditions } from "./conditions.js";

/**
 * Total cost of ownership of `count` chips over `years` (method: Cottier et al., "The rising costs of
 * training frontier AI models", arXiv 2405.21015, and its code epoch-research/training-cost-trends):
 *
 *   capex      = price × count × (server price factor if the system is counted and the price is not
 *                a whole system's, `cost.price_scope: system`) ÷ (1 − network share if counted)
 *   capex/year = capex ÷ years (straight line)
 *   energy/yr  = (P_busy × u + P_idle × (1 − u)) × (server power factor) × PUE × hours/year
 *   opex/year  = energy/yr × USD/kWh
 *   TCO        = capex + opex/year × years
 *
 * P_busy defaults to TDP × the average power fraction (0.75 for GPUs, Epoch); a workload estimate
 * replaces it. Idle power counts only when the chip has `power.idle`. A missing price or TDP makes the
 * figures that need it null, with what is missing named — never zero.
 */
export interface OwnershipInput extends OwnershipConditions {
  count: number;
  /** Average power of one chip while it works, W (from a workload estimate); default TDP × average power fraction. */
  busy_power_w?: number;
}

export interface OwnershipResult {
  chip: string;
  count: number;
  conditions: ResolvedOwnershipConditions;
  price_usd: number | null;
  /** Capex of the chips alone, and with the system/network share counted as the conditions say. */
  chips_capex_usd: number | null;
  capex_usd: number | null;
  capex_usd_per_year: number | null;
  busy_power_w_per_chip: number | null;
  busy_power_basis: "workload estimate" | "TDP × average power fraction" | null;
  energy_kwh_per_year: number | null;
  opex_usd_per_year: number | null;
  co2_kg_per_year: number | null;
  tco_usd: number | null;
  /** Owned cost of one chip per hour of useful work: capex per calendar hour ÷ utilisation + energy per busy hour. */
  owned_usd_per_busy_chip_hour: number | null;
  /** Cloud on-demand rate per chip-hour (the chip file's), and per hour of useful work (÷ utilisation). */
  cloud_usd_per_hour: number | null;
  cloud_usd_per_busy_chip_hour: number | null;
  /** Cloud cost of renting `count` chips around the clock for `years`. */
  cloud_usd_over_period: number | null;
  /** Data the figures needed and the chip lacks ("cost.price", "power.tdp"). */
  missing: string[];
  /** For each entry of `missing` the catalog says is not published: the reason (chip `cost.unpublished`, `power.unpublished`). */
  not_published: Record<string, string>;
  notes: string[];
}

export function ownershipCost(chip: Chip, table: OwnershipCostTable, input: OwnershipInput): OwnershipResult {
  if (!Number.isInteger(input.count) || input.count < 1)
    throw new XpusimError(error("E_RANGE", "count", "chip count must be a positive integer", { got: String(input.count) }));
  const c = resolveOwnershipConditions(table, input);
  const missing: string[] = [];
  const notes: string[] = [];
  const price = chip.cost.price_usd ?? null;
  if (price === null) missing.push("cost.price");
  const chipsCapex = price === null ? null : price * input.count;
  const wholeSystem = chip.cost.price_scope === "system";
  if (wholeSystem && c.include_system) notes.push(`${chip.id}'s price is a whole-system price: no server share added to it`);
  const serverShare = c.include_system && !wholeSystem ? c.server_price_factor : 1;
  const capex = chipsCapex === null ? null : (chipsCapex * serverShare) / (c.include_network ? 1 - c.cluster_network_share : 1);
  const busy = busyPower(chip, table, input.busy_power_w);
  if (busy.w === null) missing.push("power.tdp");
  const powerShare = c.include_system && !wholeSystem ? c.server_power_factor : 1;
  const energy = busy.w === null ? null : yearlyEnergyKwh(chip, c, busy.w, powerShare, input.count, notes);
  const capexYear = capex === null ? null : capex / c.years;
  const opexYear = energy === null ? null : energy * c.usd_per_kwh;
  const cloud = chip.cost.cloud_usd_per_hour ?? null;
  if (cloud === null) missing.push("cost.cloud_per_hour");
  const energyBusyHourUsd = busy.w === null ? null : (busy.w / 1000) * powerShare * c.pue * c.usd_per_kwh;
  return {
    chip: chip.id,
    count: input.count,
    conditions: c,
    price_usd: price,
    chips_capex_usd: chipsCapex,
    capex_usd: capex,
    capex_usd_per_year: capexYear,
    busy_power_w_per_chip: busy.w,
    busy_power_basis: busy.basis,
    energy_kwh_per_year: energy,
    opex_usd_per_year: opexYear,
    co2_kg_per_year: energy === null ? null : energy * c.grid_kg_co2_per_kwh,
    tco_usd: capex === null || opexYear === null ? null : capex + opexYear * c.years,
    owned_usd_per_busy_chip_hour:
      capex === null || energyBusyHourUsd === null ? null : capex / input.count / (c.years * c.hours_per_year) / c.utilisation + energyBusyHourUsd,
    cloud_usd_per_hour: cloud,
    cloud_usd_per_busy_chip_hour: cloud === null ? null : cloud / c.utilisation,
    cloud_usd_over_period: cloud === null ? null : cloud * input.count * c.years * c.hours_per_year,
    missing,
    not_published: notPublished(chip, missing),
    notes,
  };
}

/** The catalog's reason for each missing figure that is unpublished rather than merely absent. */
function notPublished(chip: Chip, missing: string[]): Record<string, string> {
  const reasons: Record<string, string | undefined> = {
    "cost.price": chip.cost.unpublished?.price_usd,
    "cost.cloud_per_hour": chip.cost.unpublished?.cloud_usd_per_hour,
    "power.tdp": chip.power.unpublished?.tdp_w,
  };
  const out: Record<string, string> = {};
  for (const m of missing) if (reasons[m]) out[m] = reasons[m]!;
  return out;
}

function busyPower(chip: Chip, table: OwnershipCostTable, given: number | undefined): { w: number | null; basis: OwnershipResult["busy_power_basis"] } {
  if (given !== undefined) {
    if (!(given >= 0)) throw new XpusimError(error("E_RANGE", "busy_power_w", "busy power must be ≥ 0", { got: String(given) }));
    return { w: given, basis: "workload estimate" };
  }
  const tdp = chip.power.tdp_w;
  return tdp === undefined ? { w: null, basis: null } : { w: tdp * table.average_power_fraction.value, basis: "TDP × average power fraction" };
}

/** Facility energy of `count` chips over one year at the utilisation, kWh (`powerShare`: the server power factor, or 1). */
function yearlyEnergyKwh(chip: Chip, c: ResolvedOwnershipConditions, busyW: number, powerShare: number, count: number, notes: string[]): number {
  const idle = chip.power.idle_w;
  if (idle === undefined && c.utilisation < 1) notes.push("idle power not counted: the chip has no power.idle");
  const avgW = busyW * c.utilisation + (idle ?? 0) * (1 - c.utilisation);
  return (avgW / 1000) * powerShare * c.pue * c.hours_per_year * count;
}
