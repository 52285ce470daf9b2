import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ServingRequest } from "./request.js";

/**
 * Request traces as text: CSV or JSON Lines of (arrival_s, input_len, output_len).
 *
 * CSV: an optional header naming the columns (any order; names matched case-insensitively with
 * common aliases: `arrival_s`/`arrival`/`timestamp`/`time`, `arrival_ms`, `input_len`/
 * `input_tokens`/`prompt_len`/`ContextTokens`, `output_len`/`output_tokens`/`GeneratedTokens`;
 * extra columns are ignored). Without a header the first three columns are taken in that order.
 * Timestamps may be seconds, or ISO dates (as in the Azure LLM inference traces), which are made
 * relative to the earliest one. Fields may be quoted (RFC 4180). Blank lines and lines starting
 * with `#` are skipped.
 *
 * JSONL: one object per line with the same field names.
 *
 * Every bad field is reported with its line and column (1-based), up to 20 problems at once; a
 * malformed trace is an XpusimError, never an exception from deep inside the simulator. Rows are
 * returned sorted by arrival (stable). With `arrivalOptional` (scenario traces whose arrivals come
 * from an arrival process) rows may omit the arrival, all or none; missing arrivals are NaN.
 */

const ARRIVAL_S = ["arrival_s", "arrival", "arrival_time", "arrival_time_s", "timestamp", "time", "time_s", "t"];
const ARRIVAL_MS = ["arrival_ms", "timestamp_ms", "time_ms"];
const INPUT = ["input_len", "input_tokens", "input_length", "prompt_len", "prompt_tokens", "prompt_length", "contexttokens", "context_tokens", "num_prefill_tokens"];
const OUTPUT = ["output_len", "output_tokens", "output_length", "completion_tokens", "generated_tokens", "generatedtokens", "num_decode_tokens"];

const MAX_REPORTED = 20;

type Field = "arrival" | "input" | "output";

interface Cell {
  text: string;
  /** 1-based column of the cell's first character. */
  column: number;
}

/** Splits one CSV line into cells (RFC 4180 quotes; "" inside quotes is a quote). */
function splitCsvLine(line: string, lineNo: number, diags: Diagnostic[]): Cell[] | undefined {
  const cells: Cell[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    let text = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) {
          diags.push(at(lineNo, start + 1, "unterminated quoted field", { hint: 'close the field with a double quote, and write a quote inside a field as ""' }));
          return undefined;
        }
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += line[i];
        i++;
      }
      while (i < line.length && line[i] !== ",") {
        if (!/\s/.test(line[i]!)) {
          diags.push(at(lineNo, i + 1, "unexpected text after a closing quote"));
          return undefined;
        }
        i++;
      }
    } else {
      while (i < line.length && line[i] !== ",") text += line[i++];
    }
    cells.push({ text: text.trim(), column: start + 1 + (text.length - text.trimStart().length) });
    if (i >= line.length) return cells;
    i++; // skip the comma
  }
}

function at(line: number, column: number, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return error("E_PARSE", `line ${line}, column ${column}`, message, extra);
}

function fieldOf(name: string): Field | "arrival_ms" | undefined {
  const n = name.trim().toLowerCase();
  if (ARRIVAL_S.includes(n)) return "arrival";
  if (ARRIVAL_MS.includes(n)) return "arrival_ms";
  if (INPUT.includes(n)) return "input";
  if (OUTPUT.includes(n)) return "output";
  return undefined;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

interface RawRow {
  line: number;
  arrival: number;
  /** ISO timestamp in ms since the epoch, made relative later. */
  dateMs?: number;
  input: number;
  output: number;
}

const FIELD_NAME: Record<Field, string> = { arrival: "arrival_s", input: "input_len", output: "output_len" };

/** Parses and checks one value; pushes a diagnostic and returns undefined when bad. */
function readValue(
  field: Field,
  raw: unknown,
  lineNo: number,
  column: number,
  diags: Diagnostic[],
  arrivalScale = 1,
): { value: number; dateMs?: number } | undefined {
  const name = FIELD_NAME[field];
  const text = typeof raw === "string" ? raw.trim() : raw;
  if (text === "" || text === undefined || text === null) {
    diags.push(at(lineNo, column, `${name} is empty`, { expected: field === "arrival" ? "seconds ≥ 0" : "a positive integer number of tokens" }));
    return undefined;
  }
  if (field === "arrival" && typeof text === "string" && !NUMBER.test(text)) {
    const ms = Date.parse(text);
    if (/\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(ms)) return { value: 0, dateMs: ms };
  }
  const v = typeof text === "number" ? text : typeof text === "string" && NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) {
    diags.push(
      at(lineNo, column, `${name} is not a number`, {
        got: JSON.stringify(text),
        expected: field === "arrival" ? "seconds ≥ 0 (or an ISO date)" : "a positive integer number of tokens",
      }),
    );
    return undefined;
  }
  if (field === "arrival") {
    if (v < 0) {
      diags.push(at(lineNo, column, "arrival_s is negative", { got: String(v), expected: "seconds ≥ 0" }));
      return undefined;
    }
    return { value: v * arrivalScale };
  }
  if (!Number.isInteger(v) || v <= 0) {
    diags.push(at(lineNo, column, `${name} must be a positive integer number of tokens`, { got: String(v) }));
    return undefined;
  }
  return { value: v };
}

