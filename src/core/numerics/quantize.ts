import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { SCALAR_FORMATS } from "./float-format.js";
import { FORMATS, type FormatId, type FormatInfo } from "./formats.js";
import { quantizeMxRows, quantizeNvfp4Rows } from "./quantize-block.js";
import { INT_GRANULARITIES, type IntGranularity, quantizeIntRows } from "./quantize-int.js";
import { convertScalar, type Rounding } from "./round-scalar.js";
import { SeededRng } from "./rng.js";

export interface QuantizeOptions {
  rounding?: Rounding;
  /** Scalar formats only: false → overflow to Inf/NaN as the format defines (block and int formats always clamp). */
  saturate?: boolean;
  /** Seed of the stochastic-rounding generator (default 0). */
  seed?: number;
  /** Integer formats: scale granularity (default: int8 per-channel, int4 per-group). */
  int_granularity?: IntGranularity;
  /** Integer per-group size (default 128, the AWQ/GPTQ setting). */
  group_size?: number;
  /**
   * Scalar formats of 8 bits or fewer: scale the tensor so its amax lands on the format's max
   * (an fp32 per-tensor scale, as FP8 training and inference recipes do: Micikevicius et al. 2022
   * §4.3) before converting. Default false; the GEMM emulation turns it on.
   */
  tensor_scale?: boolean;
}

/** The integer granularity and group a format uses under these options. */
export function intScheme(id: "int8" | "int4", o: QuantizeOptions): { granularity: IntGranularity; group: number } {
  const group = o.group_size ?? 128;
  if (!Number.isInteger(group) || group < 1) {
    throw new XpusimError(error("E_RANGE", "group_size", "the integer group size must be a positive integer", { got: String(o.group_size) }));
  }
  if (o.int_granularity !== undefined && !INT_GRANULARITIES.includes(o.int_granularity)) {
    throw new XpusimError(error("E_SCHEMA", "int_granularity", `unknown integer scale granularity "${o.int_granularity}"`, { expected: INT_GRANULARITIES.join(", "), got: String(o.int_granularity) }));
  }
  return { granularity: o.int_granularity ?? (id === "int8" ? "per-channel" : "per-group"), group };
}

/**
 * The values a rows×cols row-major matrix holds after conversion to `format` (dequantised, as
 * doubles). Block formats and integer groups run along rows: pass GEMM operands with K contiguous
 * (A as M×K, B transposed as N×K). Returns a new array.
 */
export function quantizeRows(src: ArrayLike<number>, rows: number, cols: number, format: FormatId, o: QuantizeOptions = {}): Float64Array {
  const dst = new Float64Array(rows * cols);
  const rounding = o.rounding ?? "rne";
  const rng = rounding === "stochastic" ? new SeededRng(o.seed ?? 0) : undefined;
  const info: FormatInfo = FORMATS[format];
  if (info.kind === "mx") {
    quantizeMxRows(src, dst, rows, cols, SCALAR_FORMATS[info.element ?? "fp4-e2m1"], rounding, rng);
  } else if (info.kind === "nvfp4") {
    quantizeNvfp4Rows(src, dst, rows, cols, rounding, rng);
  } else if (info.kind === "int") {
    const id = format as "int8" | "int4";
    quantizeIntRows(src, dst, rows, cols, { bits: id === "int8" ? 8 : 4, ...intScheme(id, o), rounding, ...(rng ? { rng } : {}) });
  } else {
    const f = SCALAR_FORMATS[info.element ?? "fp32"];
    const saturate = o.saturate ?? true;
    let scale = 1;
    if (o.tensor_scale && f.bits <= 8) {
      let amax = 0;
      for (let i = 0; i < dst.length; i++) amax = Math.max(amax, Math.abs(src[i]!));
      if (amax > 0 && amax < Infinity) scale = Math.fround(amax / f.max_finite);
    }
    for (let i = 0; i < dst.length; i++) dst[i] = convertScalar(src[i]! / scale, f, rounding, saturate, rng) * scale;
  }
  return dst;
}
