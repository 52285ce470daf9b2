import { useMemo } from "preact/hooks";
import { metricBarSpec } from "../../../core/charts/index.js";
import { VegaChart } from "../../components/vega-chart.js";
import type { NamedChart } from "./compare-chart-data.js";

/** One live bar chart per metric, each with its SVG download. */
export function MetricCharts({ charts, stem }: { charts: readonly NamedChart[]; stem: string }) {
  const specs = useMemo(() => charts.map((c) => ({ id: c.id, title: c.input.title, spec: metricBarSpec(c.input) })), [charts]);
  return (
    <div class="cmp-charts">
      {specs.map((c) => (
        <VegaChart key={c.id} spec={c.spec} label={c.title} exportName={`${stem}-${c.id}`} testId={`chart-${c.id}`} />
      ))}
    </div>
  );
}
