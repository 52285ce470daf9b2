/**
 * Pipeline: a heterogeneous pipeline (`kind: pipeline`, issue #12) written or uploaded as YAML, drawn
 * as a stage diagram. With the engine's pipeline job (issue #12) each stage shows its utilisation and
 * the bottleneck is highlighted; without it the view says so and draws the stages from the file.
 */
import { useMemo, useState } from "preact/hooks";
import { pipelineDiagram } from "../../core/charts/index.js";
import { fmtSi } from "../../core/report/table.js";
import { type Column, DataTable } from "../components/data-table.js";
import { ErrorBox } from "../components/error-box.js";
import { ExportButtons } from "../components/export-buttons.js";
import type { Engine } from "../engine/engine.js";
import { useViewState } from "../state/url-state.js";
import { useDebounced } from "./designer/use-debounced.js";
import { VariantEditor } from "./designer/variant-editor.js";
import { PIPELINE_EXAMPLE } from "./pipeline/pipeline-example.js";
import { type PipelineFile, readPipelineFile } from "./pipeline/pipeline-file.js";
import { type PipelineEstimate, type PipelineRow, pipelineDiagramInput, stagesCsv, pipelineJobAvailable, pipelineResultTable, runPipeline } from "./pipeline/pipeline-result.js";

const DEFAULTS = { yaml: "" };

const COLUMNS: ReadonlyArray<Column<PipelineRow>> = [
  { key: "name", label: "Stage / link", value: (r) => r.name },
  { key: "rate", label: "Rate", numeric: true, value: (r) => (r.kind === "stage" ? `${r.rate_per_s.toFixed(1)} items/s` : fmtSi(r.rate_per_s, "B/s")) },
  { key: "utilisation", label: "Utilisation", numeric: true, value: (r) => `${(r.utilisation * 100).toFixed(1)} %` },
  { key: "power", label: "Power", numeric: true, value: (r) => (r.power_w !== undefined ? `${r.power_w.toFixed(0)} W` : "") },
];

function useEstimate(engine: Engine, file: PipelineFile | undefined): { result?: PipelineEstimate; error?: unknown } {
  return useMemo(() => {
    if (!file || !pipelineJobAvailable()) return {};
    try {
      return { result: runPipeline(file, engine.catalog) };
    } catch (error) {
      return { error };
    }
  }, [engine, file]);
}

function PipelineUpload({ onText }: { onText: (t: string) => void }) {
  return (
    <label class="pipeline-upload">
      Open a pipeline file
      <input type="file" accept=".yaml,.yml,.json" data-testid="pipeline-upload" onChange={async (e) => {
        const f = (e.target as HTMLInputElement).files?.[0];
        if (f) onText(await f.text());
      }} />
    </label>
  );
}

function NotBuiltNote() {
  return (
    <p class="note pipeline-missing" role="status" data-testid="pipeline-missing">
      Pipeline estimation (stage rates, utilisation, the bottleneck) is not built yet: it is issue #12. The stages below are drawn from your file; no numbers are estimated.
    </p>
  );
}

export function PipelineView({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("pipeline", DEFAULTS);
  const [draft, setDraft] = useState<string>();
  const text = draft ?? (s.yaml || PIPELINE_EXAMPLE);
  const settled = useDebounced(text, 150);
  const read = useMemo(() => readPipelineFile(settled), [settled]);
  const est = useEstimate(engine, read.file);
  const svg = useMemo(() => (read.file ? pipelineDiagram(pipelineDiagramInput(read.file, est.result)) : undefined), [read.file, est.result]);
  const onText = (t: string) => {
    setDraft(t);
    set({ yaml: t === PIPELINE_EXAMPLE ? "" : t });
  };
  const rows = est.result ? pipelineResultTable(est.result) : undefined;
  return (
    <div class="view-grid pipeline">
      <form class="inputs" onSubmit={(e) => e.preventDefault()}>
        <PipelineUpload onText={onText} />
        <VariantEditor text={text} onInput={onText} diagnostics={read.diagnostics} label="Pipeline scenario (YAML)" id="pipeline-yaml" invalidTitle="The pipeline file is not valid" />
      </form>
      <section class="results" aria-live="polite">
        {pipelineJobAvailable() ? null : <NotBuiltNote />}
        <ErrorBox error={est.error} />
        {svg ? (
          <figure class="pipeline-figure">
            <div class="pipeline-svg" role="img" aria-label="pipeline stages" data-testid="pipeline-diagram" dangerouslySetInnerHTML={{ __html: svg }} />
            <ExportButtons source={{ name: "pipeline", svg: () => svg, json: () => ({ file: read.file, estimate: est.result ?? null }), csv: () => (rows ? { header: COLUMNS.map((c) => c.key), rows: rows.map((r) => COLUMNS.map((c) => String(c.value(r)))) } : stagesCsv(read.file!)) }} />
          </figure>
        ) : null}
        {rows ? <DataTable caption="Stages and links" columns={COLUMNS} rows={rows} rowKey={(r) => r.name} highlight={(r) => r.bottleneck} testId="pipeline-table" /> : null}
      </section>
    </div>
  );
}
