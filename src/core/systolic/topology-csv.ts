/**
 * Parser of SCALE-Sim topology CSV text, in its two formats:
 *  - conv: `name, ifmap_h, ifmap_w, filter_h, filter_w, channels, num_filters, stride[, stride_w],`
 *    (one stride means the same stride both ways),
 *  - gemm (`-i gemm`): `name, M, N, K,`.
 * Like SCALE-Sim, the first line is a header and is skipped, blank lines are skipped and rows end
 * with a trailing comma. Unlike SCALE-Sim, a malformed row is a diagnostic naming the line and the
 * column instead of a Python traceback. Optional header columns after the SCALE-Sim columns feed
 * the corrected semantics: `Batch`, `Groups`, `Padding` (or `Pad h` / `Pad w`; conv only) and
 * `Type` (conv, gemm, pool, eltwise, act, softmax); SCALE-Sim ignores extra columns.
 * Pure: takes text, never touches the file system.
 */
import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ConvLayerSpec, GemmLayerSpec, LayerOpType, LayerSpec } from "./types.js";

const OP_TYPES: readonly LayerOpType[] = ["conv", "gemm", "pool", "eltwise", "act", "softmax"];

export type TopologyFormat = "conv" | "gemm";

export interface ParsedTopology {
  layers: LayerSpec[];
  warnings: Diagnostic[];
}

const CONV_COLUMNS = ["IFMAP height", "IFMAP width", "Filter height", "Filter width", "Channels", "Num filter", "Stride height", "Stride width"] as const;
const GEMM_COLUMNS = ["M", "N", "K"] as const;

function splitRow(raw: string): { fields: string[]; trailingComma: boolean } {
  const parts = raw.split(",");
  const last = parts[parts.length - 1]!;
  if (parts.length > 1 && last.trim() === "") return { fields: parts.slice(0, -1), trailingComma: true };
  return { fields: parts, trailingComma: false };
}

