/**
 * The assessment's factor table: one row per chip and factor with the value and unit, its rank among
 * the chips, what limits it and the note; a value the chip's data cannot support is "—" with what is
 * missing (never 0).
 */
import type { AssessResult, FactorKey, FactorValue } from "../../../core/app/index.js";
import { DataTable, type Column } from "../../components/data-table.js";

export interface FactorRow {
  chip: string;
  factor: FactorKey;
  f: FactorValue | undefined;
}

/** The shown value: three significant digits (exponent form outside 1e-3 … 1e6), or "— (missing: …)". */
export function factorValueShown(f: FactorValue | undefined): string {
  if (!f) return "— (not assessed)";
  if (f.value === null) return `— (missing: ${f.missing?.length ? f.missing.join(", ") : "no data"})`;
  const a = Math.abs(f.value);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? f.value.toExponential(2) : String(Number(f.value.toPrecision(3)));
}

export const FACTOR_COLUMNS: ReadonlyArray<Column<FactorRow>> = [
  { key: "chip", label: "Chip", value: (r) => r.chip },
  { key: "factor", label: "Factor", value: (r) => r.factor.replace("_", " ") },
  { key: "value", label: "Value", numeric: true, value: (r) => factorValueShown(r.f) },
  { key: "unit", label: "Unit", value: (r) => r.f?.unit ?? "" },
  { key: "rank", label: "Rank", numeric: true, value: (r) => (r.f?.rank === null || r.f?.rank === undefined ? "—" : String(r.f.rank)) },
  { key: "limited_by", label: "Limited by", value: (r) => r.f?.limited_by ?? "—" },
  { key: "note", label: "Note", value: (r) => r.f?.note ?? "" },
];

export function factorRows(a: AssessResult): FactorRow[] {
  return a.chips.flatMap((c) => a.factor_keys.map((factor) => ({ chip: c.chip, factor, f: c.factors[factor] })));
}

export function FactorTable({ assessment }: { assessment: AssessResult }) {
  return <DataTable caption={`Every factor: ${assessment.workload}`} columns={FACTOR_COLUMNS} rows={factorRows(assessment)} rowKey={(r) => `${r.chip}/${r.factor}`} testId="factor-table" />;
}
