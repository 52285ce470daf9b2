/** A results table whose rows can be chosen (a DataTable with a selection). */
import { type Column, DataTable } from "./data-table.js";

export interface SelectableTableProps<R> {
  caption: string;
  columns: ReadonlyArray<Column<R>>;
  rows: readonly R[];
  rowKey: (r: R) => string;
  selected: string | undefined;
  onSelect: (key: string) => void;
  testId?: string;
}

export function SelectableTable<R>({ selected, onSelect, ...table }: SelectableTableProps<R>) {
  return <DataTable {...table} selection={{ selected, onSelect }} />;
}

