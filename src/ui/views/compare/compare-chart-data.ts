/**
 * The bar charts of a comparison: one metric each (speed, memory, energy, cost), chips in ranked
 * order. A chip without the value (cannot run, no TDP, no price) has no bar, never a zero one.
 */
import type { CompareResult, CompareRow, OpEstimate } from "../../../core/app/index.js";
import type { MetricBarInput } from "../../../core/charts/index.js";

export interface NamedChart {
  id: string;
  input: MetricBarInput;
}

type Pick = (r: Extract<CompareRow, { ok: true }>) => number | undefined;

function bars(rows: readonly CompareRow[], pick: Pick): MetricBarInput["rows"] {
  return rows.flatMap((r) => {
    const v = r.ok ? pick(r) : undefined;
    return v !== undefined && Number.isFinite(v) ? [{ label: r.chip, value: v }] : [];
  });
}

function chart(id: string, title: string, axis_title: string, rows: MetricBarInput["rows"]): NamedChart[] {
  return rows.length ? [{ id, input: { title, axis_title, rows } }] : [];
}

export function compareCharts(result: CompareResult): NamedChart[] {
  const rows = result.rows;
  if (result.workload.mode === "training") {
    return [
      ...chart("step-time", "Step time", "step time (s)", bars(rows, (r) => r.training?.step_time_s)),
      ...chart("memory", "Memory per chip", "memory per chip (bytes)", bars(rows, (r) => r.training?.memory_per_chip_bytes)),
      ...chart("energy", "Energy per step", "energy per step (J)", bars(rows, (r) => r.training?.energy_per_step_j)),
      ...chart("cost", "Cost per step", "cost per step (USD)", bars(rows, (r) => r.training?.cost_usd)),
    ];
  }
  return [
    ...chart("throughput", "Throughput", "output tokens/s", bars(rows, (r) => r.inference?.output_tokens_per_s)),
    ...chart("latency", "Time per output token", "TPOT (s)", bars(rows, (r) => r.inference?.tpot_s)),
    ...chart("memory", "Memory per chip", "memory per chip (bytes)", bars(rows, (r) => r.inference?.memory_per_chip_bytes)),
    ...chart("energy", "Energy per request", "energy (J)", bars(rows, (r) => r.inference?.energy_j)),
    ...chart("cost", "Price per million output tokens", "USD per Mtok", bars(rows, (r) => r.usd_per_million_tokens)),
  ];
}

export function opCharts(rows: readonly OpEstimate[]): NamedChart[] {
  const of = (pick: (r: OpEstimate) => number | undefined) => rows.flatMap((r) => (pick(r) !== undefined ? [{ label: r.chip, value: pick(r)! }] : []));
  return [...chart("latency", "GEMM latency", "latency (s)", of((r) => r.latency_s)), ...chart("energy", "GEMM energy", "energy (J)", of((r) => r.energy_j))];
}
