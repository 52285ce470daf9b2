/**
 * Systolic designs: an R×C array with a dataflow and SRAM sizes on a topology, simulated by the
 * cycle-level `systolic` job in the worker (hundreds of ms to seconds), shown as a heat map of
 * utilisation per layer (viridis) and a per-layer table.
 */
import { useMemo } from "preact/hooks";
import type { SystolicJobRequest, SystolicLayerResult } from "../../../core/app/index.js";
import { systolicHeatmapSpec } from "../../../core/charts/index.js";
import { type Column, DataTable } from "../../components/data-table.js";
import { ErrorBox } from "../../components/error-box.js";
import { ExportButtons } from "../../components/export-buttons.js";
import { NumberField, SelectField } from "../../components/fields.js";
import { ModelPicker } from "../../components/pickers.js";
import { Progress } from "../../components/progress.js";
import { VegaChart } from "../../components/vega-chart.js";
import type { Engine } from "../../engine/engine.js";
import { useWorkerJob } from "../../engine/use-job.js";
import { useViewState } from "../../state/url-state.js";
import { SYSTOLIC_DEFAULTS, type SystolicInputs, systolicRequest, TOPOLOGIES } from "./systolic-request.js";

const COLUMNS: ReadonlyArray<Column<SystolicLayerResult>> = [
  { key: "layer", label: "Layer", value: (r) => r.layer_name },
  { key: "gemm", label: "M×N×K", value: (r) => `${r.gemm_m}×${r.gemm_n}×${r.gemm_k}` },
  { key: "cycles", label: "Cycles", numeric: true, value: (r) => r.total_cycles.toLocaleString("en-US") },
  { key: "overall_util_pct", label: "Util %", numeric: true, value: (r) => r.overall_util_pct.toFixed(2) },
  { key: "mapping_efficiency_pct", label: "Mapping eff. %", numeric: true, value: (r) => r.mapping_efficiency_pct.toFixed(2) },
  { key: "compute_util_pct", label: "Compute util %", numeric: true, value: (r) => r.compute_util_pct.toFixed(2) },
];

function buildRequest(s: SystolicInputs, engine: Engine): { request?: SystolicJobRequest; error?: unknown } {
  try {
    return { request: systolicRequest(s, engine.catalog) };
  } catch (error) {
    return { error };
  }
}

function SystolicInputsForm({ engine, s, set }: { engine: Engine; s: SystolicInputs; set: (p: Partial<SystolicInputs>) => void }) {
  return (
    <div class="systolic-inputs">
      <NumberField label="Array rows" name="rows" value={s.rows} min={1} step={1} onChange={(rows) => set({ rows })} />
      <NumberField label="Array columns" name="cols" value={s.cols} min={1} step={1} onChange={(cols) => set({ cols })} />
      <SelectField label="Dataflow" name="dataflow" value={s.dataflow} onChange={(dataflow) => set({ dataflow })} choices={[{ value: "ws", label: "weight stationary (ws)" }, { value: "os", label: "output stationary (os)" }, { value: "is", label: "input stationary (is)" }]} />
      <NumberField label="IFMAP SRAM (KiB)" name="ifmap_kb" value={s.ifmap_kb} min={1} step={1} onChange={(ifmap_kb) => set({ ifmap_kb })} />
      <NumberField label="Filter SRAM (KiB)" name="filter_kb" value={s.filter_kb} min={1} step={1} onChange={(filter_kb) => set({ filter_kb })} />
      <NumberField label="OFMAP SRAM (KiB)" name="ofmap_kb" value={s.ofmap_kb} min={1} step={1} onChange={(ofmap_kb) => set({ ofmap_kb })} />
      <SelectField label="Topology" name="topology" value={s.topology} onChange={(topology) => set({ topology })} choices={TOPOLOGIES} />
      {s.topology === "model" ? (
        <>
          <ModelPicker engine={engine} label="Model (one layer's GEMMs)" name="gemm_model" value={s.gemm_model} onChange={(gemm_model) => set({ gemm_model })} />
          <NumberField label="Tokens (GEMM rows)" name="tokens" value={s.tokens} min={1} step={1} onChange={(tokens) => set({ tokens })} />
        </>
      ) : null}
    </div>
  );
}

export function SystolicPanel({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("designer", SYSTOLIC_DEFAULTS);
  const built = useMemo(() => buildRequest(s, engine), [JSON.stringify(s), engine]);
  const job = useWorkerJob("systolic", built.request, "simulating the systolic array");
  const layers = job.result?.results;
  const spec = useMemo(() => (layers ? systolicHeatmapSpec({ title: `${s.rows}×${s.cols} ${s.dataflow} array: utilisation per layer`, layers }) : undefined), [layers]);
  return (
    <section class="designer-systolic" aria-label="systolic design">
      <h3>Systolic design</h3>
      <SystolicInputsForm engine={engine} s={s} set={set} />
      <ErrorBox error={built.error ?? job.error} />
      {job.running ? <Progress label={job.running.label} startedAt={job.running.startedAt} onCancel={job.running.cancel} {...(job.running.done !== undefined ? { done: job.running.done } : {})} {...(job.running.total !== undefined ? { total: job.running.total } : {})} /> : null}
      {layers && job.result ? (
        <>
          <VegaChart spec={spec} label="array utilisation per layer" exportName="systolic-heatmap" testId="systolic-heatmap" />
          <DataTable caption={`${job.result.totals.layers} layers, ${job.result.totals.cycles.toLocaleString("en-US")} cycles`} columns={COLUMNS} rows={layers} rowKey={(r) => String(r.layer_id)} testId="systolic-table" />
          <ExportButtons source={{ name: "systolic", json: () => job.result, csv: () => ({ header: COLUMNS.map((c) => c.key), rows: layers.map((r) => COLUMNS.map((c) => String(c.value(r)))) }) }} />
          <p class="timing" data-testid="systolic-ms">simulated in {job.elapsed_ms?.toFixed(0)} ms (worker)</p>
        </>
      ) : null}
    </section>
  );
}
