import type { Chip } from "../hardware/chip.js";
import type { CoolingType, EnergyCatalog, FacilityTable, ThermalTable } from "../spec/energy-spec.js";
import type { FacilityInputs } from "./facility.js";
import type { ThermalParams } from "./thermal.js";

/**
 * The operating conditions of the power and thermal model: user inputs where given, else sourced
 * defaults (the chip's own data, then the catalog's cooling and facility tables, catalog/energy/
 * cooling.yaml and facility.yaml). Each resolved figure says where it came from.
 */
export interface PowerConditions {
  /** Board power cap, W; default the chip's TDP. */
  power_cap_w?: number;
  cooling?: CoolingType;
  thermal_resistance_c_per_w?: number;
  thermal_time_constant_s?: number;
  ambient_c?: number;
  /** Junction limit override, °C. */
  tj_max_c?: number;
  pue?: number;
  usd_per_kwh?: number;
  grid_kg_co2_per_kwh?: number;
}

export interface ResolvedThermal {
  params: ThermalParams;
  cooling: CoolingType;
  form_factor: string | null;
  /** Where each figure came from: "input", "chip", "catalog default (…)". */
  origin: { resistance: string; time_constant: string; ambient: string; tj_max: string; cooling: string };
}

/** Cooling of the chip: input, else the chip's usual cooling, else air. */
export function coolingOf(chip: Chip, c: PowerConditions): { cooling: CoolingType; origin: string } {
  if (c.cooling) return { cooling: c.cooling, origin: "input" };
  if (chip.thermal.cooling) return { cooling: chip.thermal.cooling, origin: "chip" };
  return { cooling: "air", origin: "assumed air (the chip names no usual cooling)" };
}

/**
 * The default junction-to-ambient resistance: the form factor's figure for the cooling, else the
 * cooling's. A chip's stock cooler is qualified to hold its TDP at the rated inlet (the table's air
 * figure is exactly that for the H100: (87 − 35) / 700), so a hotter or larger chip gets the cooler it
 * is sold with, not the H100's: R ≤ (Tj,max − Ta,rated) / TDP, and nothing throttles at stock conditions.
 */
function defaultResistance(chip: Chip, table: ThermalTable | undefined, cooling: CoolingType, tj: number | undefined): { value?: number; origin: string; missing?: string } {
  const ff = chip.thermal.form_factor;
  if (!table) return { origin: "", missing: "cooling defaults (catalog/energy/cooling.yaml) or thermal_resistance_c_per_w" };
  if (cooling === "air" && ff !== undefined && table.air_unsupported_form_factors.includes(ff)) return { origin: "", missing: `thermal_resistance_c_per_w (no sourced air-cooling figure for form factor ${ff})` };
  if (cooling === "air" && ff === undefined) return { origin: "", missing: "thermal.form_factor of the chip (or thermal_resistance_c_per_w)" };
  const base = table.cooling[cooling];
  const override = ff ? table.form_factor_overrides[ff]?.[cooling] : undefined;
  const v = override?.resistance_c_per_w ?? base.resistance_c_per_w;
  const rated = (override?.ambient_c ?? base.ambient_c)?.value;
  const tdp = chip.power.tdp_w;
  if (rated !== undefined && tj !== undefined && tdp !== undefined && tj > rated && (tj - rated) / tdp < v.value) {
    return { value: (tj - rated) / tdp, origin: `cooler sized for the TDP: (${tj} − ${rated} °C) / ${tdp} W (the ${cooling} default ${v.value} °C/W would not hold it)` };
  }
  return { value: v.value, origin: `catalog default (${override?.resistance_c_per_w ? `${ff}, ` : ""}${cooling} cooling, range ${fmtRange(v.range)} °C/W)` };
}

/** The thermal parameters, or what is missing to form them. */
export function resolveThermal(chip: Chip, table: ThermalTable | undefined, c: PowerConditions): { thermal?: ResolvedThermal; missing: string[] } {
  const { cooling, origin: coolingOrigin } = coolingOf(chip, c);
  const ff = chip.thermal.form_factor;
  const base = table?.cooling[cooling];
  const override = ff ? table?.form_factor_overrides[ff]?.[cooling] : undefined;
  const missing: string[] = [];
  const tau = c.thermal_time_constant_s ?? (override?.time_constant_s ?? base?.time_constant_s)?.value;
  const ambient = c.ambient_c ?? (override?.ambient_c ?? base?.ambient_c)?.value;
  if (tau === undefined) missing.push("thermal_time_constant_s (or the cooling table)");
  if (ambient === undefined) missing.push("ambient_c (or the cooling table)");
  const tjOwn = chip.thermal.tj_max_c;
  const tj = c.tj_max_c ?? tjOwn ?? table?.default_tj_max_c.value;
  if (tj === undefined) missing.push("thermal.tj_max_c of the chip (or the cooling table's default)");
  const r = c.thermal_resistance_c_per_w !== undefined ? { value: c.thermal_resistance_c_per_w, origin: "input" } : defaultResistance(chip, table, cooling, tj);
  if (r.missing) missing.push(r.missing);
  const resistance = r.value;
  const rOrigin = r.origin;
  if (missing.length || resistance === undefined || tau === undefined || ambient === undefined || tj === undefined) return { missing };
  return {
    thermal: {
      params: { resistance_c_per_w: resistance, time_constant_s: tau, ambient_c: ambient, tj_max_c: tj },
      cooling,
      form_factor: ff ?? null,
      origin: {
        resistance: rOrigin,
        time_constant: c.thermal_time_constant_s !== undefined ? "input" : `catalog default (${cooling} cooling)`,
        ambient: c.ambient_c !== undefined ? "input" : `catalog default (${cooling} cooling)`,
        tj_max: c.tj_max_c !== undefined ? "input" : tjOwn !== undefined ? "chip" : `catalog default (no published limit for this chip; range ${fmtRange(table?.default_tj_max_c.range)} °C)`,
        cooling: coolingOrigin,
      },
    },
    missing,
  };
}

export interface ResolvedFacility {
  inputs: FacilityInputs;
  origin: { pue: string; usd_per_kwh: string; grid_kg_co2_per_kwh: string };
}

/** PUE (by cooling), $/kWh and grid carbon: inputs, else the facility table; undefined when neither gives them. */
export function resolveFacility(table: FacilityTable | undefined, cooling: CoolingType, c: PowerConditions): ResolvedFacility | undefined {
  const pue = c.pue ?? table?.pue[cooling].value;
  const usd = c.usd_per_kwh ?? table?.usd_per_kwh.value;
  const co2 = c.grid_kg_co2_per_kwh ?? table?.grid_kg_co2_per_kwh.value;
  if (pue === undefined || usd === undefined || co2 === undefined) return undefined;
  return {
    inputs: { pue, usd_per_kwh: usd, grid_kg_co2_per_kwh: co2 },
    origin: {
      pue: c.pue !== undefined ? "input" : `catalog default (${cooling}-cooled facility)`,
      usd_per_kwh: c.usd_per_kwh !== undefined ? "input" : "catalog default (US industrial 2025)",
      grid_kg_co2_per_kwh: c.grid_kg_co2_per_kwh !== undefined ? "input" : "catalog default (world average 2022)",
    },
  };
}

export function energyTables(e: EnergyCatalog | undefined): { thermal?: ThermalTable; facility?: FacilityTable } {
  return { ...(e?.thermal ? { thermal: e.thermal } : {}), ...(e?.facility ? { facility: e.facility } : {}) };
}

function fmtRange(r: readonly [number, number] | undefined): string {
  return r ? `${r[0]}-${r[1]}` : "not given";
}
