/**
 * The chosen deployment simulated (the serving job, in the worker): headline cards, TTFT and TPOT
 * quantile curves with the SLO, and one replica's batch, queue and KV-cache use over time.
 */
import { useMemo } from "preact/hooks";
import type { Distribution, PlanDeployment, ServingJobRequest, ServingResult } from "../../../core/app/index.js";
import { latencySpec, servingTimelineSpec } from "../../../core/charts/index.js";
import { fmtSi } from "../../../core/report/table.js";
import { DataTable, type Column, tableCsv } from "../../components/data-table.js";
import { ExportButtons } from "../../components/export-buttons.js";
import { JobStatus } from "../../components/job-status.js";
import { VegaChart } from "../../components/vega-chart.js";
import { useWorkerJob } from "../../engine/use-job.js";
import { fmtLatency, fmtUsd } from "./deployment-columns.js";
import { latencyInput, timelineInput } from "./simulation-charts.js";

export function SimulationPanel({ d, request }: { d: PlanDeployment; request: ServingJobRequest }) {
  const job = useWorkerJob("serving", request, "Simulating the deployment");
  return (
    <section class="serving-simulation" aria-label="simulation of the chosen deployment" data-testid="simulation">
      <h3>
        {d.chip} {d.precision} · tp {d.tp}
        {d.ep > 1 ? ` · ep ${d.ep}` : ""} × {d.replicas}
      </h3>
      <JobStatus job={job} what="Simulation" testId="simulation-status" />
      {job.result ? <SimulationResult d={d} r={job.result} /> : null}
    </section>
  );
}

interface LatencyRow {
  metric: string;
  d: Distribution;
}
const LATENCY_COLUMNS: ReadonlyArray<Column<LatencyRow>> = [
  { key: "metric", label: "Metric", value: (r) => r.metric },
  ...(["mean", "p50", "p90", "p99", "max"] as const).map((k) => ({ key: k, label: k, numeric: true, value: (r: LatencyRow) => fmtLatency(r.d[k]) })),
];

function SimulationResult({ d, r }: { d: PlanDeployment; r: ServingResult }) {
  const m = r.metrics;
  const ttft = useMemo(() => (m ? latencySpec(latencyInput("TTFT", m.ttft_s, m.goodput?.ttft_slo_s)) : undefined), [r]);
  const tpot = useMemo(() => (m ? latencySpec(latencyInput("TPOT", m.tpot_s, m.goodput?.tpot_slo_s)) : undefined), [r]);
  const timeline = useMemo(() => {
    const t = timelineInput(r);
    return t ? servingTimelineSpec(t) : undefined;
  }, [r]);
  if (!m) return <p class="note">{r.infeasible_reason ?? "nothing was served"}</p>;
  const rows: LatencyRow[] = [
    { metric: "TTFT", d: m.ttft_s },
    { metric: "TPOT", d: m.tpot_s },
    { metric: "E2E", d: m.e2e_s },
    { metric: "queue delay", d: m.queue_delay_s },
  ];
  return (
    <>
      <div class="cards" data-testid="serving-cards">
        <Card label="Throughput (all replicas)" value={`${fmtSi(m.throughput.output_tokens_per_s * d.replicas)} tok/s`} id="throughput" />
        <Card label="TTFT p99" value={fmtLatency(m.ttft_s.p99)} id="ttft_p99" />
        <Card label="TPOT p99" value={fmtLatency(m.tpot_s.p99)} id="tpot_p99" />
        <Card label="$ per M tokens" value={fmtUsd(d.usd_per_million_tokens)} id="usd_per_mtok" />
        <Card label="Chips" value={String(d.chips)} id="chips" />
      </div>
      <DataTable caption={`Latency of ${r.requests.completed} simulated requests (one replica at its share of the rate)`} columns={LATENCY_COLUMNS} rows={rows} rowKey={(x) => x.metric} testId="latency-table" />
      <ExportButtons source={{ name: `serving-${r.model}-${r.chip}`, json: () => r, csv: () => tableCsv(LATENCY_COLUMNS, rows) }} />
      <div class="chart-row">
        <VegaChart spec={ttft} label="TTFT quantiles of the simulated requests" exportName="serving-ttft" testId="ttft-chart" />
        <VegaChart spec={tpot} label="TPOT quantiles of the simulated requests" exportName="serving-tpot" testId="tpot-chart" />
      </div>
      {timeline ? <VegaChart spec={timeline} label="requests running and waiting, and KV-cache use, over time" exportName="serving-timeline" testId="timeline-chart" /> : null}
    </>
  );
}

function Card({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div class="card" data-card={id}>
      <div class="label">{label}</div>
      <div class="value">{value}</div>
    </div>
  );
}
