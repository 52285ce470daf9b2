import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/**
 * One metric across chips as horizontal bars (throughput, step time, memory per chip, energy,
 * price), in the order given (ranked). Rows without a value are left out by the caller: a missing
 * value is never drawn as a zero-length bar.
 */
export interface MetricBarInput {
  title: string;
  /** The value axis, with its unit ("output tokens/s", "memory per chip (GB)"). */
  axis_title: string;
  rows: ReadonlyArray<{ label: string; value: number }>;
  /** d3 number format of the tooltip value (default ".4~s"). */
  format?: string;
  /** Optional reference line (a chip's memory capacity): value and label. */
  rule?: { value: number; label: string };
}

export function metricBarSpec(input: MetricBarInput): VegaLiteSpec {
  const y = { field: "label", type: "nominal", sort: input.rows.map((r) => r.label), title: null };
  const x = { field: "value", type: "quantitative", title: input.axis_title, axis: { format: "~s" } };
  const bars = { data: { values: input.rows.map((r) => ({ label: r.label, value: r.value })) }, mark: { type: "bar" }, encoding: { y, x, tooltip: [{ field: "label", title: "chip" }, { field: "value", title: input.axis_title, format: input.format ?? ".4~s" }] } };
  const rule = input.rule ? [{ data: { values: [input.rule] }, mark: { type: "rule", color: "#D55E00", strokeDash: [4, 3] }, encoding: { x: { field: "value", type: "quantitative" }, tooltip: [{ field: "label" }] } }] : [];
  return { title: input.title, width: 360, height: { step: 22 }, layer: [bars, ...rule] };
}

export async function metricBarChart(input: MetricBarInput): Promise<string> {
  return renderVegaLite(metricBarSpec(input));
}
