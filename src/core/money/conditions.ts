import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { OwnershipCostTable } from "../spec/money-spec.js";

/** Operating conditions of an ownership (TCO) calculation; every field optional, defaults from catalog/money/ownership.yaml. */
export interface OwnershipConditions {
  /** Amortisation period and TCO horizon, years. */
  years?: number;
  /** Share of the time the hardware does useful work, (0, 1]. */
  utilisation?: number;
  usd_per_kwh?: number;
  /** Facility power usage effectiveness, ≥ 1. */
  pue?: number;
  grid_kg_co2_per_kwh?: number;
  /** Count the server around the chips (host, memory, NICs: price × server factor, power × server factor). */
  include_system?: boolean;
  /** Count the cluster interconnect (capex ÷ (1 − network share)). */
  include_network?: boolean;
}

/** The conditions with every default filled in, and which ones were defaults. */
export interface ResolvedOwnershipConditions {
  years: number;
  utilisation: number;
  usd_per_kwh: number;
  pue: number;
  grid_kg_co2_per_kwh: number;
  include_system: boolean;
  include_network: boolean;
  server_price_factor: number;
  server_power_factor: number;
  cluster_network_share: number;
  hours_per_year: number;
  /** Names of the fields taken from the catalog defaults. */
  defaults: string[];
}

function check(name: string, v: number, ok: boolean, expected: string): number {
  if (!ok || !Number.isFinite(v)) throw new XpusimError(error("E_RANGE", name, `${name} is out of range`, { expected, got: String(v) }));
  return v;
}

/** Fills defaults from the ownership table and rejects impossible values with a clear error. */
export function resolveOwnershipConditions(t: OwnershipCostTable, c: OwnershipConditions = {}): ResolvedOwnershipConditions {
  const defaults: string[] = [];
  const pick = (name: keyof OwnershipConditions, v: number | undefined, d: number): number => {
    if (v === undefined) defaults.push(name);
    return v ?? d;
  };
  const years = pick("years", c.years, t.amortisation_years.value);
  const utilisation = pick("utilisation", c.utilisation, 1);
  const usd = pick("usd_per_kwh", c.usd_per_kwh, t.usd_per_kwh.value);
  const pue = pick("pue", c.pue, t.pue.value);
  const co2 = pick("grid_kg_co2_per_kwh", c.grid_kg_co2_per_kwh, t.grid_kg_co2_per_kwh.value);
  return {
    years: check("years", years, years > 0, "years > 0"),
    utilisation: check("utilisation", utilisation, utilisation > 0 && utilisation <= 1, "0 < utilisation ≤ 1"),
    usd_per_kwh: check("usd_per_kwh", usd, usd >= 0, "USD/kWh ≥ 0"),
    pue: check("pue", pue, pue >= 1, "PUE ≥ 1 (facility power over IT power)"),
    grid_kg_co2_per_kwh: check("grid_kg_co2_per_kwh", co2, co2 >= 0, "kg CO2/kWh ≥ 0"),
    include_system: c.include_system ?? true,
    include_network: c.include_network ?? false,
    server_price_factor: t.server_price_factor.value,
    server_power_factor: t.server_power_factor.value,
    cluster_network_share: t.cluster_network_share.value,
    hours_per_year: t.hours_per_year.value,
    defaults,
  };
}
