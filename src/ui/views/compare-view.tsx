/**
 * Compare / assess: one workload on several chips. A model runs the `compare` job on the main thread
 * (the ranked table and bar charts re-render in the input's frame) and the `assess` job in the
 * worker (every factor, ranked, with adjustable weights re-ranking its result at once); one GEMM
 * runs the `op` job on each chip.
 */
import type { CompareResult, FactorKey, OpEstimate } from "../../core/app/index.js";
import { DataTable, tableCsv } from "../components/data-table.js";
import { ErrorBox } from "../components/error-box.js";
import { ExportButtons } from "../components/export-buttons.js";
import type { Engine } from "../engine/engine.js";
import { useJob } from "../engine/use-job.js";
import { useViewState } from "../state/url-state.js";
import { specRef } from "../workspace/workspace.js";
import { AssessPanel } from "./compare/assess-panel.js";
import { compareCharts, opCharts } from "./compare/compare-chart-data.js";
import { MetricCharts } from "./compare/compare-charts.js";
import { INFERENCE_COLUMNS, OP_COLUMNS, TRAINING_COLUMNS } from "./compare/compare-columns.js";
import { assessRequest, compareRequest, opRequest, weightsOf } from "./compare/compare-requests.js";
import { COMPARE_DEFAULTS, type CompareState, weightKey } from "./compare/compare-state.js";
import { WorkloadInputs } from "./compare/workload-inputs.js";
import { useMemo } from "preact/hooks";

function Timing({ ms }: { ms: number | undefined }) {
  return ms === undefined ? null : <p class="timing" data-testid="compute-ms">computed in {ms.toFixed(1)} ms</p>;
}

function CompareResults({ result, ms }: { result: CompareResult; ms: number | undefined }) {
  const columns = result.workload.mode === "training" ? TRAINING_COLUMNS : INFERENCE_COLUMNS;
  const charts = useMemo(() => compareCharts(result), [result]);
  const what = result.workload.mode === "training" ? "one training step per chip, ranked by step time" : `inference on ${result.workload.tp} chip${result.workload.tp === 1 ? "" : "s"} per replica, ranked by throughput`;
  return (
    <>
      {result.infeasible_reason ? <p class="error" role="status">{result.infeasible_reason}</p> : null}
      <DataTable caption={`${result.model}: ${what}`} columns={columns} rows={result.rows} rowKey={(r) => r.chip} testId="compare-table" />
      <ExportButtons source={{ name: `compare-${result.model}`, json: () => result, csv: () => tableCsv(columns, result.rows) }} />
      <Timing ms={ms} />
      <MetricCharts charts={charts} stem={`compare-${result.model}`} />
    </>
  );
}

function OpResults({ rows, ms }: { rows: OpEstimate[]; ms: number | undefined }) {
  const charts = useMemo(() => opCharts(rows), [rows]);
  return (
    <>
      <DataTable caption={`${rows[0]?.op ?? "GEMM"} on each chip`} columns={OP_COLUMNS} rows={rows} rowKey={(r) => r.chip} testId="op-table" />
      <ExportButtons source={{ name: "compare-gemm", json: () => rows, csv: () => tableCsv(OP_COLUMNS, rows) }} />
      <Timing ms={ms} />
      <MetricCharts charts={charts} stem="compare-gemm" />
      <p class="note">The factor assessment needs a model: choose “A model” to see every factor.</p>
    </>
  );
}

function ModelCompare({ engine, s, set }: { engine: Engine; s: CompareState; set: (p: Partial<CompareState>) => void }) {
  const job = useJob(engine, "compare", compareRequest(s, specRef));
  return (
    <>
      <ErrorBox error={job.error} />
      {job.result ? <CompareResults result={job.result} ms={job.elapsed_ms} /> : null}
      <AssessPanel request={assessRequest(s, specRef)} weights={weightsOf(s)} weightText={(f: FactorKey) => s[weightKey(f)]} setWeight={(f: FactorKey, v: string) => set({ [weightKey(f)]: v } as Partial<CompareState>)} />
    </>
  );
}

function OpCompare({ engine, s }: { engine: Engine; s: CompareState }) {
  const job = useJob(engine, "op", opRequest(s, specRef));
  const rows = job.result === undefined ? undefined : Array.isArray(job.result) ? job.result : [job.result];
  return (
    <>
      <ErrorBox error={job.error} />
      {rows ? <OpResults rows={rows} ms={job.elapsed_ms} /> : null}
    </>
  );
}

export function CompareView({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("compare", COMPARE_DEFAULTS);
  return (
    <div class="view-grid cmp-view">
      <WorkloadInputs s={s} set={set} engine={engine} />
      <section class="results" aria-live="polite">
        {s.source === "op" ? <OpCompare engine={engine} s={s} /> : <ModelCompare engine={engine} s={s} set={set} />}
      </section>
    </div>
  );
}
