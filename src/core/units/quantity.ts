/**
 * Physical quantities written with their unit in spec files ("3.35 TB/s", "80 GiB", "1.98 GHz")
 * and normalised to SI base units on load (bytes, bytes/s, Hz, FLOP/s, W, s, m², USD).
 *
 * Decimal prefixes are powers of 1000 (GB = 1e9 B, as vendors quote bandwidth); binary prefixes
 * (KiB, MiB, GiB, TiB) are powers of 1024. Bits are accepted for link rates ("400 Gb/s" = 50e9 B/s).
 */

export type Dimension =
  | "bytes"
  | "bytes_per_s"
  | "hz"
  | "flops_per_s"
  | "ops_per_s"
  | "watts"
  | "seconds"
  | "joules"
  | "area_mm2"
  | "usd"
  | "usd_per_hour"
  | "count";

const DECIMAL: Record<string, number> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const TIME_PREFIX: Record<string, number> = { "": 1, m: 1e-3, u: 1e-6, "µ": 1e-6, n: 1e-9, p: 1e-12 };

interface UnitMatch {
  dimension: Dimension;
  factor: number;
}

/** Splits "3.35 TB/s" into number and unit text; accepts "1,200", "1e3", "1.5e-6". */
const QUANTITY = /^\s*([+-]?(?:\d[\d,_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([^\d\s].*?)?\s*$/;

function unitOf(text: string): UnitMatch | undefined {
  const u = text.replace(/\s+/g, "");
  let m: RegExpMatchArray | null;
  // Bytes and bytes per second, decimal or binary prefixes; bits (b) divided by 8.
  if ((m = u.match(/^(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P|E)?(B|b|bytes?|bits?)(\/s|ps)?$/))) {
    const prefix = m[1] ?? "";
    const scale = BINARY[prefix] ?? DECIMAL[prefix];
    if (scale === undefined) return undefined;
    const isBits = m[2] === "b" || m[2]!.startsWith("bit");
    const factor = scale / (isBits ? 8 : 1);
    return { dimension: m[3] ? "bytes_per_s" : "bytes", factor };
  }
  if ((m = u.match(/^(k|K|M|G|T)?Hz$/))) return { dimension: "hz", factor: DECIMAL[m[1] ?? ""]! };
  if ((m = u.match(/^(k|K|M|G|T|P|E)?FLOP(S|s|\/s)$/))) return { dimension: "flops_per_s", factor: DECIMAL[m[1] ?? ""]! };
  if ((m = u.match(/^(k|K|M|G|T|P|E)?(OPS|OP\/s|ops\/s)$/))) return { dimension: "ops_per_s", factor: DECIMAL[m[1] ?? ""]! };
  if ((m = u.match(/^(m|k|K|M)?W$/))) return { dimension: "watts", factor: m[1] === "m" ? 1e-3 : DECIMAL[m[1] ?? ""]! };
  if ((m = u.match(/^(m|u|µ|n|p)?s$/))) return { dimension: "seconds", factor: TIME_PREFIX[m[1] ?? ""]! };
  if ((m = u.match(/^(p|n|u|µ|m)?J$/))) return { dimension: "joules", factor: TIME_PREFIX[m[1] ?? ""]! };
  if (u === "mm2" || u === "mm²") return { dimension: "area_mm2", factor: 1 };
  if (u === "USD" || u === "$") return { dimension: "usd", factor: 1 };
  if (u === "USD/h" || u === "USD/hour" || u === "$/h" || u === "$/hour") return { dimension: "usd_per_hour", factor: 1 };
  return undefined;
}

const EXAMPLES: Record<Dimension, string> = {
  bytes: '"80 GiB" or "50 MB"',
  bytes_per_s: '"3.35 TB/s" or "400 Gb/s"',
  hz: '"1.98 GHz"',
  flops_per_s: '"989 TFLOPS"',
  ops_per_s: '"1979 TOPS"',
  watts: '"700 W"',
  seconds: '"5 us" or "1.2 ms"',
  joules: '"1.3 pJ"',
  area_mm2: '"814 mm2"',
  usd: '"25000 USD"',
  usd_per_hour: '"2.5 USD/h"',
  count: "a plain number",
};

export type ParseResult = { ok: true; value: number } | { ok: false; expected: string; got: string };

/**
 * Parses a quantity of the given dimension. Plain numbers are taken as already in SI base units.
 * TOPS are accepted where FLOPS are expected (integer engines) and the reverse, since both count
 * operations per second.
 */
export function parseQuantity(input: unknown, dimension: Dimension): ParseResult {
  const expected = `a ${dimension} quantity such as ${EXAMPLES[dimension]}`;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { ok: false, expected, got: String(input) };
    return { ok: true, value: input };
  }
  if (typeof input !== "string") return { ok: false, expected, got: JSON.stringify(input) ?? String(input) };
  const m = input.match(QUANTITY);
  if (!m) return { ok: false, expected, got: JSON.stringify(input) };
  const num = Number(m[1]!.replace(/[,_]/g, ""));
  if (!Number.isFinite(num)) return { ok: false, expected, got: JSON.stringify(input) };
  const unitText = m[2];
  if (!unitText) return dimension === "count" ? { ok: true, value: num } : { ok: false, expected: `${expected} (a unit is required when written as text)`, got: JSON.stringify(input) };
  const unit = unitOf(unitText);
  if (!unit) return { ok: false, expected, got: `unknown unit "${unitText}" in ${JSON.stringify(input)}` };
  const compatible =
    unit.dimension === dimension ||
    (dimension === "flops_per_s" && unit.dimension === "ops_per_s") ||
    (dimension === "ops_per_s" && unit.dimension === "flops_per_s");
  if (!compatible) return { ok: false, expected, got: `${JSON.stringify(input)} is ${unit.dimension.replace(/_/g, " ")}` };
  return { ok: true, value: num * unit.factor };
}

/** Formats an SI value with an engineering prefix for human tables. */
export function formatQuantity(value: number, unit: string, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return `0 ${unit}`;
  const binary = unit === "B" || unit === "iB";
  const prefixes: Array<[number, string]> = binary
    ? [[2 ** 50, "Pi"], [2 ** 40, "Ti"], [2 ** 30, "Gi"], [2 ** 20, "Mi"], [2 ** 10, "Ki"]]
    : [[1e18, "E"], [1e15, "P"], [1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"], [1, ""], [1e-3, "m"], [1e-6, "µ"], [1e-9, "n"], [1e-12, "p"]];
  const abs = Math.abs(value);
  for (const [scale, prefix] of prefixes) {
    if (abs >= scale * 0.9995) return `${(value / scale).toPrecision(digits)} ${prefix}${unit === "iB" ? "B" : unit}`;
  }
  return `${value.toPrecision(digits)} ${unit}`;
}
