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
  | "count"
  /** Accelerator time: "GPU-hours", "chip-days", "GPU·s" (chip-seconds). */
  | "chip_seconds"
  | "tokens_per_s"
  /** Samples, sequences, images, queries or requests per second. */
  | "samples_per_s"
  /** Energy per generated token or processed sample ("J/token", "mJ/token"). */
  | "joules_per_item"
  /** A dimensionless share: "%", "fraction", "ratio", "% of peak". */
  | "fraction";

const DECIMAL: Record<string, number> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const TIME_PREFIX: Record<string, number> = { "": 1, m: 1e-3, u: 1e-6, "µ": 1e-6, n: 1e-9, p: 1e-12 };
/** Prefixes of energy and power: milli (m) is small, mega (M) large. */
const SI_PREFIX: Record<string, number> = { ...TIME_PREFIX, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
/** Time units longer than a second (also the time part of "GPU-hours"). */
const LONG_TIME: Array<[RegExp, number]> = [
  [/^(s|sec|secs|seconds?)$/i, 1],
  [/^(min|mins|minutes?)$/i, 60],
  [/^(h|hr|hrs|hours?)$/i, 3600],
  [/^(d|days?)$/i, 86400],
  [/^(wk|weeks?)$/i, 7 * 86400],
];

export interface UnitMatch {
  dimension: Dimension;
  /** Multiply a value in this unit by `factor` to get SI base units of `dimension`. */
  factor: number;
  /** The unit is per accelerator ("TFLOPS/GPU", "tokens/s per chip"). */
  perChip?: boolean;
  /** "% of peak" (or "of peak" utilisation): a share of the hardware's peak rate. */
  ofPeak?: boolean;
}

function longTime(u: string): number | undefined {
  return LONG_TIME.find(([re]) => re.test(u))?.[1];
}

/** "GPU-hours", "GPU·s", "chip-days", "TPU hours", "accelerator-h": accelerator time in chip-seconds. */
function chipTimeOf(u: string): UnitMatch | undefined {
  const m = u.match(/^(GPU|TPU|chip|device|accelerator|XPU|NPU)s?[-·*_]?(.+)$/i);
  const t = m ? longTime(m[2]!) : undefined;
  return t === undefined ? undefined : { dimension: "chip_seconds", factor: t };
}

/** Counts per second: "tokens/s", "tok/s", "samples/s", "img/s", "sequences/sec", "QPS", "k tokens/s". */
function rateOf(u: string): UnitMatch | undefined {
  const m = u.match(/^(k|K|M)?(tokens?|toks?|samples?|seqs?|sequences?|img|imgs|images?|queries|query|requests?|reqs?)(\/s|\/sec|\/second|ps|persecond|persec)$/i);
  if (m) return { dimension: /^tok/i.test(m[2]!) ? "tokens_per_s" : "samples_per_s", factor: DECIMAL[m[1] ?? ""]! };
  if (/^(QPS|RPS)$/i.test(u)) return { dimension: "samples_per_s", factor: 1 };
  return undefined;
}

/**
 * A unit as measured-results files write it: the units of spec files plus rates of tokens and
 * samples, long times (min, h, days), accelerator time (GPU-hours), energy in Wh, energy per token,
 * shares (%, "% of peak"), and a per-accelerator suffix ("/GPU", "per chip") that `perChip` reports.
 */
export function parseUnit(text: string): UnitMatch | undefined {
  let u = text.replace(/\s+/g, "");
  const perChip = /(\/|per)(GPU|chip|TPU|device|accelerator|card|XPU|NPU)s?$/i;
  const isPerChip = perChip.test(u) && !/^(GPU|TPU|chip|device|accelerator)/i.test(u);
  if (isPerChip) u = u.replace(perChip, "");
  const m = unitOf(u);
  return m && isPerChip ? { ...m, perChip: true } : m;
}

/** Parses a quantity written with any unit `parseUnit` knows ("12 min", "1.4 MWh"): SI value, unit and dimension. */
export function parseMeasured(input: string): ({ value: number } & UnitMatch) | undefined {
  const m = input.match(QUANTITY);
  if (!m || !m[2]) return undefined;
  const unit = parseUnit(m[2]);
  const num = Number(m[1]!.replace(/[,_]/g, ""));
  return unit && Number.isFinite(num) ? { ...unit, value: num * unit.factor } : undefined;
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
  if ((m = u.match(/^(k|K|M|G|T|P|E)?(FLOP|Flop|flop)(S|s|\/s)$/))) return { dimension: "flops_per_s", factor: DECIMAL[m[1] ?? ""]! };
  if ((m = u.match(/^(k|K|M|G|T|P|E)?(OPS|OP\/s|ops\/s)$/))) return { dimension: "ops_per_s", factor: DECIMAL[m[1] ?? ""]! };
  if ((m = u.match(/^(k|K|M|G|T|P|E)?FLOP\/(sec|second)$/))) return { dimension: "flops_per_s", factor: DECIMAL[m[1] ?? ""]! };
  if ((m = u.match(/^(m|k|K|M|G)?W$/))) return { dimension: "watts", factor: SI_PREFIX[m[1] ?? ""]! };
  if ((m = u.match(/^(m|u|µ|n|p)?s$/))) return { dimension: "seconds", factor: TIME_PREFIX[m[1] ?? ""]! };
  if ((m = u.match(/^(p|n|u|µ|m|k|K|M|G)?J$/))) return { dimension: "joules", factor: SI_PREFIX[m[1] ?? ""]! };
  if ((m = u.match(/^(m|k|K|M|G|T)?Wh$/))) return { dimension: "joules", factor: 3600 * SI_PREFIX[m[1] ?? ""]! };
  if ((m = u.match(/^(p|n|u|µ|m)?J\/(tokens?|tok|samples?|img|images?|queries|query|requests?)$/i))) return { dimension: "joules_per_item", factor: TIME_PREFIX[m[1] ?? ""]! };
  if (u === "%") return { dimension: "fraction", factor: 1e-2 };
  if (/^%(of)?(peak|theoreticalpeak|peakflops)$/i.test(u)) return { dimension: "fraction", factor: 1e-2, ofPeak: true };
  if (/^(fraction|ratio|x|×)$/i.test(u)) return { dimension: "fraction", factor: 1 };
  const t = longTime(u);
  if (t !== undefined) return { dimension: "seconds", factor: t };
  const chipTime = chipTimeOf(u);
  if (chipTime) return chipTime;
  const rate = rateOf(u);
  if (rate) return rate;
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
  chip_seconds: '"1.2 GPU-hours"',
  tokens_per_s: '"380 tokens/s"',
  samples_per_s: '"2500 samples/s"',
  joules_per_item: '"0.4 J/token"',
  fraction: '"46.2 %"',
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
