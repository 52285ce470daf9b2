import type { PowerProfile, ProfilePhase } from "./power-profile.js";
import { dynamicEnergyScale, type VoltageFrequency } from "./voltage-frequency.js";

/**
 * DVFS under a power cap (precision-power-thermal.md Part 4.2; energy-area.md §8). At clock ratio
 * r = f / f_boost the profile takes
 *
 *   T(r) = Σ count·(max(clocked_s / r, memory_s) + fixed_s) + idle_s
 *   E(r) = Σ count·(e_clocked·(V(r)/V(1))² + e_memory) + static_w·(T(r) − idle_s) + idle_w·idle_s
 *   P(r) = E(r) / T(r)
 *
 * P rises monotonically with r (the dynamic energy rises, the time falls), so the highest clock whose
 * average power fits a cap is found by bisection. The power manager enforces a cap averaged over
 * windows of milliseconds to a second (NVML SwPowerCap), far longer than one op, so the cap applies to
 * the average power over the workload, not to each op.
 *
 * Below the DVFS floor the chip duty-cycles (NVML HwSlowdown / clock gating): it runs a fraction d of
 * the time at the lowest clock and idles the rest, d = (cap − P_idle) / (P(r_min) − P_idle).
 */
export function profileTimeS(p: PowerProfile, ratio: number): number {
  let t = p.idle_s;
  for (let i = 0; i < p.n; i++) t += p.count[i]! * (Math.max(p.clocked_s[i]! / ratio, p.memory_s[i]!) + p.fixed_s[i]!);
  return t;
}

/** Wall time of one named phase of the profile at clock ratio r (its segments and its waits). */
export function phaseTimeS(p: PowerProfile, phase: ProfilePhase, ratio: number): number {
  let t = phase.idle_s;
  for (let i = phase.first; i < phase.end; i++) t += p.count[i]! * (Math.max(p.clocked_s[i]! / ratio, p.memory_s[i]!) + p.fixed_s[i]!);
  return t;
}

export function profileEnergyJ(p: PowerProfile, vf: VoltageFrequency, ratio: number): number {
  const s = dynamicEnergyScale(vf, ratio);
  let dyn = 0;
  for (let i = 0; i < p.n; i++) dyn += p.count[i]! * (p.e_clocked_j[i]! * s + p.e_memory_j[i]!);
  const t = profileTimeS(p, ratio);
  return dyn + p.static_w * (t - p.idle_s) + p.idle_w * p.idle_s;
}

/**
 * Energy of one named phase at clock ratio r: its segments' dynamic energy, static power over its busy
 * time and idle power over its waits (the phase's share of {@link profileEnergyJ}).
 */
export function phaseEnergyJ(p: PowerProfile, vf: VoltageFrequency, phase: ProfilePhase, ratio: number): number {
  const s = dynamicEnergyScale(vf, ratio);
  let e = p.idle_w * phase.idle_s;
  for (let i = phase.first; i < phase.end; i++) {
    const busy = Math.max(p.clocked_s[i]! / ratio, p.memory_s[i]!) + p.fixed_s[i]!;
    e += p.count[i]! * (p.e_clocked_j[i]! * s + p.e_memory_j[i]! + p.static_w * busy);
  }
  return e;
}

/** Average power of one named phase at clock ratio r (what a meter reads over that phase alone). */
export function phasePowerW(p: PowerProfile, vf: VoltageFrequency, phase: ProfilePhase, ratio: number): number {
  const t = phaseTimeS(p, phase, ratio);
  return t > 0 ? phaseEnergyJ(p, vf, phase, ratio) / t : p.idle_w;
}

export function averagePowerW(p: PowerProfile, vf: VoltageFrequency, ratio: number): number {
  const t = profileTimeS(p, ratio);
  return t > 0 ? profileEnergyJ(p, vf, ratio) / t : p.idle_w;
}

/** The highest power of any segment at clock ratio r (the hottest op; a cap does not act on it alone). */
export function peakSegmentPowerW(p: PowerProfile, vf: VoltageFrequency, ratio: number): number {
  const s = dynamicEnergyScale(vf, ratio);
  let best = p.n > 0 || p.idle_s > 0 ? (p.idle_s > 0 ? p.idle_w : p.static_w) : 0;
  for (let i = 0; i < p.n; i++) {
    const t = Math.max(p.clocked_s[i]! / ratio, p.memory_s[i]!) + p.fixed_s[i]!;
    if (t > 0) best = Math.max(best, (p.e_clocked_j[i]! * s + p.e_memory_j[i]!) / t + p.static_w);
  }
  return best;
}

/** The operating point a cap allows. */
export interface CapOperatingPoint {
  /** Clock ratio f / f_boost the power manager settles at. */
  clock_ratio: number;
  /** Share of the time the chip runs (1 unless the cap is below the power at the lowest clock). */
  duty: number;
  /** Wall time of the profile at that point. */
  time_s: number;
  /** Average power at that point (≤ the cap when the cap binds). */
  power_w: number;
  /** Whether the cap lowers the clock below the boost clock. */
  binds: boolean;
}

const BISECTION_STEPS = 50;

/** The fastest operating point whose average power is at most `cap_w` (cap_w > idle power: checked by the caller). */
export function operatingPointUnderCap(p: PowerProfile, vf: VoltageFrequency, cap_w: number): CapOperatingPoint {
  const top = averagePowerW(p, vf, 1);
  if (top <= cap_w) return { clock_ratio: 1, duty: 1, time_s: profileTimeS(p, 1), power_w: top, binds: false };
  const rMin = vf.min_clock_fraction;
  const bottom = averagePowerW(p, vf, rMin);
  if (bottom > cap_w) {
    const duty = Math.max(0, (cap_w - p.idle_w) / (bottom - p.idle_w));
    const t = profileTimeS(p, rMin);
    return { clock_ratio: rMin, duty, time_s: duty > 0 ? t / duty : Infinity, power_w: cap_w, binds: true };
  }
  let lo = rMin;
  let hi = 1;
  for (let k = 0; k < BISECTION_STEPS; k++) {
    const mid = 0.5 * (lo + hi);
    if (averagePowerW(p, vf, mid) <= cap_w) lo = mid;
    else hi = mid;
  }
  return { clock_ratio: lo, duty: 1, time_s: profileTimeS(p, lo), power_w: averagePowerW(p, vf, lo), binds: true };
}
