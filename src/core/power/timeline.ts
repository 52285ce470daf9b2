import { type ThermalParams, tjAtC } from "./thermal.js";

/** One sample of power and temperature over time (the chart module plots these). */
export interface TimelinePoint {
  t_s: number;
  power_w: number;
  tj_c: number;
  clock_ratio: number;
  /** null when the chip's clock is unpublished. */
  clock_hz: number | null;
  /** Throughput relative to the stock operating point (TDP cap, no thermal limit). */
  throughput_ratio: number;
}

export interface OperatingState {
  power_w: number;
  clock_ratio: number;
  throughput_ratio: number;
}

/**
 * Burst → sustained from a cold start (Tj = ambient): the burst state until the junction reaches its
 * limit at `throttle_s` (Infinity: never), then the sustained state that holds Tj at the limit.
 * `points` evenly spaced samples over [0, duration] plus the throttle instant.
 */
export function burstToSustained(burst: OperatingState, sustained: OperatingState, th: ThermalParams, throttle_s: number, duration_s: number, boost_hz: number | undefined, points = 61): TimelinePoint[] {
  const out: TimelinePoint[] = [];
  const at = (t: number): TimelinePoint => {
    const hot = t >= throttle_s;
    const s = hot ? sustained : burst;
    const tj = hot ? th.tj_max_c : tjAtC(t, burst.power_w, th, th.ambient_c);
    return { t_s: t, power_w: s.power_w, tj_c: tj, clock_ratio: s.clock_ratio, clock_hz: boost_hz !== undefined ? s.clock_ratio * boost_hz : null, throughput_ratio: s.throughput_ratio };
  };
  const n = Math.max(2, points);
  let throttleAdded = !(throttle_s > 0 && throttle_s < duration_s);
  for (let i = 0; i < n; i++) {
    const t = (duration_s * i) / (n - 1);
    if (!throttleAdded && t > throttle_s) {
      out.push({ ...at(throttle_s), ...{ power_w: burst.power_w, clock_ratio: burst.clock_ratio, throughput_ratio: burst.throughput_ratio, clock_hz: boost_hz !== undefined ? burst.clock_ratio * boost_hz : null } });
      throttleAdded = true;
    }
    out.push(at(t));
  }
  return out;
}
