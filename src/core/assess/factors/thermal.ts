import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";
import { clockWords, powerAnalysisOf, sourceTitles, watts } from "./power-analysis.js";

/**
 * Thermal: sustained throughput as a fraction of the stock (TDP) throughput once the cooler has
 * saturated, higher is better (1 = never throttles). The lumped-RC model (src/core/power/thermal.ts,
 * docs/power.md) heats the junction from ambient at the capped power; when it reaches the chip's
 * limit the power manager holds (Tj_max − Ta)/R and DVFS gives the sustained clock. Cooling, ambient
 * and thermal resistance come from the conditions, else sourced defaults per form factor. Details:
 * steady Tj, the limit, time to throttle, the cooling used. Under a user power cap the value is still
 * against stock (it includes the cap's slowdown); limited_by says whether the cap or the cooling holds
 * it, and sustained_over_burst isolates the cooling's own share.
 */
export function thermalFactor(ctx: FactorContext): FactorValue {
  const { analysis: a, missing } = powerAnalysisOf(ctx);
  if (!a) return unknownFactor("fraction of stock throughput", "higher", missing, `no thermal figure: missing ${missing.join(", ")}`);
  const th = a.thermal;
  if (!th) {
    const need = a.thermal_missing ?? ["thermal data"];
    return unknownFactor("fraction of stock throughput", "higher", need, `no thermal figure: missing ${need.join(", ")}`);
  }
  const source = [sourceTitles(ctx.chip, "thermal.tj_max_c"), sourceTitles(ctx.chip, "thermal.form_factor")].filter(Boolean).join("; ");
  return {
    value: th.sustained.throughput_ratio,
    unit: "fraction of stock throughput",
    better: "higher",
    rank: null,
    limited_by: th.throttles
      ? `cooling: Tj reaches ${th.tj_max_c} °C after ${th.time_to_throttle_s!.toFixed(0)} s; sustained clock ${clockWords(th.sustained.clock_hz, th.sustained.clock_ratio)}`
      : a.capped.throughput_ratio < 1
        ? `power cap ${watts(a.power_cap_w)} (the cooling holds the capped power without throttling)`
        : null,
    note: `${th.cooling} cooling, R ${th.resistance_c_per_w} °C/W, ambient ${th.ambient_c} °C: steady Tj ${th.tj_steady_c.toFixed(1)} °C of ${th.tj_max_c} °C at ${watts(a.capped.power_w)}${th.throttles ? `, throttles to ${watts(th.sustained.power_w)}` : ""}`,
    basis: "derived",
    ...(source ? { source } : {}),
    details: {
      tj_steady_c: th.tj_steady_c,
      tj_max_c: th.tj_max_c,
      tj_headroom_c: th.tj_max_c - Math.min(th.tj_steady_c, th.tj_max_c),
      time_to_throttle_s: th.time_to_throttle_s,
      thermal_power_limit_w: th.thermal_power_limit_w,
      sustained_power_w: th.sustained.power_w,
      sustained_clock_hz: th.sustained.clock_hz,
      burst_clock_hz: a.capped.clock_hz,
      sustained_over_burst: th.sustained_over_burst,
      cooling: th.cooling,
      form_factor: th.form_factor,
      resistance_c_per_w: th.resistance_c_per_w,
      ambient_c: th.ambient_c,
      resistance_origin: th.origin.resistance,
      tj_max_origin: th.origin.tj_max,
    },
  };
}
