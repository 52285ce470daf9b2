/** Numeric-format emulation: scalar floats, OCP MX and NVFP4 block formats, integers, GEMM error vs fp64. */
export { defineFloatFormat, SCALAR_FORMATS, SCALAR_FORMAT_IDS, type FloatFormat, type FloatFormatParams, type ScalarFormatId, type SpecialValues } from "./float-format.js";
export { convertArray, convertScalar, floorLog2, ROUNDINGS, type ConvertOptions, type Rounding } from "./round-scalar.js";
export { decodeCode, encodeValue } from "./codes.js";
export { FORMATS, FORMAT_IDS, isFormatId, resolveFormat, type FormatId, type FormatInfo, type FormatKind } from "./formats.js";
export { intScheme, quantizeRows, type QuantizeOptions } from "./quantize.js";
export { INT_GRANULARITIES, type IntGranularity } from "./quantize-int.js";
export { mxScaleExponent, quantizeMxRows, quantizeNvfp4Rows } from "./quantize-block.js";
export { ACCUMULATES, accumulateGemm, emulateGemm, HOPPER_FP8_FRACTION_BITS, HOPPER_FP8_GROUP, referenceGemm, transpose, type Accumulate, type EmulatedGemm, type GemmOperands, type GemmRunOptions } from "./gemm.js";
export { gemmErrors, type GemmErrors } from "./gemm-error.js";
export { llmActivations, normalMatrix, OUTLIER_DEFAULTS, type ActivationShape } from "./data.js";
export { SeededRng } from "./rng.js";
export { DEFAULT_BUDGET_MACS, emulateSampledGemm, sampledShape, STANDARD_GEMM, standardGemmError, type SampledGemm, type SampledGemmSpec } from "./sampled-gemm.js";
