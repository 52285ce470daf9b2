import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Slo } from "../serving/metrics.js";
import type { LengthDist } from "../serving/workload-gen.js";
import { parseQuantity } from "../units/quantity.js";

export { parseTrace } from "../serving/trace.js";
/** "bf16", "w4a16", "compute=fp8,weights=fp8,kv=bf16" → a precision (see workload/precision.ts). */
export { parsePrecision } from "../workload/precision.js";

/**
 * The text forms of serving inputs ("10/s", "512-2048", "ttft=500ms,tpot=50ms", "1:1", "15W",
 * "$100/h", and a trace's CSV/JSONL text) read into typed values, for every front end (CLI flags, web form fields). Each takes
 * the label the user typed the value under (a flag such as "--rate", or a field name) and throws an
 * XpusimError naming it on bad text.
 */
function bad(label: string, message: string, hint?: string): XpusimError {
  return new XpusimError(error("E_RANGE", label, message, hint ? { hint } : {}));
}

/** "10/s", "10", "600/min", "inf" → requests per second. */
export function parseRate(raw: string, label = "rate"): number {
  const t = raw.trim().toLowerCase();
  if (t === "inf" || t === "infinity") return Infinity;
  const m = /^([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(?:\/\s*(s|sec|second|min|minute|h|hour))?$/.exec(t);
  const v = m ? Number(m[1]) : NaN;
  if (!m || !(v > 0) || !Number.isFinite(v)) throw bad(label, `${label} must be a positive rate such as 10/s, 600/min or inf, got "${raw}"`);
  const per = m[2] ?? "s";
  return per.startsWith("min") ? v / 60 : per.startsWith("h") ? v / 3600 : v;
}

/** "1024" (fixed) or "512-2048" (uniform) → a length distribution. */
export function parseLength(raw: string, label = "length"): LengthDist {
  const t = raw.trim();
  const fixed = /^\d+$/.exec(t);
  if (fixed && Number(t) > 0) return Number(t);
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(t);
  if (range && Number(range[1]) > 0 && Number(range[2]) >= Number(range[1])) return { kind: "uniform", min: Number(range[1]), max: Number(range[2]) };
  throw bad(label, `${label} must be a token count (1024) or a range (512-2048), got "${raw}"`);
}

/** "ttft=500ms,tpot=50ms" → SLO in seconds. */
export function parseSlo(raw: string, label = "slo"): Slo {
  const out: Slo = {};
  for (const part of raw.split(",")) {
    const [k, v, extra] = part.split("=").map((x) => x.trim());
    const key = k?.toLowerCase();
    if (!v || extra !== undefined || (key !== "ttft" && key !== "tpot")) {
      throw bad(label, `${label}: cannot read "${part}"`, `write e.g. ${label} ttft=500ms,tpot=50ms`);
    }
    const q = parseQuantity(v, "seconds");
    if (!q.ok || !(q.value > 0)) throw bad(label, `${label} ${key}: expected a duration such as 500ms or 0.05s, got "${v}"`);
    if (key === "ttft") out.ttft_s = q.value;
    else out.tpot_s = q.value;
  }
  return out;
}

/** "1:1", "2:3" → prefill and decode instances of a disaggregated deployment. */
export function parseDisaggregation(raw: string, label = "disaggregation"): { prefill_instances: number; decode_instances: number } {
  const m = /^(\d+)\s*:\s*(\d+)$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw bad(label, `${label} must be P:D with positive counts, e.g. 1:1 or 2:3, got "${raw}"`);
  return { prefill_instances: Number(m[1]), decode_instances: Number(m[2]) };
}

/** "50 GB/s" → bytes per second. */
export function parseBandwidth(raw: string, label = "bandwidth"): number {
  const q = parseQuantity(raw, "bytes_per_s");
  if (!q.ok || !(q.value > 0)) throw bad(label, `${label}: expected a bandwidth such as "50 GB/s", got "${raw}"`);
  return q.value;
}

/** "15W", "15 W", "0.5kW" → watts. */
export function parsePower(raw: string, label = "power"): number {
  const m = /^([0-9]*\.?[0-9]+)\s*(k?w)?$/i.exec(raw.trim());
  if (!m) throw bad(label, `${label} must be a power such as 15W or 0.7kW, got "${raw}"`);
  const v = Number(m[1]) * (m[2]?.toLowerCase() === "kw" ? 1000 : 1);
  if (!(v > 0)) throw bad(label, `${label} must be positive, got "${raw}"`);
  return v;
}

/** "100", "$100/h", "100/h" → dollars per hour. */
export function parseBudget(raw: string, label = "budget"): number {
  const m = /^\$?\s*([0-9]*\.?[0-9]+)\s*(?:\/\s*h(?:our)?)?$/i.exec(raw.trim());
  const v = m ? Number(m[1]) : NaN;
  if (!(v > 0)) throw bad(label, `${label} must be dollars per hour such as 100 or $100/h, got "${raw}"`);
  return v;
}

/** A number in (0, hi]: "0.9" for a memory fraction, "2" for a burstiness cv; `what` names it in the message. */
export function parseInRange(raw: string, label: string, hi: number, what?: string, hint?: string): number {
  const v = Number(raw);
  if (!(v > 0 && v <= hi)) throw bad(label, `${label} must be ${what ? `${what} ` : ""}in (0, ${hi}], got "${raw}"`, hint);
  return v;
}

/** "1", "-3" → an integer (a seed). */
export function parseInteger(raw: string, label: string): number {
  const v = Number(raw);
  if (!Number.isInteger(v)) throw bad(label, `${label} must be an integer, got "${raw}"`);
  return v;
}

/** "all" or "a,b,c" → the candidate chip ids ("all": every catalog chip). */
export function parseChipList(raw: string, label = "chips"): "all" | string[] {
  if (raw.trim().toLowerCase() === "all") return "all";
  const ids = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw bad(label, `${label} needs "all" or a comma-separated list of chip ids`);
  return ids;
}

/** "bf16,fp8" → precision names. */
export function parseNameList(raw: string, label: string, what: string): string[] {
  const names = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw bad(label, `${label} needs at least one ${what}`);
  return names;
}
