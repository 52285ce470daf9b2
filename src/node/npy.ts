import { readFileSync } from "node:fs";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";

/**
 * A small reader of NumPy .npy files (format versions 1.0, 2.0, 3.0; numpy.lib.format): 2-D,
 * C order, little-endian float16, float32 or float64. Anything else is a clear E_PARSE error:
 * the file, what was expected and what was found.
 */
export interface NpyMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
  dtype: "float16" | "float32" | "float64";
}

const DTYPES: Record<string, { name: NpyMatrix["dtype"]; bytes: number }> = {
  "<f2": { name: "float16", bytes: 2 },
  "<f4": { name: "float32", bytes: 4 },
  "<f8": { name: "float64", bytes: 8 },
};

function bad(file: string, message: string, got?: string, hint?: string): XpusimError {
  return new XpusimError(error("E_PARSE", "", message, { file, expected: "a 2-D, C-order, little-endian float16/float32/float64 .npy file", ...(got ? { got } : {}), ...(hint ? { hint } : {}) }));
}

export function readNpy(file: string): NpyMatrix {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XpusimError(error("E_IO", "", code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(e)})`, { file }));
  }
  return parseNpy(buf, file);
}

/** Half-precision bits → number (IEEE binary16). */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m ? Number.NaN : s * Infinity;
  return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
}

export function parseNpy(buf: Uint8Array, file: string): NpyMatrix {
  const magic = String.fromCharCode(...buf.subarray(1, 6));
  if (buf.length < 10 || buf[0] !== 0x93 || magic !== "NUMPY") throw bad(file, "not a .npy file (no \\x93NUMPY magic)", undefined, "save with numpy.save(path, array)");
  const major = buf[6]!;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (major < 1 || major > 3 || start + headerLen > buf.length) throw bad(file, `unsupported or truncated .npy header (version ${major})`);
  const header = new TextDecoder("latin1").decode(buf.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(file, "malformed .npy header", header.trim());
  const dtype = DTYPES[descr];
  if (!dtype) throw bad(file, `unsupported dtype ${descr}`, descr, descr.startsWith(">") ? "big-endian: convert with array.astype('<f4')" : "convert with array.astype(numpy.float32)");
  if (fortran === "True") throw bad(file, "Fortran-order array", "fortran_order: True", "save numpy.ascontiguousarray(array)");
  const shape = shapeText.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.length !== 2 || shape.some((d) => !Number.isInteger(d) || d < 1)) throw bad(file, `expected a 2-D matrix, got shape (${shapeText.trim()})`, `shape (${shapeText.trim()})`, "reshape to (rows, cols)");
  const [rows, cols] = shape as [number, number];
  const dataStart = start + headerLen;
  const need = rows * cols * dtype.bytes;
  if (buf.length - dataStart < need) throw bad(file, `truncated data: ${rows}×${cols} ${dtype.name} needs ${need} bytes`, `${buf.length - dataStart} bytes`);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const at = dataStart + i * dtype.bytes;
    data[i] = dtype.bytes === 8 ? view.getFloat64(at, true) : dtype.bytes === 4 ? view.getFloat32(at, true) : halfToNumber(view.getUint16(at, true));
  }
  return { rows, cols, data, dtype: dtype.name };
}

/** A .npy file's bytes for a 2-D little-endian array (tests and examples write fixtures with it). */
export function encodeNpy(rows: number, cols: number, values: ArrayLike<number>, dtype: "<f2" | "<f4" | "<f8" = "<f4"): Uint8Array {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const bytes = DTYPES[dtype]!.bytes;
  const out = new Uint8Array(10 + header.length + rows * cols * bytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const base = 10 + header.length;
  for (let i = 0; i < rows * cols; i++) {
    if (bytes === 8) view.setFloat64(base + i * 8, values[i]!, true);
    else if (bytes === 4) view.setFloat32(base + i * 4, values[i]!, true);
    else throw new Error("encodeNpy writes float32/float64 only");
  }
  return out;
}
