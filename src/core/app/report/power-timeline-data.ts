import { powerAnalysisOf } from "../../assess/factors/power-analysis.js";
import type { FactorContext } from "../../assess/factor.js";
import type { TimelineInput } from "../../charts/index.js";
import { XpusimError } from "../../diagnostics/diagnostic.js";
import type { PowerAnalysis } from "../../power/index.js";

/** A chart, or why a chip has none (what is missing). */
export type Gathered<T> = { chart: T } | { note: string };

/** " at 1.46 GHz", or nothing when the chip publishes no clock (the ratio is in the detail line). */
const atClock = (hz: number | null) => (hz === null ? "" : ` at ${(hz / 1e9).toFixed(2)} GHz`);

/** The timeline's heading and the line under it: burst → sustained power and clock, cooling. */
function wording(a: PowerAnalysis): { title: string; detail: string } {
  const th = a.thermal!;
  const burst = `${a.capped.power_w.toFixed(0)} W${atClock(a.capped.clock_hz)}`;
  const title = th.throttles
    ? `${a.chip}: ${burst} → ${th.sustained.power_w.toFixed(0)} W${atClock(th.sustained.clock_hz)} after ${th.time_to_throttle_s!.toFixed(1)} s`
    : `${a.chip}: ${burst}, Tj settles at ${th.tj_steady_c.toFixed(1)} °C (no throttling)`;
  const detail = `cap ${a.power_cap_w.toFixed(0)} W (${a.power_cap_origin}) · ${th.cooling} cooling, R ${th.resistance_c_per_w.toPrecision(3)} °C/W, ambient ${th.ambient_c} °C, Tj limit ${th.tj_max_c} °C · sustained ${(th.sustained.throughput_ratio * 100).toFixed(0)} % of stock throughput`;
  return { title, detail };
}

/**
 * Power and junction temperature over time of one chip, burst → sustained from a cold start: the
 * power model (src/core/power) over the assessment's own estimate, under the assessment's conditions
 * (power cap, cooling, ambient, thermal resistance) — the analysis the power and thermal factors
 * read, so the chart and the table agree, and the `power` job gives the same timeline for the same
 * workload and conditions. A chip without a TDP or thermal data gets a note naming what is missing.
 */
export function powerTimelineOf(ctx: FactorContext): Gathered<TimelineInput> {
  let got: ReturnType<typeof powerAnalysisOf>;
  try {
    got = powerAnalysisOf(ctx);
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    return { note: `${ctx.chip.id}: no power timeline: ${e.diagnostics.map((d) => d.message).join("; ")}` };
  }
  const a = got.analysis;
  if (!a) return { note: `${ctx.chip.id}: no power timeline: missing ${got.missing.join(", ")}` };
  if (!a.thermal || a.timeline.length === 0) return { note: `${ctx.chip.id}: no power timeline: missing ${(a.thermal_missing ?? ["thermal data"]).join(", ")} (the power factor still has its figure)` };
  return {
    chart: {
      ...wording(a),
      chip: a.chip,
      points: a.timeline.map((p) => ({ t_s: p.t_s, power_w: p.power_w, temperature_c: p.tj_c, clock_hz: p.clock_hz })),
      power_limit_w: a.power_cap_w,
      temperature_limit_c: a.thermal.tj_max_c,
    },
  };
}
