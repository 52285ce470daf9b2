import type { Column } from "../../components/data-table.js";

/** A table as CSV: the column keys as the header and each row's text as shown. */
export function tableCsv<R>(columns: ReadonlyArray<Column<R>>, rows: readonly R[]): { header: string[]; rows: string[][] } {
  return { header: columns.map((c) => c.key), rows: rows.map((r) => columns.map((c) => String(c.value(r) ?? ""))) };
}
