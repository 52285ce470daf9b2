import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/**
 * A systolic array's utilisation per layer as a heat map: one row per simulated layer, one column
 * per metric (overall utilisation, mapping efficiency, compute utilisation, all in percent), each
 * cell coloured on viridis (sequential, perceptually uniform, readable under the common colour-vision
 * deficiencies and in greyscale) over a fixed 0–100 % domain, and labelled with its value.
 */
export interface SystolicHeatmapLayer {
  layer_id: number;
  layer_name: string;
  overall_util_pct: number;
  mapping_efficiency_pct: number;
  compute_util_pct: number;
}

export interface SystolicHeatmapInput {
  title: string;
  layers: readonly SystolicHeatmapLayer[];
}

export const SYSTOLIC_HEATMAP_METRICS = [
  ["overall_util_pct", "overall util %"],
  ["mapping_efficiency_pct", "mapping eff. %"],
  ["compute_util_pct", "compute util %"],
] as const;

/** One datum per cell: layer × metric. */
export function systolicHeatmapCells(layers: readonly SystolicHeatmapLayer[]): Array<{ layer: string; order: number; metric: string; pct: number }> {
  return layers.flatMap((l) => SYSTOLIC_HEATMAP_METRICS.map(([key, metric]) => ({ layer: `${l.layer_id} ${l.layer_name}`, order: l.layer_id, metric, pct: l[key] })));
}

export function systolicHeatmapSpec(input: SystolicHeatmapInput): VegaLiteSpec {
  const y = { field: "layer", type: "nominal", sort: { field: "order" }, title: "layer" };
  const x = { field: "metric", type: "nominal", sort: SYSTOLIC_HEATMAP_METRICS.map(([, m]) => m), title: null, axis: { orient: "top", labelAngle: 0 } };
  return {
    title: input.title,
    data: { values: systolicHeatmapCells(input.layers) },
    width: 330,
    height: { step: 18 },
    encoding: { y, x },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
        encoding: {
          color: { field: "pct", type: "quantitative", scale: { scheme: "viridis", domain: [0, 100] }, title: "%" },
          tooltip: [{ field: "layer" }, { field: "metric" }, { field: "pct", format: ".2f", title: "%" }],
        },
      },
      {
        mark: { type: "text", fontSize: 10 },
        encoding: {
          text: { field: "pct", type: "quantitative", format: ".1f" },
          color: { condition: { test: "datum.pct < 60", value: "white" }, value: "black" },
        },
      },
    ],
  };
}

export const systolicHeatmapChart = (input: SystolicHeatmapInput): Promise<string> => renderVegaLite(systolicHeatmapSpec(input));