function fail(diags: Diagnostic[]): never {
  const shown = diags.slice(0, MAX_REPORTED);
  if (diags.length > MAX_REPORTED) {
    shown.push({ ...error("E_PARSE", "trace", `… and ${diags.length - MAX_REPORTED} more problems`), severity: "error" });
  }
  throw new XpusimError(shown);
}

function parseCsv(lines: string[], diags: Diagnostic[], arrivalOptional: boolean): RawRow[] {
  const rows: RawRow[] = [];
  let columns: Array<Field | "arrival_ms" | undefined> | undefined;
  let headerSeen = false;
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const line = lines[li]!;
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const cells = splitCsvLine(line, lineNo, diags);
    if (!cells) continue;
    if (!headerSeen) {
      headerSeen = true;
      // A header names a known column, or has no number or date in it at all.
      const looksLikeHeader = cells.some((c) => fieldOf(c.text) !== undefined) || cells.every((c) => !NUMBER.test(c.text) && !/\d{4}-\d{2}-\d{2}/.test(c.text));
      if (looksLikeHeader) {
        columns = cells.map((c) => fieldOf(c.text));
        const missing = (["arrival", "input", "output"] as const).filter((f) => !columns!.includes(f) && !(f === "arrival" && (arrivalOptional || columns!.includes("arrival_ms"))));
        if (missing.length) {
          diags.push(
            error("E_PARSE", `line ${lineNo}, column 1`, `the header has no ${missing.map((f) => FIELD_NAME[f]).join(", ")} column`, {
              got: line.trim(),
              expected: "columns arrival_s, input_len, output_len (aliases: timestamp, arrival_ms, input_tokens, prompt_len, output_tokens, ...)",
            }),
          );
          return rows;
        }
        continue;
      }
      columns = ["arrival", "input", "output"];
    }
    const cols = columns!;
    const found: Partial<Record<Field, { value: number; dateMs?: number }>> = {};
    let ok = true;
    for (const f of ["arrival", "input", "output"] as const) {
      let idx = cols.indexOf(f);
      let scale = 1;
      if (idx < 0 && f === "arrival") {
        idx = cols.indexOf("arrival_ms");
        scale = 1e-3;
      }
      if (idx < 0 && f === "arrival" && arrivalOptional) continue;
      const cell = cells[idx];
      if (!cell) {
        const lastCol = line.length + 1;
        diags.push(at(lineNo, lastCol, `missing ${FIELD_NAME[f]} (column ${idx + 1} of the row)`, { got: `${cells.length} field${cells.length === 1 ? "" : "s"}` }));
        ok = false;
        continue;
      }
      const v = readValue(f, cell.text, lineNo, cell.column, diags, scale);
      if (!v) ok = false;
      else found[f] = v;
    }
    if (ok) {
      const row: RawRow = { line: lineNo, arrival: found.arrival?.value ?? NaN, input: found.input!.value, output: found.output!.value };
      if (found.arrival?.dateMs !== undefined) row.dateMs = found.arrival.dateMs;
      rows.push(row);
    }
  }
  return rows;
}

