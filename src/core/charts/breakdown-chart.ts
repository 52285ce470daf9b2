import { colourScale } from "./palette.js";
import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/**
 * A stacked breakdown: one horizontal bar per group (a chip), split into parts (op kinds of the time,
 * memory components, energy by phase). Used for time, energy and memory alike.
 */
export interface BreakdownInput {
  title: string;
  /** What the bar length measures, with its unit ("time per prefill (ms)"). */
  axis_title: string;
  rows: ReadonlyArray<{ group: string; part: string; value: number }>;
  /** Order of the parts in the stack and legend (default: first appearance). */
  parts?: readonly string[];
}

export async function breakdownChart(input: BreakdownInput): Promise<string> {
  return renderVegaLite(breakdownSpec(input));
}

/** The Vega-Lite spec of {@link breakdownChart} (the page draws it live). */
export function breakdownSpec(input: BreakdownInput): VegaLiteSpec {
  const parts = input.parts ? [...input.parts] : [...new Set(input.rows.map((r) => r.part))];
  const groups = [...new Set(input.rows.map((r) => r.group))];
  const order = new Map(parts.map((p, i) => [p, i]));
  return {
    title: input.title,
    width: 480,
    height: { step: 28 },
    data: { values: input.rows.map((r) => ({ ...r, part_order: order.get(r.part) ?? parts.length })) },
    mark: { type: "bar", stroke: "white", strokeWidth: 0.5 },
    encoding: {
      y: { field: "group", type: "nominal", title: null, sort: groups },
      x: { field: "value", type: "quantitative", stack: "zero", title: input.axis_title },
      color: { field: "part", type: "nominal", title: null, scale: colourScale(parts), sort: parts, legend: { orient: "bottom", columns: 4 } },
      order: { field: "part_order", type: "quantitative" },
    },
  };
}
