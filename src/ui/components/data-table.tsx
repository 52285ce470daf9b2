/** A plain results table: a caption, column headers with units, one row per item; numbers right-aligned. */
import type { ComponentChildren } from "preact";

export interface Column<R> {
  key: string;
  label: string;
  value: (row: R) => ComponentChildren;
  numeric?: boolean;
}

export function DataTable<R>({ caption, columns, rows, rowKey, highlight, testId }: { caption: string; columns: ReadonlyArray<Column<R>>; rows: readonly R[]; rowKey: (r: R) => string; highlight?: (r: R) => boolean; testId?: string }) {
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
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
            <tr key={rowKey(r)} data-row={rowKey(r)} class={highlight?.(r) ? "highlight" : ""}>
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
