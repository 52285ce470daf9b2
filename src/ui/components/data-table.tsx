/**
 * A plain results table: a caption, column headers with units, one row per item; numbers right-aligned.
 * With `selection`, rows can be chosen: click a row, or focus it (Tab) and press Enter or Space; the
 * chosen row carries aria-selected and the `selected` class.
 */
import type { ComponentChildren } from "preact";

export interface Column<R> {
  key: string;
  label: string;
  value: (row: R) => ComponentChildren;
  numeric?: boolean;
}

export interface RowSelection {
  selected: string | undefined;
  onSelect: (key: string) => void;
}

export interface DataTableProps<R> {
  caption: string;
  columns: ReadonlyArray<Column<R>>;
  rows: readonly R[];
  rowKey: (r: R) => string;
  highlight?: (r: R) => boolean;
  selection?: RowSelection;
  testId?: string;
}

function rowAttributes(k: string, highlighted: boolean, selection: RowSelection | undefined) {
  if (!selection) return { class: highlighted ? "highlight" : "" };
  const chosen = k === selection.selected;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    selection.onSelect(k);
  };
  return { tabIndex: 0, "aria-selected": chosen, class: chosen ? "selected" : highlighted ? "highlight" : "", onClick: () => selection.onSelect(k), onKeyDown };
}

export function DataTable<R>({ caption, columns, rows, rowKey, highlight, selection, testId }: DataTableProps<R>) {
  return (
    <div class="table-wrap">
      <table data-testid={testId} {...(selection ? { class: "selectable", role: "grid", "aria-label": caption } : {})}>
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
          {rows.map((r) => (
            <tr key={rowKey(r)} data-row={rowKey(r)} {...rowAttributes(rowKey(r), highlight?.(r) ?? false, selection)}>
              {columns.map((c) => (
                <td key={c.key} data-col={c.key} class={c.numeric ? "num" : ""}>
                  {c.value(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The table's cells as CSV (header = column keys; cells as shown). */
export function tableCsv<R>(columns: ReadonlyArray<Column<R>>, rows: readonly R[]): { header: string[]; rows: string[][] } {
  return { header: columns.map((c) => c.key), rows: rows.map((r) => columns.map((c) => String(c.value(r) ?? ""))) };
}
