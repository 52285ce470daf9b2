import { closest, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { DType } from "../units/dtype.js";
import { SCALAR_FORMATS, SCALAR_FORMAT_IDS, type ScalarFormatId } from "./float-format.js";

/**
 * Every numeric format xpusim emulates: scalar floats (float-format.ts), OCP MX block formats
 * (E8M0 scale per 32 elements), NVIDIA NVFP4 (E4M3 scale per 16 + an fp32 per-tensor scale) and
 * symmetric integers with per-tensor, per-channel or per-group scales.
 *
 * `chip_dtype` is the matrix dtype of the chip catalog (units/dtype.ts) whose peak rate runs the
 * format; null when the catalog has no such rate (FP6: no chip file gives an fp6 peak), so no
 * speed-up is ever claimed for it. The catalog's `fp4` peak does not say whether a chip takes MX or
 * NV block scales (B200 runs both, MI355X only MXFP4): a caveat every result names.
 */
export type FormatKind = "scalar" | "mx" | "nvfp4" | "int";

export interface FormatInfo {
  id: string;
  kind: FormatKind;
  /** The element format of a block format (the format itself for scalars); null for integers. */
  element: ScalarFormatId | null;
  /** Storage per value including the share of block scales (per-tensor scales not counted). */
  bits_per_value: number;
  /** Values per shared scale (block formats). */
  block_size?: number;
  /** Format of the shared scale. */
  scale_format?: "e8m0" | "ue4m3 + fp32 per tensor" | "fp32";
  chip_dtype: DType | null;
  source: string;
}

const MXSPEC = "OCP Microscaling Formats (MX) Specification v1.0 §5.2 Tab.1 (k = 32, E8M0 scale), §6.3 scale rule";
const NVFP4 = "NVIDIA NVFP4 (Blackwell): E2M1 elements, UE4M3 scale per 16, fp32 per-tensor scale (NVIDIA blog 'Introducing NVFP4'; TensorRT-Model-Optimizer nvfp4_tensor.py)";
const INT = "symmetric absmax quantisation (Dettmers et al., LLM.int8(), arXiv:2208.07339 §3.1; ONNX QuantizeLinear, RNE)";

function scalar(id: ScalarFormatId, chip_dtype: DType | null): FormatInfo {
  const f = SCALAR_FORMATS[id];
  return { id, kind: "scalar", element: id, bits_per_value: id === "tf32" ? 19 : f.bits, chip_dtype, source: f.source };
}

function mx(id: string, element: ScalarFormatId, chip_dtype: DType | null): FormatInfo {
  const bits = SCALAR_FORMATS[element].bits + 8 / 32;
  return { id, kind: "mx", element, bits_per_value: bits, block_size: 32, scale_format: "e8m0", chip_dtype, source: MXSPEC };
}

export const FORMATS = {
  fp32: scalar("fp32", "fp32"),
  tf32: scalar("tf32", "tf32"),
  bf16: scalar("bf16", "bf16"),
  fp16: scalar("fp16", "fp16"),
  "fp8-e4m3": scalar("fp8-e4m3", "fp8"),
  "fp8-e5m2": scalar("fp8-e5m2", "fp8"),
  "fp8-e4m3fnuz": scalar("fp8-e4m3fnuz", "fp8"),
  "fp8-e5m2fnuz": scalar("fp8-e5m2fnuz", "fp8"),
  "fp6-e3m2": scalar("fp6-e3m2", null),
  "fp6-e2m3": scalar("fp6-e2m3", null),
  "fp4-e2m1": scalar("fp4-e2m1", "fp4"),
  "mxfp8-e4m3": mx("mxfp8-e4m3", "fp8-e4m3", "fp8"),
  "mxfp8-e5m2": mx("mxfp8-e5m2", "fp8-e5m2", "fp8"),
  "mxfp6-e3m2": mx("mxfp6-e3m2", "fp6-e3m2", null),
  "mxfp6-e2m3": mx("mxfp6-e2m3", "fp6-e2m3", null),
  mxfp4: mx("mxfp4", "fp4-e2m1", "fp4"),
  nvfp4: { id: "nvfp4", kind: "nvfp4", element: "fp4-e2m1", bits_per_value: 4 + 8 / 16, block_size: 16, scale_format: "ue4m3 + fp32 per tensor", chip_dtype: "fp4", source: NVFP4 },
  int8: { id: "int8", kind: "int", element: null, bits_per_value: 8, scale_format: "fp32", chip_dtype: "int8", source: INT },
  int4: { id: "int4", kind: "int", element: null, bits_per_value: 4, scale_format: "fp32", chip_dtype: "int4", source: INT },
} as const satisfies Record<string, FormatInfo>;

export type FormatId = keyof typeof FORMATS;
export const FORMAT_IDS = Object.keys(FORMATS) as FormatId[];
export { SCALAR_FORMAT_IDS };

/** Aliases users type ("e4m3", "mxfp8"), resolved to one format. */
const ALIASES: Record<string, FormatId> = {
  float32: "fp32", float16: "fp16", half: "fp16", bfloat16: "bf16",
  e4m3: "fp8-e4m3", e5m2: "fp8-e5m2", fp8: "fp8-e4m3", e3m2: "fp6-e3m2", e2m3: "fp6-e2m3", e2m1: "fp4-e2m1", fp4: "fp4-e2m1",
  mxfp8: "mxfp8-e4m3", mxfp6: "mxfp6-e3m2",
};

export function isFormatId(x: string): x is FormatId {
  return Object.prototype.hasOwnProperty.call(FORMATS, x);
}

/** Resolves a format name; unknown → XpusimError listing the formats with a did-you-mean. */
export function resolveFormat(name: string, path = "format"): FormatId {
  const n = name.trim().toLowerCase();
  if (isFormatId(n)) return n;
  const alias = ALIASES[n];
  if (alias) return alias;
  const near = closest(n, FORMAT_IDS);
  throw new XpusimError(
    error("E_UNKNOWN_ID", path, `unknown numeric format "${name}"`, {
      expected: `one of ${FORMAT_IDS.join(", ")}`,
      got: name,
      ...(near.length ? { hint: `did you mean ${near.map((x) => `"${x}"`).join(", ")}?` } : {}),
    }),
  );
}
