import { architectureDiagram, breakdownChart, costChart, factorChart, powerThermalChart, precisionChart, rooflineChart, scalingChart } from "../../charts/index.js";
import { factorChartInput } from "./factor-chart-input.js";
import type { ReportData } from "./report-data.js";

/** One drawn figure of a report: its file name, heading, one-line caption and SVG. */
export interface ReportFigure {
  file: string;
  heading: string;
  caption: string;
  svg: string;
}

/** A file-name-safe slug of an id ("nvidia-h100-sxm", "my chip.yaml" → "my-chip-yaml"). */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart";
}

/**
 * Draws every chart a report's data has, in reading order (factors, architectures, rooflines,
 * breakdowns, scaling, power/thermal, precision, cost). One chart at a time, so the output is
 * deterministic.
 */
export async function drawReportFigures(data: ReportData): Promise<ReportFigure[]> {
  const a = data.assessment;
  const c = data.charts;
  const out: ReportFigure[] = [];
  const add = async (file: string, heading: string, caption: string, draw: () => string | Promise<string>) => out.push({ file, heading, caption, svg: await draw() });
  if (a.chips.length > 0) {
    await add("factors.svg", "Factor comparison", "Each cell: the chip's value on a factor, coloured by its rank among the chips (1 = best; grey = unknown).", () =>
      factorChart(factorChartInput(a)),
    );
  }
  for (const chip of c.architectures ?? []) await add(`architecture-${slug(chip.id)}.svg`, `Architecture: ${chip.name}`, "Compute units with their matrix and vector engines, the memory hierarchy and the links, drawn from the chip's data.", () => architectureDiagram(chip));
  for (const r of c.rooflines ?? []) await add(`roofline-${slug(r.chip)}.svg`, `Roofline: ${r.chip}`, "Attainable FLOP/s per dtype (roofs) and each op of the workload at its arithmetic intensity and achieved FLOP/s, coloured by what bounds it.", () => rooflineChart(r));
  if (c.time_breakdown) await add("time-breakdown.svg", "Time breakdown", c.time_breakdown.title, () => breakdownChart(c.time_breakdown!));
  if (c.energy_breakdown) await add("energy-breakdown.svg", "Energy breakdown", c.energy_breakdown.title, () => breakdownChart(c.energy_breakdown!));
  if (c.memory_breakdown) await add("memory-breakdown.svg", "Memory breakdown", c.memory_breakdown.title, () => breakdownChart(c.memory_breakdown!));
  if (c.scaling) await add("scaling.svg", "Scaling", c.scaling.title, () => scalingChart(c.scaling!));
  for (const [i, t] of (c.power_timelines ?? []).entries()) {
    await add(`power-thermal-${t.chip ? slug(t.chip) : i + 1}.svg`, `Power and temperature${t.chip ? `: ${t.chip}` : ""}`, t.detail ? `${t.title}; ${t.detail}.` : t.title, () => powerThermalChart(t));
  }
  if (c.precision) await add("precision.svg", "Precision vs speed-up", c.precision.title, () => precisionChart(c.precision!));
  if (c.cost) await add("cost.svg", "Cost breakdown", c.cost.title, () => costChart(c.cost!));
  return out;
}
