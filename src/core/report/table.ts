/**
 * Plain-text tables and CSV from rows of records. Browser-safe (used by the CLI and the web UI).
 */
export interface Column<R> {
  header: string;
  value: (row: R) => string | number | boolean | undefined | null;
  align?: "left" | "right";
}

export function renderTable<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  const cells = rows.map((r) => columns.map((c) => fmtCell(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => {
        const align = columns[i]!.align ?? (i === 0 ? "left" : "right");
        return align === "left" ? v.padEnd(widths[i]!) : v.padStart(widths[i]!);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

function fmtCell(v: string | number | boolean | undefined | null): string {
  if (v === undefined || v === null) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return String(v);
}

/** RFC 4180 CSV: quotes fields containing comma, quote or newline. */
export function renderCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const esc = (v: unknown): string => {
    if (v === undefined || v === null) return "";
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(","), ...rows.map((r) => cols.map((c) => esc(r[c])).join(","))].join("\n") + "\n";
}

/** Seconds in the most readable unit: 1.23 ms, 45.6 µs, 2.31 s. */
export function fmtTime(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return "—";
  if (s === 0) return "0 s";
  const a = Math.abs(s);
  if (a >= 3600 * 24) return `${(s / 86400).toPrecision(3)} d`;
  if (a >= 3600) return `${(s / 3600).toPrecision(3)} h`;
  if (a >= 1) return `${s.toPrecision(3)} s`;
  if (a >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  if (a >= 1e-6) return `${(s * 1e6).toPrecision(3)} µs`;
  return `${(s * 1e9).toPrecision(3)} ns`;
}

/** Decimal SI prefix: 989 T, 3.35 T. */
export function fmtSi(v: number | undefined, unit = "", digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  const table: Array<[number, string]> = [[1e18, "E"], [1e15, "P"], [1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
  for (const [s, p] of table) if (a >= s) return `${(v / s).toPrecision(digits)} ${p}${unit}`;
  return `${v.toPrecision(digits)} ${unit}`.trimEnd();
}

export { fmtBytes } from "../units/format-bytes.js";

export function fmtPct(x: number | undefined, digits = 1): string {
  if (x === undefined || !Number.isFinite(x)) return "—";
  return `${(x * 100).toFixed(digits)}%`;
}
