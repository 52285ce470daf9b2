/** The columns of the ranked deployment table (as `xpusim plan serve` prints them). */
import type { PlanDeployment } from "../../../core/app/index.js";
import { fmtBytes } from "../../../core/report/table.js";
import type { Column } from "../../components/data-table.js";

export const fmtLatency = (s: number | undefined): string => (s === undefined || !Number.isFinite(s) ? "—" : s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`);
export const fmtUsd = (x: number | undefined): string => (x === undefined ? "—" : `$${x < 10 ? x.toFixed(3) : x.toFixed(2)}`);

export interface RankedDeployment {
  rank: number;
  d: PlanDeployment;
}

export const DEPLOYMENT_COLUMNS: ReadonlyArray<Column<RankedDeployment>> = [
  { key: "rank", label: "#", numeric: true, value: (r) => String(r.rank) },
  { key: "chip", label: "Chip", value: (r) => r.d.chip },
  { key: "precision", label: "Precision", value: (r) => r.d.precision },
  { key: "layout", label: "Layout", value: (r) => `tp ${r.d.tp}${r.d.ep > 1 ? ` · ep ${r.d.ep}` : ""} × ${r.d.replicas} replica${r.d.replicas === 1 ? "" : "s"}` },
  { key: "chips", label: "Chips", numeric: true, value: (r) => String(r.d.chips) },
  { key: "max_num_seqs", label: "Max seqs", numeric: true, value: (r) => String(r.d.max_num_seqs) },
  { key: "ttft_p90", label: "TTFT p90", numeric: true, value: (r) => fmtLatency(r.d.ttft_p90_s) },
  { key: "tpot_p90", label: "TPOT p90", numeric: true, value: (r) => fmtLatency(r.d.tpot_p90_s) },
  { key: "usd_per_hour", label: "$/h", numeric: true, value: (r) => fmtUsd(r.d.usd_per_hour) },
  { key: "usd_per_mtok", label: "$/M tok", numeric: true, value: (r) => fmtUsd(r.d.usd_per_million_tokens) },
  { key: "memory", label: "Memory per chip", numeric: true, value: (r) => fmtBytes(r.d.memory_per_chip_bytes) },
  { key: "meets_slo", label: "Meets SLO", value: (r) => (r.d.meets_slo ? "yes" : "no") },
];
