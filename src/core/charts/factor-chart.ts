import { fmtNumber } from "./format.js";
import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/**
 * The factor comparison: a heat map of chips × factors, each cell coloured by the chip's rank on that
 * factor (1 = best; grey = unknown) and labelled with its value and unit, so the rank and the figure
 * behind it read together.
 */
export interface FactorCell {
  chip: string;
  factor: string;
  value: number | null;
  unit: string;
  rank: number | null;
}

export interface FactorChartInput {
  title: string;
  chips: readonly string[];
  factors: readonly string[];
  cells: readonly FactorCell[];
}

/** Rank colours, best to worst (a sequential blue ramp, readable under colour-vision deficiencies). */
const RANK_RAMP = ["#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7"];

/** A cell's value with its unit: fractions as percentages, scores bare, the rest number + unit. */
function cellLabel(value: number, unit: string): string {
  if (unit === "fraction") return `${fmtNumber(value * 100)} %`;
  if (unit === "score") return fmtNumber(value);
  return `${fmtNumber(value)} ${unit}`.trim();
}

/** The factor chart as a Vega-Lite spec (drawn live by the web workbench, to SVG by `factorChart`). */
export function factorSpec(input: FactorChartInput): VegaLiteSpec {
  const n = Math.max(1, input.chips.length);
  const rows = input.cells.map((c) => ({
    chip: c.chip,
    factor: c.factor,
    rank_label: c.rank === null ? "unknown" : `rank ${c.rank}`,
    label: c.value === null ? "unknown" : cellLabel(c.value, c.unit),
    light: c.rank !== null && c.rank <= Math.max(1, Math.ceil(n / 3)),
  }));
  const ranks = [...Array.from({ length: n }, (_, i) => `rank ${i + 1}`), "unknown"];
  const range = [...ranks.slice(0, n).map((_, i) => RANK_RAMP[Math.min(RANK_RAMP.length - 1, Math.round((i * (RANK_RAMP.length - 1)) / Math.max(1, n - 1)))]!), "#eeeeee"];
  const axis = (field: string, sort: readonly string[]) => ({ field, type: "nominal", sort: [...sort], title: null });
  return {
    title: input.title,
    width: { step: 112 },
    height: { step: 34 },
    data: { values: rows },
    encoding: { x: { ...axis("factor", input.factors), axis: { orient: "top", labelAngle: 0, labelLimit: 108 } }, y: axis("chip", input.chips) },
    layer: [
      { mark: { type: "rect", stroke: "white", strokeWidth: 1 }, encoding: { color: { field: "rank_label", type: "nominal", title: "rank (1 = best)", scale: { domain: ranks, range } } } },
      { mark: { type: "text", fontSize: 10, limit: 108 }, encoding: { text: { field: "label" }, color: { condition: { test: "datum.light", value: "white" }, value: "#222222" } } },
    ],
  };
}

export async function factorChart(input: FactorChartInput): Promise<string> {
  return renderVegaLite(factorSpec(input));
}
