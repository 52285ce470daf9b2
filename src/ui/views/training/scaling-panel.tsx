/** The strong-scaling curve of the workload (the scaling job, count by count in the worker), chart and table. */
import { useMemo } from "preact/hooks";
import type { ScalePoint, ScalingRequest, ScalingResult } from "../../../core/app/index.js";
import { scalingSpec } from "../../../core/charts/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime } from "../../../core/report/table.js";
import { DataTable, type Column, tableCsv } from "../../components/data-table.js";
import { ExportButtons } from "../../components/export-buttons.js";
import { JobStatus } from "../../components/job-status.js";
import { VegaChart } from "../../components/vega-chart.js";
import { useWorkerJob } from "../../engine/use-job.js";
import { scalingInput } from "./layout-charts.js";

const COLUMNS: ReadonlyArray<Column<ScalePoint>> = [
  { key: "chips", label: "Chips", numeric: true, value: (p) => String(p.chips) },
  { key: "layout", label: "Best layout", value: (p) => p.layout ?? `none: ${p.reason ?? ""}` },
  { key: "step_time", label: "Step time", numeric: true, value: (p) => fmtTime(p.step_time_s) },
  { key: "tokens_per_s", label: "Tokens/s", numeric: true, value: (p) => fmtSi(p.tokens_per_s) },
  { key: "mfu", label: "MFU", numeric: true, value: (p) => fmtPct(p.mfu) },
  { key: "efficiency", label: "Efficiency", numeric: true, value: (p) => fmtPct(p.scaling_efficiency) },
  { key: "memory", label: "Memory per chip", numeric: true, value: (p) => (p.memory_per_chip_bytes === undefined ? "—" : fmtBytes(p.memory_per_chip_bytes)) },
];

export function ScalingPanel({ request }: { request: ScalingRequest | undefined }) {
  const job = useWorkerJob("scaling", request, "Scaling curve");
  return (
    <section class="training-scaling" aria-label="scaling curve">
      <h3>Scaling</h3>
      <JobStatus job={job} what="Scaling curve" testId="scaling-status" />
      {job.result ? <ScalingResultView r={job.result} /> : null}
    </section>
  );
}

function ScalingResultView({ r }: { r: ScalingResult }) {
  const spec = useMemo(() => scalingSpec(scalingInput(r)), [r]);
  return (
    <>
      {r.feasible ? <VegaChart spec={spec} label="scaling efficiency against chip count" exportName="training-scaling" testId="scaling-chart" /> : <p class="note">{r.infeasible_reason}</p>}
      <DataTable caption={`Best layout per chip count (global batch fixed)`} columns={COLUMNS} rows={r.points} rowKey={(p) => String(p.chips)} testId="scaling-table" />
      <ExportButtons source={{ name: `scaling-${r.model}-${r.chip}`, json: () => r, csv: () => tableCsv(COLUMNS, r.points) }} />
    </>
  );
}