/** Python int(): optional sign, digits, single underscores between digits, surrounding blanks. */
function parsePyInt(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return undefined;
  const n = Number(t.replace(/_/g, ""));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses topology text in the given format; throws XpusimError listing every bad field. */
export function parseTopologyCsv(text: string, format: TopologyFormat): ParsedTopology {
  const lines = text.split(/\r\n|\n|\r/);
  const layers: LayerSpec[] = [];
  const warnings: Diagnostic[] = [];
  const errors: Diagnostic[] = [];
  const columns = format === "conv" ? CONV_COLUMNS : GEMM_COLUMNS;
  const minNumbers = format === "conv" ? 7 : 3;

  // Optional extra columns, found by name in the header (the first line, which SCALE-Sim skips).
  const header = splitRow(lines[0] ?? "").fields.map((h) => h.trim().toLowerCase());
  const batchCol = header.indexOf("batch");
  const groupsCol = format === "conv" ? header.indexOf("groups") : -1;
  const column = (...names: string[]): number => {
    for (const n of names) {
      const i = header.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const padCol = format === "conv" ? column("padding", "pad") : -1;
  const padHCol = format === "conv" ? column("pad h", "pad height", "padding h", "padding height") : -1;
  const padWCol = format === "conv" ? column("pad w", "pad width", "padding w", "padding width") : -1;
  const typeCol = column("type");
  const extraStart = format === "conv" ? 9 : 4;
  for (const [col, label] of [[batchCol, "Batch"], [groupsCol, "Groups"], [padCol, "Padding"], [padHCol, "Pad h"], [padWCol, "Pad w"], [typeCol, "Type"]] as const)
    if (col >= 0 && col < extraStart) errors.push(error("E_PARSE", "header", `line 1: the ${label} column must come after the ${format === "conv" ? "stride" : "M, N, K"} columns`));

  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const lineNo = i + 1;
    const { fields, trailingComma } = splitRow(raw);
    if (!trailingComma)
      warnings.push({
        code: "W_UNKNOWN_FIELD",
        severity: "warning",
        path: `line ${lineNo}`,
        message: `line ${lineNo}: row does not end with a comma; SCALE-Sim would drop its last value ("${fields[fields.length - 1]!.trim()}"), xpusim keeps it`,
        hint: "end every row with a trailing comma, as SCALE-Sim's topology files do",
      });
    const name = fields[0]!.trim();
    const numbers: number[] = [];
    let bad = false;
    const needed = fields.length - 1 < minNumbers ? minNumbers : Math.min(fields.length - 1, columns.length);
    if (fields.length - 1 < minNumbers) {
      errors.push(
        error("E_PARSE", `line ${lineNo}`, `line ${lineNo}: expected ${format === "conv" ? "7 or 8" : "3"} numbers after the layer name, got ${fields.length - 1}`, {
          got: raw,
          expected: format === "conv" ? "name, ifmap_h, ifmap_w, filter_h, filter_w, channels, num_filters, stride[, stride_w]," : "name, M, N, K,",
          hint: format === "conv" && fields.length - 1 === 3 ? "this looks like a GEMM (M, N, K) topology: pass the gemm format (-i gemm / --format gemm)" : undefined,
        }),
      );
      continue;
    }
    for (let c = 1; c <= needed; c++) {
      const col = columns[c - 1]!;
      const v = parsePyInt(fields[c]!);
      if (v === undefined) {
        errors.push(
          error("E_PARSE", `line ${lineNo}.${col}`, `line ${lineNo}, column ${c + 1} (${col}) of layer "${name}": not an integer`, {
            got: JSON.stringify(fields[c]!.trim()),
            expected: "a positive integer",
          }),
        );
        bad = true;
      } else if (v < 1) {
        errors.push(
          error("E_RANGE", `line ${lineNo}.${col}`, `line ${lineNo}, column ${c + 1} (${col}) of layer "${name}": must be at least 1`, {
            got: String(v),
            expected: "a positive integer",
          }),
        );
        bad = true;
      }
      numbers.push(v ?? 0);
    }
    const extra = (col: number, label: string, min = 1): number | undefined => {
      if (col < 0 || col >= fields.length) return undefined;
      const v = parsePyInt(fields[col]!);
      if (v === undefined || v < min) {
        errors.push(
          error("E_RANGE", `line ${lineNo}.${label}`, `line ${lineNo}, column ${col + 1} (${label}) of layer "${name}": must be ${min === 1 ? "a positive" : "a non-negative"} integer`, {
            got: JSON.stringify(fields[col]!.trim()),
          }),
        );
        bad = true;
        return undefined;
      }
      return v;
    };
    const batch = extra(batchCol, "Batch");
    let opType: LayerOpType | undefined;
    if (typeCol >= 0 && typeCol < fields.length && fields[typeCol]!.trim() !== "") {
      const t = fields[typeCol]!.trim().toLowerCase();
      if ((OP_TYPES as readonly string[]).includes(t)) opType = t as LayerOpType;
      else {
        errors.push(
          error("E_PARSE", `line ${lineNo}.Type`, `line ${lineNo}, column ${typeCol + 1} (Type) of layer "${name}": unknown layer type`, {
            got: JSON.stringify(fields[typeCol]!.trim()),
            expected: OP_TYPES.join(", "),
          }),
        );
        bad = true;
      }
    }
    if (bad) continue;
    if (format === "gemm") {
      const layer: GemmLayerSpec = { kind: "gemm", name, M: numbers[0]!, N: numbers[1]!, K: numbers[2]!, line: lineNo };
      if (batch !== undefined) layer.batch = batch;
      if (opType !== undefined) layer.op_type = opType;
      layers.push(layer);
      continue;
    }
    const groups = extra(groupsCol, "Groups");
    const padBoth = extra(padCol, "Padding", 0);
    const padH = extra(padHCol, "Pad h", 0) ?? padBoth;
    const padW = extra(padWCol, "Pad w", 0) ?? padBoth;
    if (bad) continue;
    const [h, w, fh, fw, ch, nf, sh] = numbers as [number, number, number, number, number, number, number];
    const sw = numbers[7] ?? sh;
    const hint = "SCALE-Sim has no padding: give the padded IFMAP size, or a Padding column (corrected semantics)";
    if (fh > h + 2 * (padH ?? 0))
      errors.push(error("E_RANGE", `line ${lineNo}.Filter height`, `line ${lineNo}: filter height ${fh} of layer "${name}" exceeds the ${padH ? "padded " : ""}IFMAP height ${h + 2 * (padH ?? 0)}`, { hint }));
    if (fw > w + 2 * (padW ?? 0))
      errors.push(error("E_RANGE", `line ${lineNo}.Filter width`, `line ${lineNo}: filter width ${fw} of layer "${name}" exceeds the ${padW ? "padded " : ""}IFMAP width ${w + 2 * (padW ?? 0)}`, { hint }));
    const layer: ConvLayerSpec = {
      kind: "conv",
      name,
      ifmap_h: h,
      ifmap_w: w,
      filter_h: fh,
      filter_w: fw,
      channels: ch,
      num_filters: nf,
      stride_h: sh,
      stride_w: sw,
      line: lineNo,
    };
    if (batch !== undefined) layer.batch = batch;
    if (groups !== undefined) layer.groups = groups;
    if (padH !== undefined) layer.pad_h = padH;
    if (padW !== undefined) layer.pad_w = padW;
    if (opType !== undefined) layer.op_type = opType;
    layers.push(layer);
  }
  if (errors.length > 0) throw new XpusimError(errors);
  if (layers.length === 0)
    throw new XpusimError(error("E_PARSE", "", "the topology has no layers", { hint: "the first line is a header; put one layer per following line" }));
  return { layers, warnings };
}
