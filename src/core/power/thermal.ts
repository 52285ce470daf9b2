import { error, XpusimError } from "../diagnostics/diagnostic.js";

/**
 * Lumped one-pole thermal model of a chip and its cooler (HotSpot's compact RC model reduced to its
 * dominant heat-sink / cold-plate pole; Huang et al., "HotSpot", IEEE TVLSI 2006; precision-power-thermal.md
 * §3.3 and Part 4.3):
 *
 *   C·dTj/dt = P − (Tj − Ta)/R,  τ = R·C
 *   steady:          Tj = Ta + P·R
 *   from Tj(0) = T0: Tj(t) = Ta + P·R + (T0 − Ta − P·R)·e^(−t/τ)
 *   time to Tj_max:  t* = τ·ln((Ta + P·R − T0) / (Ta + P·R − Tj_max))   when Ta + P·R > Tj_max
 *   sustained power: P_th = (Tj_max − Ta)/R   (the power that holds Tj at the limit)
 */
export interface ThermalParams {
  /** Junction-to-ambient (or -coolant) resistance θ, °C/W. */
  resistance_c_per_w: number;
  /** Dominant time constant τ = R·C, s. */
  time_constant_s: number;
  ambient_c: number;
  /** Max operating temperature: above it the power manager clocks down. */
  tj_max_c: number;
}

/** Rejects impossible thermal inputs; `fields` names each input as the caller exposes it (flag or field path). */
export function checkThermalParams(t: ThermalParams, fields: { resistance: string; time_constant: string; ambient: string; tj_max: string }): void {
  const bad = [];
  if (!(t.resistance_c_per_w > 0) || !Number.isFinite(t.resistance_c_per_w)) {
    bad.push(error("E_RANGE", fields.resistance, "thermal resistance must be a positive number of °C/W", { expected: "> 0 °C/W (air heatsink 0.05-0.2, cold plate 0.02-0.06)", got: String(t.resistance_c_per_w), hint: "junction-to-ambient resistance θ = (Tj − Ta) / P" }));
  }
  if (!(t.time_constant_s > 0) || !Number.isFinite(t.time_constant_s)) {
    bad.push(error("E_RANGE", fields.time_constant, "thermal time constant must be positive", { expected: "> 0 s (heat sink 10-60 s)", got: String(t.time_constant_s) }));
  }
  if (!Number.isFinite(t.ambient_c) || t.ambient_c >= t.tj_max_c) {
    bad.push(error("E_RANGE", fields.ambient, `ambient ${t.ambient_c} °C is not below the junction limit ${t.tj_max_c} °C: no power can be removed`, { expected: `< ${t.tj_max_c} °C`, got: `${t.ambient_c} °C`, hint: "data-centre inlets are 18-35 °C, warm-water coolant 25-45 °C" }));
  }
  if (bad.length) throw new XpusimError(bad);
}

export function steadyTjC(power_w: number, t: ThermalParams): number {
  return t.ambient_c + power_w * t.resistance_c_per_w;
}

/** The power that holds the junction exactly at its limit. */
export function thermalPowerLimitW(t: ThermalParams): number {
  return (t.tj_max_c - t.ambient_c) / t.resistance_c_per_w;
}

/** Junction temperature after `t_s` seconds at constant power, from `start_c`. */
export function tjAtC(t_s: number, power_w: number, t: ThermalParams, start_c: number): number {
  const steady = steadyTjC(power_w, t);
  return steady + (start_c - steady) * Math.exp(-t_s / t.time_constant_s);
}

/** Seconds at constant power from `start_c` until Tj reaches the limit; Infinity when it never does. */
export function timeToLimitS(power_w: number, t: ThermalParams, start_c: number): number {
  if (start_c >= t.tj_max_c) return 0;
  const steady = steadyTjC(power_w, t);
  if (steady <= t.tj_max_c) return Infinity;
  return t.time_constant_s * Math.log((steady - start_c) / (steady - t.tj_max_c));
}
