import type { EfficiencyParams } from "../cost/contract.js";

/**
 * The chip family's DVFS curve (catalog/families/*.yaml `voltage_frequency`): the lowest clock the power
 * manager uses, as a fraction of the boost clock, and the core voltage there and at the boost clock; V is
 * linear in f between them (precision-power-thermal.md §2.4 and Part 4.2; energy-area.md §8).
 *
 * CMOS switching energy per operation is α·C·V² (dynamic power α·C·V²·f; Weste & Harris, "CMOS VLSI
 * Design", §5.1), so the clocked part of an op's dynamic energy scales with (V(f)/V(f_boost))².
 */
export type VoltageFrequency = EfficiencyParams["voltage_frequency"];

/** Core voltage at clock ratio r = f / f_boost (clamped to the curve's range). */
export function voltageAt(vf: VoltageFrequency, ratio: number): number {
  const r = Math.min(1, Math.max(vf.min_clock_fraction, ratio));
  const span = 1 - vf.min_clock_fraction;
  if (span <= 0) return vf.v_at_max_clock;
  return vf.v_at_min_clock + ((vf.v_at_max_clock - vf.v_at_min_clock) * (r - vf.min_clock_fraction)) / span;
}

/** Dynamic energy per operation at clock ratio r relative to the boost clock: (V(r) / V(1))². */
export function dynamicEnergyScale(vf: VoltageFrequency, ratio: number): number {
  const v = voltageAt(vf, ratio) / vf.v_at_max_clock;
  return v * v;
}
