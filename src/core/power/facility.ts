import { error, XpusimError } from "../diagnostics/diagnostic.js";

/**
 * Facility energy, cost and carbon of chip (IT) energy (precision-power-thermal.md Part 4.4;
 * routes-cost-security.md §3.4): E_facility = E_IT × PUE; cost = kWh × $/kWh; CO₂ = kWh × grid intensity.
 * The IT energy here is the chip's own; host CPUs, NICs and fans beyond the chip are in rack.ts.
 */
export interface FacilityInputs {
  pue: number;
  usd_per_kwh: number;
  grid_kg_co2_per_kwh: number;
}

export interface FacilityFigures {
  facility_energy_kwh: number;
  cost_usd: number;
  co2_kg: number;
}

const J_PER_KWH = 3.6e6;

export function checkFacilityInputs(f: FacilityInputs, fields: { pue: string; usd_per_kwh: string; co2: string }): void {
  const bad = [];
  if (!(f.pue >= 1) || !Number.isFinite(f.pue)) bad.push(error("E_RANGE", fields.pue, "PUE is facility power over IT power, at least 1", { expected: "≥ 1 (hyperscale 1.1, industry 1.56)", got: String(f.pue) }));
  if (!(f.usd_per_kwh >= 0) || !Number.isFinite(f.usd_per_kwh)) bad.push(error("E_RANGE", fields.usd_per_kwh, "electricity price cannot be negative", { expected: "≥ 0 USD/kWh", got: String(f.usd_per_kwh) }));
  if (!(f.grid_kg_co2_per_kwh >= 0) || !Number.isFinite(f.grid_kg_co2_per_kwh)) bad.push(error("E_RANGE", fields.co2, "grid carbon intensity cannot be negative", { expected: "≥ 0 kg CO2/kWh (world 0.436)", got: String(f.grid_kg_co2_per_kwh) }));
  if (bad.length) throw new XpusimError(bad);
}

export function facilityOf(energy_j: number, f: FacilityInputs): FacilityFigures {
  const kwh = (energy_j * f.pue) / J_PER_KWH;
  return { facility_energy_kwh: kwh, cost_usd: kwh * f.usd_per_kwh, co2_kg: kwh * f.grid_kg_co2_per_kwh };
}
