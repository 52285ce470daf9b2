/** The selected layout: its memory per chip by category and its step time by part, as stacked bars. */
import { useMemo } from "preact/hooks";
import { layoutLabel, type TrainingEstimate } from "../../../core/app/index.js";
import { breakdownSpec } from "../../../core/charts/index.js";
import { VegaChart } from "../../components/vega-chart.js";
import { memoryInput, stepInput } from "./layout-charts.js";

export function LayoutDetail({ e }: { e: TrainingEstimate }) {
  const label = layoutLabel(e.layout);
  const memory = useMemo(() => breakdownSpec(memoryInput(e)), [e]);
  const step = useMemo(() => breakdownSpec(stepInput(e)), [e]);
  return (
    <section class="training-detail" aria-label={`layout ${label}`} data-testid="training-detail" data-layout={label}>
      <h3>Layout {label}</h3>
      <VegaChart spec={memory} label={`memory per chip by category for ${label}`} exportName="training-memory" testId="training-memory-chart" />
      <VegaChart spec={step} label={`step time breakdown for ${label}`} exportName="training-step" testId="training-step-chart" />
      {e.warnings.length ? (
        <ul class="notes">
          {e.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
