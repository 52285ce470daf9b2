/** The columns of the ranked layout table (the same formatting as `xpusim train --search`). */
import { layoutLabel, type TrainingEstimate } from "../../../core/app/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime } from "../../../core/report/table.js";
import type { Column } from "../../components/data-table.js";

export interface RankedLayout {
  rank: number;
  e: TrainingEstimate;
}

export const layoutKey = (r: RankedLayout): string => layoutLabel(r.e.layout);

export const LAYOUT_COLUMNS: ReadonlyArray<Column<RankedLayout>> = [
  { key: "rank", label: "#", numeric: true, value: (r) => String(r.rank) },
  { key: "layout", label: "Layout", value: layoutKey },
  { key: "tp", label: "TP", numeric: true, value: (r) => String(r.e.layout.tp) },
  { key: "pp", label: "PP", numeric: true, value: (r) => String(r.e.layout.pp) },
  { key: "dp", label: "DP", numeric: true, value: (r) => String(r.e.layout.dp) },
  { key: "microbatch", label: "Micro-batch", numeric: true, value: (r) => String(r.e.layout.microbatch) },
  { key: "zero", label: "ZeRO", numeric: true, value: (r) => String(r.e.layout.zero) },
  { key: "recompute", label: "Recompute", value: (r) => r.e.layout.recompute },
  { key: "step_time", label: "Step time", numeric: true, value: (r) => fmtTime(r.e.step_time_s) },
  { key: "tokens_per_s", label: "Tokens/s", numeric: true, value: (r) => fmtSi(r.e.tokens_per_s) },
  { key: "mfu", label: "MFU", numeric: true, value: (r) => fmtPct(r.e.mfu) },
  { key: "memory", label: "Memory per chip", numeric: true, value: (r) => fmtBytes(r.e.memory_per_chip_bytes) },
  { key: "fits", label: "Fits", value: (r) => (r.e.fits ? "yes" : `no (short ${fmtBytes(r.e.shortfall_bytes)})`) },
];
