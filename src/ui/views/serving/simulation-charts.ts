/** Chart inputs of a serving simulation: TTFT/TPOT quantiles and the run over time. */
import type { Distribution, ServingResult } from "../../../core/app/index.js";
import type { LatencyChartInput, ServingTimelineInput } from "../../../core/charts/index.js";

export function latencyInput(metric: string, d: Distribution, slo_s: number | undefined): LatencyChartInput {
  return {
    title: `${metric} of the simulated requests`,
    metric,
    quantiles: [
      { label: "p50", q: 0.5, value_s: d.p50 },
      { label: "p90", q: 0.9, value_s: d.p90 },
      { label: "p99", q: 0.99, value_s: d.p99 },
      { label: "max", q: 1, value_s: d.max },
    ],
    ...(slo_s !== undefined ? { slo_s } : {}),
  };
}

export function timelineInput(r: ServingResult): ServingTimelineInput | undefined {
  const s = r.metrics?.kv.series;
  if (!s || s.time_s.length === 0) return undefined;
  return { title: `${r.model} on ${r.chips} × ${r.chip}: one replica over time`, time_s: s.time_s, running: s.running, waiting: s.waiting, kv_utilization: s.utilization, kv_peak_utilization: s.peak_utilization };
}
