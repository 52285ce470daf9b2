/** Number formatting for chart labels (charts import only units, so they carry their own). */
const PREFIXES: ReadonlyArray<[number, string]> = [[1e18, "E"], [1e15, "P"], [1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];

/** A value with an SI prefix and three significant digits: 9.89e14, "FLOP/s" → "989 TFLOP/s". */
export function fmtSi(v: number, unit = ""): string {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  for (const [s, p] of PREFIXES) if (a >= s) return `${trim((v / s).toPrecision(3))} ${p}${unit}`.trim();
  if (a !== 0 && a < 1e-2) return `${trim(v.toPrecision(3))} ${unit}`.trim();
  return `${trim(v.toPrecision(3))} ${unit}`.trim();
}

/** A figure with three significant digits, no SI prefix ("0.000123" stays readable as 1.23e-4). */
export function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

function trim(s: string): string {
  return s.includes("e") || !s.includes(".") ? s : s.replace(/\.?0+$/, "");
}

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
