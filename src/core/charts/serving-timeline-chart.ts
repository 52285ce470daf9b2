import { OKABE_ITO } from "./palette.js";
import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/**
 * A serving run over time: requests running (batched) and waiting (queued) per time slice, and the
 * KV cache's use (slice mean, and its peak dashed) below on the same time axis.
 */
export interface ServingTimelineInput {
  title: string;
  /** Slice start times, s. */
  time_s: readonly number[];
  running: readonly number[];
  waiting: readonly number[];
  /** Fractions 0–1. */
  kv_utilization: readonly number[];
  kv_peak_utilization: readonly number[];
}

export async function servingTimelineChart(input: ServingTimelineInput): Promise<string> {
  return renderVegaLite(servingTimelineSpec(input));
}

/** The Vega-Lite spec of {@link servingTimelineChart}. */
export function servingTimelineSpec(input: ServingTimelineInput): VegaLiteSpec {
  const x = { field: "t", type: "quantitative", title: "time (s)" };
  const series = ["running", "waiting"];
  const requests = input.time_s.flatMap((t, i) => [
    { t, series: "running", n: input.running[i] ?? 0 },
    { t, series: "waiting", n: input.waiting[i] ?? 0 },
  ]);
  const kv = input.time_s.flatMap((t, i) => [
    { t, series: "mean", use: input.kv_utilization[i] ?? 0 },
    { t, series: "peak", use: input.kv_peak_utilization[i] ?? 0 },
  ]);
  const colour = (domain: string[]) => ({ domain, range: [OKABE_ITO[0], OKABE_ITO[1]] });
  return {
    title: { text: input.title, subtitle: "requests in the batch and in the queue; KV-cache blocks in use" },
    vconcat: [
      {
        width: 520,
        height: 160,
        data: { values: requests },
        mark: { type: "line", interpolate: "step-after" },
        encoding: { x, y: { field: "n", type: "quantitative", title: "requests (mean)" }, color: { field: "series", type: "nominal", title: null, scale: colour(series), sort: series }, tooltip: [{ field: "t", format: ".3~r" }, { field: "series" }, { field: "n", format: ".3~r" }] },
      },
      {
        width: 520,
        height: 100,
        data: { values: kv },
        mark: { type: "line", interpolate: "step-after" },
        encoding: {
          x,
          y: { field: "use", type: "quantitative", title: "KV cache in use", scale: { domain: [0, 1] }, axis: { format: "%" } },
          color: { field: "series", type: "nominal", title: null, scale: colour(["mean", "peak"]), sort: ["mean", "peak"] },
          strokeDash: { field: "series", type: "nominal", scale: { domain: ["mean", "peak"], range: [[1, 0], [4, 3]] }, legend: null },
          tooltip: [{ field: "t", format: ".3~r" }, { field: "series" }, { field: "use", format: ".1%" }],
        },
      },
    ],
    resolve: { scale: { color: "independent" } },
    spacing: 12,
  };
}
