import type { PowerAnalysis, OperatingSummary } from "./analyse-power.js";
import { phaseTimeS, profileEnergyJ, profileTimeS } from "./dvfs.js";
import type { PowerProfile } from "./power-profile.js";
import type { VoltageFrequency } from "./voltage-frequency.js";

/**
 * The sustained operating point of a workload: where the chip settles once the power manager has
 * applied the power cap and the cooler has saturated (docs/power.md §6, docs/assess.md "Operating
 * point"). It is the thermal sustained point when the junction reaches its limit, else the capped
 * (burst) point — the slower of the two, since thermal throttling starts from the capped power:
 *
 *   throughput_ratio = T(r_stock) / T(r_op)            (the estimate is the stock point, ratio 1)
 *   phase time ratio = T_phase(r_op) / T_phase(r_stock)  per named phase (TTFT, TPOT)
 *   energy per unit  = E(r_op) · k / units,  k = estimate time / T(r_stock)   (as analyse-power.ts)
 *
 * With no cap below the stock power and no throttling it is the stock point: every ratio is exactly 1
 * and the estimate's figures stand unchanged.
 */
export interface SustainedOperatingPoint {
  /** What sets the clock: the stock TDP (the estimate as is), a user power cap, or the cooling. */
  set_by: "stock" | "power cap" | "thermal";
  clock_ratio: number;
  /** The operating clock, Hz; null when the chip has no clock figure. */
  clock_hz: number | null;
  /** Share of the time the chip runs (< 1 below the DVFS floor). */
  duty: number;
  power_w: number;
  /** Throughput relative to the estimate (stock); 0 when the cooling cannot sustain any work. */
  throughput_ratio: number;
  /** Wall time of each named phase (prefill, decode) relative to the estimate's. */
  phase_time_ratio: Record<string, number>;
  /** Energy per unit of work at this point, J; null when no work is sustained. */
  energy_per_unit_j: number | null;
  /** Average power over the work at this point, W. */
  average_power_w: number;
}

export function sustainedOperatingPoint(a: PowerAnalysis, p: PowerProfile, vf: VoltageFrequency, estimateTimeS: number): SustainedOperatingPoint {
  const th = a.thermal;
  const thermal = th !== null && th.throttles;
  const op: OperatingSummary = thermal ? th.sustained : a.capped;
  const setBy = thermal ? "thermal" : a.capped.throughput_ratio < 1 ? "power cap" : "stock";
  const base = { set_by: setBy, clock_ratio: op.clock_ratio, clock_hz: op.clock_hz, duty: op.duty, power_w: op.power_w } as const;
  const phases = p.phases ?? [];
  if (!thermal) {
    // The capped point is the analysis's own: its energy, bit for bit.
    const ratios = setBy === "stock" ? Object.fromEntries(phases.map((ph) => [ph.name, 1])) : phaseRatios(p, a.stock, op);
    return { ...base, throughput_ratio: a.capped.throughput_ratio, phase_time_ratio: ratios, energy_per_unit_j: a.energy_per_unit_j, average_power_w: a.average_power_w };
  }
  if (!(op.duty > 0)) return { ...base, throughput_ratio: 0, phase_time_ratio: Object.fromEntries(phases.map((ph) => [ph.name, Infinity])), energy_per_unit_j: null, average_power_w: op.power_w };
  const stockT = profileTimeS(p, a.stock.clock_ratio) / a.stock.duty;
  const k = stockT > 0 ? estimateTimeS / stockT : 1;
  const t = (profileTimeS(p, op.clock_ratio) / op.duty) * k;
  const energy = op.duty < 1 ? op.power_w * t : profileEnergyJ(p, vf, op.clock_ratio) * k;
  const units = a.work_units > 0 ? a.work_units : 1;
  return { ...base, throughput_ratio: op.throughput_ratio, phase_time_ratio: phaseRatios(p, a.stock, op), energy_per_unit_j: energy / units, average_power_w: t > 0 ? energy / t : op.power_w };
}

function phaseRatios(p: PowerProfile, stock: OperatingSummary, op: OperatingSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ph of p.phases ?? []) {
    const t0 = phaseTimeS(p, ph, stock.clock_ratio) / stock.duty;
    out[ph.name] = t0 > 0 ? phaseTimeS(p, ph, op.clock_ratio) / op.duty / t0 : 1;
  }
  return out;
}
