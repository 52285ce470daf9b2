/**
 * Compare: one workload on several chips, ranked (the `compare` job, as `xpusim compare` runs it).
 */
import type { CompareRequest, CompareRow } from "../../core/app/index.js";
import { fmtSi } from "../../core/report/table.js";
import { DataTable, type Column } from "../components/data-table.js";
import { ErrorBox } from "../components/error-box.js";
import { ExportButtons } from "../components/export-buttons.js";
import { NumberField } from "../components/fields.js";
import { ChipMultiPicker, ModelPicker } from "../components/pickers.js";
import type { Engine } from "../engine/engine.js";
import { useJob } from "../engine/use-job.js";
import { useViewState } from "../state/url-state.js";
import { VegaChart } from "../components/vega-chart.js";
import { useMemo } from "preact/hooks";
import { specRef } from "../workspace/workspace.js";

const DEFAULTS = { model: "llama-3.1-70b", chips: "nvidia-h100-sxm,nvidia-a100-sxm-80gb,amd-mi300x", batch: "1", input: "2048", output: "256" };

const num = (s: string): number | undefined => (s.trim() === "" || !Number.isFinite(Number(s)) ? undefined : Number(s));

export function compareRequest(s: typeof DEFAULTS): CompareRequest {
  return {
    model: specRef(s.model),
    chips: s.chips.split(",").filter(Boolean).map(specRef),
    ...(num(s.batch) !== undefined ? { batch: num(s.batch)! } : {}),
    ...(num(s.input) !== undefined ? { input_tokens: num(s.input)! } : {}),
    ...(num(s.output) !== undefined ? { output_tokens: num(s.output)! } : {}),
  };
}

const ok = (r: CompareRow) => (r.ok ? r : undefined);
const COLUMNS: ReadonlyArray<Column<CompareRow>> = [
  { key: "chip", label: "Chip", value: (r) => r.chip },
  { key: "dtype", label: "dtype", value: (r) => r.dtype_choice?.dtype ?? "" },
  { key: "tokens_per_s", label: "Output tokens/s", numeric: true, value: (r) => (ok(r)?.inference ? ok(r)!.inference!.output_tokens_per_s.toFixed(1) : "") },
  { key: "ttft_s", label: "TTFT", numeric: true, value: (r) => (ok(r)?.inference ? fmtSi(ok(r)!.inference!.ttft_s, "s") : "") },
  { key: "tpot_s", label: "TPOT", numeric: true, value: (r) => (ok(r)?.inference ? fmtSi(ok(r)!.inference!.tpot_s, "s") : "") },
  { key: "memory", label: "Memory per chip", numeric: true, value: (r) => (ok(r)?.inference ? fmtSi(ok(r)!.inference!.memory_per_chip_bytes, "B") : "") },
  { key: "fits", label: "Fits", value: (r) => (r.ok ? (r.inference?.fits === false ? "no" : "yes") : `no: ${r.reason}`) },
];

export function CompareView({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("compare", DEFAULTS);
  const job = useJob(engine, "compare", compareRequest(s));
  return (
    <div class="view-grid">
      <form class="inputs" onSubmit={(e) => e.preventDefault()}>
        <ModelPicker engine={engine} value={s.model} onChange={(model) => set({ model })} />
        <NumberField label="Batch" name="batch" value={s.batch} min={1} step={1} onChange={(batch) => set({ batch })} />
        <NumberField label="Prompt tokens" name="input" value={s.input} min={1} step={1} onChange={(input) => set({ input })} />
        <NumberField label="Generated tokens" name="output" value={s.output} min={1} step={1} onChange={(output) => set({ output })} />
        <ChipMultiPicker engine={engine} value={s.chips} onChange={(chips) => set({ chips })} />
      </form>
      <section class="results" aria-live="polite">
        <ErrorBox error={job.error} />
        {job.result ? (
          <>
            <DataTable caption={`${job.result.model}: ranked by throughput`} columns={COLUMNS} rows={job.result.rows} rowKey={(r) => r.chip} testId="compare-table" />
            <ExportButtons source={{ name: `compare-${job.result.model}`, json: () => job.result, csv: () => ({ header: COLUMNS.map((c) => c.key), rows: job.result!.rows.map((r) => COLUMNS.map((c) => String(c.value(r) ?? ""))) }) }} />
            <VegaChart label="output tokens per second by chip" exportName="compare-throughput" testId="compare-chart" spec={useMemo(() => ({ title: "Output tokens/s", width: 360, mark: "bar", data: { values: job.result!.rows.filter((r) => r.ok && r.inference).map((r) => ({ chip: r.chip, tokens_per_s: r.ok ? r.inference!.output_tokens_per_s : 0 })) }, encoding: { y: { field: "chip", type: "nominal", sort: null }, x: { field: "tokens_per_s", type: "quantitative" }, tooltip: [{ field: "chip" }, { field: "tokens_per_s", format: ".1f" }] } }), [job.result])} />
            <p class="timing" data-testid="compute-ms">computed in {job.elapsed_ms?.toFixed(1)} ms</p>
          </>
        ) : null}
      </section>
    </div>
  );
}
