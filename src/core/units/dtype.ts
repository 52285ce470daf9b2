/**
 * Numeric formats of matrix and vector math. Bytes per element are the storage size
 * (fp4/int4 pack two per byte). Throughput per dtype lives in the chip spec.
 */
export const DTYPES = ["fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "int16", "int8", "int4", "fp4"] as const;
export type DType = (typeof DTYPES)[number];

export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  fp64: 8,
  fp32: 4,
  tf32: 4, // stored as fp32; only the matrix math uses the 19-bit format
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int16: 2,
  int8: 1,
  int4: 0.5,
  fp4: 0.5,
};

/** Common aliases seen in configs and measured files ("float16", "half", "AMP (fp16)"). */
const ALIASES: Record<string, DType> = {
  float64: "fp64", double: "fp64", float32: "fp32", float: "fp32", single: "fp32",
  bfloat16: "bf16", float16: "fp16", half: "fp16", e4m3: "fp8", e5m2: "fp8", fp8_e4m3: "fp8",
  fp8_e5m2: "fp8", float8: "fp8", mxfp4: "fp4", nvfp4: "fp4", float4: "fp4",
};

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

/** Resolves a dtype name or alias; returns undefined when unknown. */
export function toDType(name: string): DType | undefined {
  const n = name.trim().toLowerCase();
  if (isDType(n)) return n;
  return ALIASES[n];
}

/** Dtype used for accumulation / vector math when the matrix dtype is narrower. */
export function vectorDTypeFor(compute: DType): DType {
  return compute === "fp64" ? "fp64" : "fp32";
}
