import { breakdownChart } from "./breakdown-chart.js";

/** Cost broken down per chip (capex amortisation, energy, facility, cloud…), stacked bars in one currency unit. */
export interface CostBreakdownInput {
  title: string;
  /** The unit of every value ("USD per million tokens", "USD per training run"). */
  unit: string;
  rows: ReadonlyArray<{ chip: string; component: string; usd: number }>;
}

export function costChart(input: CostBreakdownInput): Promise<string> {
  return breakdownChart({ title: input.title, axis_title: input.unit, rows: input.rows.map((r) => ({ group: r.chip, part: r.component, value: r.usd })) });
}
