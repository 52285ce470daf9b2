/**
 * The ranked table of the `compare` job and of the `op` job: one row per chip, values formatted as
 * the CLI formats them (fmtSi, fmtTime); a value the engine does not give is "—", never 0.
 */
import type { CompareRow, OpEstimate } from "../../../core/app/index.js";
import { fmtPct, fmtSi, fmtTime } from "../../../core/report/table.js";
import type { Column } from "../../components/data-table.js";

type Ok = Extract<CompareRow, { ok: true }>;
const ok = (r: CompareRow): Ok | undefined => (r.ok ? r : undefined);
const inf = (r: CompareRow) => ok(r)?.inference;
const tr = (r: CompareRow) => ok(r)?.training;

/** Fits: "yes", "no: …" with the smallest count that holds it, or why the chip cannot run it. */
export function fitsText(r: CompareRow): string {
  if (!r.ok) return `no: ${r.reason}`;
  const fits = r.training ? r.training.fits : r.inference?.fits;
  if (fits !== false) return "yes";
  if (r.smallest_fit) return `no: needs ${r.smallest_fit.chips} chips`;
  return `no${r.smallest_fit_none ? `: ${r.smallest_fit_none}` : ""}`;
}

const common: ReadonlyArray<Column<CompareRow>> = [
  { key: "chip", label: "Chip", value: (r) => r.chip },
  { key: "dtype", label: "dtype", value: (r) => r.dtype_choice?.dtype ?? "—" },
];

export const INFERENCE_COLUMNS: ReadonlyArray<Column<CompareRow>> = [
  ...common,
  { key: "tokens_per_s", label: "Output tokens/s", numeric: true, value: (r) => fmtSi(inf(r)?.output_tokens_per_s) },
  { key: "ttft", label: "TTFT", numeric: true, value: (r) => fmtTime(inf(r)?.ttft_s) },
  { key: "tpot", label: "TPOT", numeric: true, value: (r) => fmtTime(inf(r)?.tpot_s) },
  { key: "memory", label: "Memory per chip", numeric: true, value: (r) => fmtSi(inf(r)?.memory_per_chip_bytes, "B") },
  { key: "fits", label: "Fits", value: fitsText },
  { key: "usd_per_mtok", label: "$/Mtok", numeric: true, value: (r) => fmtSi(ok(r)?.usd_per_million_tokens) },
  { key: "energy", label: "Energy per request", numeric: true, value: (r) => fmtSi(inf(r)?.energy_j, "J") },
];

export const TRAINING_COLUMNS: ReadonlyArray<Column<CompareRow>> = [
  ...common,
  { key: "step_time", label: "Step time", numeric: true, value: (r) => fmtTime(tr(r)?.step_time_s) },
  { key: "tokens_per_s", label: "Tokens/s", numeric: true, value: (r) => fmtSi(tr(r)?.tokens_per_s) },
  { key: "mfu", label: "MFU", numeric: true, value: (r) => fmtPct(tr(r)?.mfu) },
  { key: "memory", label: "Memory per chip", numeric: true, value: (r) => fmtSi(tr(r)?.memory_per_chip_bytes, "B") },
  { key: "fits", label: "Fits", value: fitsText },
  { key: "cost", label: "$ per step", numeric: true, value: (r) => fmtSi(tr(r)?.cost_usd) },
  { key: "energy", label: "Energy per step", numeric: true, value: (r) => fmtSi(tr(r)?.energy_per_step_j, "J") },
];

export const OP_COLUMNS: ReadonlyArray<Column<OpEstimate>> = [
  { key: "chip", label: "Chip", value: (r) => r.chip },
  { key: "latency", label: "Latency", numeric: true, value: (r) => fmtTime(r.latency_s) },
  { key: "achieved", label: "Achieved FLOP/s", numeric: true, value: (r) => fmtSi(r.achieved_flops_per_s, "FLOP/s") },
  { key: "utilization", label: "Utilisation", numeric: true, value: (r) => fmtPct(r.utilization) },
  { key: "bound", label: "Bound", value: (r) => r.bound },
  { key: "bytes", label: "Bytes moved", numeric: true, value: (r) => fmtSi(r.bytes, "B") },
  { key: "energy", label: "Energy", numeric: true, value: (r) => fmtSi(r.energy_j, "J") },
  { key: "cost_model", label: "Cost model", value: (r) => r.cost_model },
];
