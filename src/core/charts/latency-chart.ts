import { OKABE_ITO } from "./palette.js";
import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/**
 * A latency distribution as its known quantiles (p50, p90, p99, max): the empirical CDF through
 * them, each quantile marked and labelled, the SLO (when given) as a dashed vertical rule. Serving
 * results keep percentiles, not every sample, so the curve joins the quantiles rather than
 * drawing a histogram.
 */
export interface LatencyQuantile {
  /** "p50", "p90", "p99", "max". */
  label: string;
  /** The quantile as a fraction (0.5, 0.9, 0.99, 1). */
  q: number;
  value_s: number;
}

export interface LatencyChartInput {
  title: string;
  /** What is measured ("TTFT", "TPOT"). */
  metric: string;
  quantiles: readonly LatencyQuantile[];
  slo_s?: number;
}

export async function latencyChart(input: LatencyChartInput): Promise<string> {
  return renderVegaLite(latencySpec(input));
}

/** The Vega-Lite spec of {@link latencyChart}. */
export function latencySpec(input: LatencyChartInput): VegaLiteSpec {
  const values = input.quantiles.filter((p) => Number.isFinite(p.value_s)).map((p) => ({ ...p, ms: p.value_s * 1e3, text: `${p.label} ${fmtMs(p.value_s * 1e3)}` }));
  const x = { field: "ms", type: "quantitative", title: `${input.metric} (ms)`, scale: { zero: true } };
  const y = { field: "q", type: "quantitative", title: "fraction of requests", scale: { domain: [0, 1] }, axis: { format: "%" } };
  const slo = input.slo_s !== undefined ? [{ data: { values: [{ ms: input.slo_s * 1e3 }] }, mark: { type: "rule", color: OKABE_ITO[3], strokeDash: [5, 4] }, encoding: { x: { field: "ms", type: "quantitative" } } }] : [];
  return {
    title: { text: input.title, subtitle: input.slo_s !== undefined ? `dashed: SLO ${fmtMs(input.slo_s * 1e3)}` : "quantiles of the simulated requests" },
    width: 320,
    height: 180,
    layer: [
      { data: { values: [{ ms: 0, q: 0 }, ...values] }, mark: { type: "line", interpolate: "linear", color: OKABE_ITO[0] }, encoding: { x, y } },
      { data: { values }, mark: { type: "point", filled: true, size: 60, color: OKABE_ITO[0] }, encoding: { x, y, tooltip: [{ field: "label" }, { field: "ms", format: ".3~r", title: "ms" }] } },
      { data: { values: values.filter((v) => v.label !== "max") }, mark: { type: "text", align: "left", dx: 8, fontSize: 10 }, encoding: { x, y, text: { field: "text" } } },
      ...slo,
    ],
  };
}

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1e3).toPrecision(3)} s` : `${ms.toPrecision(3)} ms`);
