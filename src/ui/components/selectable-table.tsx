/**
 * A results table whose rows can be chosen: click a row, or focus it (Tab) and press Enter or Space.
 * The chosen row carries aria-selected and the `selected` class; columns as in DataTable.
 */
import type { Column } from "./data-table.js";

export interface SelectableTableProps<R> {
  caption: string;
  columns: ReadonlyArray<Column<R>>;
  rows: readonly R[];
  rowKey: (r: R) => string;
  selected: string | undefined;
  onSelect: (key: string) => void;
  testId?: string;
}

export function SelectableTable<R>({ caption, columns, rows, rowKey, selected, onSelect, testId }: SelectableTableProps<R>) {
  const key = (e: KeyboardEvent, k: string) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    onSelect(k);
  };
  return (
    <div class="table-wrap">
      <table data-testid={testId} class="selectable" role="grid" aria-label={caption}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" class={c.numeric ? "num" : ""}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const k = rowKey(r);
            return (
              <tr key={k} data-row={k} tabIndex={0} aria-selected={k === selected} class={k === selected ? "selected" : ""} onClick={() => onSelect(k)} onKeyDown={(e) => key(e, k)}>
                {columns.map((c) => (
                  <td key={c.key} data-col={c.key} class={c.numeric ? "num" : ""}>
                    {c.value(r)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The table's cells as CSV (header = column keys; cells as shown). */
export function tableCsv<R>(columns: ReadonlyArray<Column<R>>, rows: readonly R[]): { header: string[]; rows: string[][] } {
  return { header: columns.map((c) => c.key), rows: rows.map((r) => columns.map((c) => String(c.value(r) ?? ""))) };
}
