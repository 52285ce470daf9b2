/**
 * The ops placed on a roofline, one row each with the numbers the chart's tooltip shows: FLOPs,
 * bytes, time, arithmetic intensity, achieved FLOP/s and what bounds it. From the breakdown job's
 * per-op rows (a forward pass) or the op job's estimate (one GEMM).
 */
import type { BreakdownResult, OpEstimate } from "../../../core/app/index.js";
import type { RooflineOp } from "../../../core/charts/index.js";
import { fmtSi, fmtTime } from "../../../core/report/table.js";
import type { Column } from "../../components/data-table.js";

export interface RooflineRow extends RooflineOp {
  kind: string;
  /** Times the op runs in the pass (its block's repeat). */
  repeat: number;
}

export function breakdownRows(pass: BreakdownResult): RooflineRow[] {
  return pass.ops.map((r) => ({ name: `${r.block}/${r.op}`, kind: r.kind, repeat: r.repeat, flops: r.flops, bytes: r.bytes, time_s: r.time_s, bound: r.bound }));
}

export function opRows(op: OpEstimate): RooflineRow[] {
  return [{ name: op.op, kind: "gemm", repeat: 1, flops: op.flops, bytes: op.bytes, time_s: op.latency_s, bound: op.bound }];
}

/** FLOP per byte; undefined (shown "—") when the op moves no bytes. */
export const intensityOf = (r: RooflineOp): number | undefined => (r.bytes > 0 ? r.flops / r.bytes : undefined);
export const achievedOf = (r: RooflineOp): number | undefined => (r.time_s > 0 ? r.flops / r.time_s : undefined);

export const ROOFLINE_COLUMNS: ReadonlyArray<Column<RooflineRow>> = [
  { key: "op", label: "Op", value: (r) => r.name },
  { key: "kind", label: "Kind", value: (r) => r.kind },
  { key: "repeat", label: "×", numeric: true, value: (r) => String(r.repeat) },
  { key: "flops", label: "FLOPs", numeric: true, value: (r) => fmtSi(r.flops) },
  { key: "bytes", label: "Bytes", numeric: true, value: (r) => fmtSi(r.bytes, "B") },
  { key: "time", label: "Time", numeric: true, value: (r) => fmtTime(r.time_s) },
  { key: "intensity", label: "FLOP/byte", numeric: true, value: (r) => fmtSi(intensityOf(r)) },
  { key: "achieved", label: "Achieved FLOP/s", numeric: true, value: (r) => fmtSi(achievedOf(r), "FLOP/s") },
  { key: "bound", label: "Bound", value: (r) => r.bound },
];
