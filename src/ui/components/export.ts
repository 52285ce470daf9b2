/**
 * Exports of a result: JSON (the job's result as the CLI's --json prints it), CSV (the table shown),
 * SVG (a chart, the same bytes the CLI and the report draw). Files are made in the page (blob: URLs).
 */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** RFC 4180 CSV: fields with a comma, quote or newline are quoted, quotes doubled. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? "" : typeof v === "number" ? String(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}

export const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
