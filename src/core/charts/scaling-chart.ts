import { colourScale } from "./palette.js";
import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/** Scaling efficiency against chip count (log₂ axis), one line per chip; 1 = perfectly linear. */
export interface ScalingSeries {
  chip: string;
  points: ReadonlyArray<{ chips: number; efficiency: number }>;
}

export interface ScalingChartInput {
  title: string;
  series: readonly ScalingSeries[];
}

export async function scalingChart(input: ScalingChartInput): Promise<string> {
  return renderVegaLite(scalingSpec(input));
}

/** The Vega-Lite spec of {@link scalingChart} (the page draws it live). */
export function scalingSpec(input: ScalingChartInput): VegaLiteSpec {
  const values = input.series.flatMap((s) => s.points.filter((p) => p.chips > 0 && Number.isFinite(p.efficiency)).map((p) => ({ chip: s.chip, chips: p.chips, efficiency: p.efficiency })));
  const chips = input.series.map((s) => s.chip);
  const counts = [...new Set(values.map((v) => v.chips))].sort((a, b) => a - b);
  const x = { field: "chips", type: "quantitative", title: "chips (log₂ scale)", scale: { type: "log", base: 2 }, axis: { values: counts, format: "~s" } };
  const y = { field: "efficiency", type: "quantitative", title: "scaling efficiency (%)", scale: { domainMin: 0 }, axis: { format: "%" } };
  return {
    title: { text: input.title, subtitle: "per-chip throughput relative to the smallest count that fits; 100% = linear" },
    width: 460,
    height: 260,
    data: { values },
    encoding: { x, y, color: { field: "chip", type: "nominal", title: "chip", scale: colourScale(chips), sort: chips } },
    layer: [{ mark: { type: "line", strokeWidth: 2 } }, { mark: { type: "point", filled: true, size: 50 } }],
  };
}