function parseJsonl(lines: string[], diags: Diagnostic[], arrivalOptional: boolean): RawRow[] {
  const rows: RawRow[] = [];
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const line = lines[li]!;
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      // V8 messages carry "at position N" (0-based) or "line L column C" (1-based within the text).
      const msg = (e as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const col = /column (\d+)/.exec(msg);
      const column = pos ? Number(pos[1]) + 1 : col ? Number(col[1]) : 1;
      diags.push(at(lineNo, column, "not valid JSON", { got: msg.replace(/^[^:]*:\s*/, "") }));
      continue;
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      diags.push(at(lineNo, 1, "expected a JSON object per line", { got: line.trim().slice(0, 40) }));
      continue;
    }
    const record = obj as Record<string, unknown>;
    const keys = new Map<Field | "arrival_ms", string>();
    for (const k of Object.keys(record)) {
      const f = fieldOf(k);
      if (f && !keys.has(f)) keys.set(f, k);
    }
    const found: Partial<Record<Field, { value: number; dateMs?: number }>> = {};
    let ok = true;
    for (const f of ["arrival", "input", "output"] as const) {
      let key = keys.get(f);
      let scale = 1;
      if (!key && f === "arrival" && keys.has("arrival_ms")) {
        key = keys.get("arrival_ms");
        scale = 1e-3;
      }
      if (!key && f === "arrival" && arrivalOptional) continue;
      if (!key) {
        diags.push(at(lineNo, 1, `missing field ${FIELD_NAME[f]}`, { got: Object.keys(record).join(", ") || "no fields" }));
        ok = false;
        continue;
      }
      // Column of the key inside the line, for the editor jump.
      const column = Math.max(1, line.indexOf(JSON.stringify(key)) + 1);
      const v = readValue(f, record[key], lineNo, column, diags, scale);
      if (!v) ok = false;
      else found[f] = v;
    }
    if (ok) {
      const row: RawRow = { line: lineNo, arrival: found.arrival?.value ?? NaN, input: found.input!.value, output: found.output!.value };
      if (found.arrival?.dateMs !== undefined) row.dateMs = found.arrival.dateMs;
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Parses trace text. `format` defaults to detection: JSON Lines when the first non-blank line starts
 * with `{`, CSV otherwise. Throws XpusimError (E_PARSE, path "line L, column C") listing the problems.
 */
export function parseTrace(text: string, format?: "csv" | "jsonl", opts: { arrivalOptional?: boolean } = {}): ServingRequest[] {
  const arrivalOptional = opts.arrivalOptional === true;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  const first = lines.find((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (first === undefined) {
    throw new XpusimError(error("E_PARSE", "trace", "the trace has no requests", { expected: "CSV rows or JSON lines of arrival_s, input_len, output_len" }));
  }
  const fmt = format ?? (first.trimStart().startsWith("{") ? "jsonl" : "csv");
  const diags: Diagnostic[] = [];
  const rows = fmt === "jsonl" ? parseJsonl(lines, diags, arrivalOptional) : parseCsv(lines, diags, arrivalOptional);
  const timed = rows.filter((r) => !Number.isNaN(r.arrival)).length;
  if (timed > 0 && timed < rows.length) fail([at(rows.find((r) => Number.isNaN(r.arrival))!.line, 1, "some rows have an arrival time and this one has none; give every row one, or none")]);
  if (diags.length) fail(diags);
  if (rows.length === 0) throw new XpusimError(error("E_PARSE", "trace", "the trace has a header but no requests"));
  const withDates = rows.filter((r) => r.dateMs !== undefined);
  if (withDates.length > 0 && withDates.length < rows.length) {
    const mixed = rows.find((r) => r.dateMs === undefined)!;
    fail([at(mixed.line, 1, "arrival mixes ISO dates and numbers; use one kind throughout")]);
  }
  if (withDates.length) {
    let t0 = Infinity;
    for (const r of rows) t0 = Math.min(t0, r.dateMs!);
    for (const r of rows) r.arrival = (r.dateMs! - t0) / 1000;
  }
  const out = rows.map((r, i) => ({ r, i }));
  out.sort((a, b) => a.r.arrival - b.r.arrival || a.i - b.i);
  return out.map(({ r }) => ({ arrival_s: r.arrival, input_len: r.input, output_len: r.output }));
}
