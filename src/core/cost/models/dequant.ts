import { DTYPE_BYTES } from "../../units/dtype.js";
import type { GemmOp } from "../../workload/op.js";
import type { CostContext } from "../contract.js";
import { vectorRate } from "./common.js";

/**
 * On-the-fly dequantisation of weight-only quantised GEMMs (W4A16, W8A16, FP8 weights with 16-bit
 * math): the weights stream from memory at their storage width (b_dtype) and are converted into the
 * math dtype in registers before the MMA, once per tile that loads them — a weight element is
 * converted once per block of output rows (Marlin, Frantar et al. 2024, arXiv 2408.11743; AWQ,
 * Lin et al. 2023; TensorRT-LLM fpA_intB). The conversion runs on the vector units:
 *
 *   ops      = batch · k · n · uses · dequant_ops_per_element[b_dtype],  uses = ⌈M / rows_per_use⌉
 *   dq_s     = ops / (vector fp32-lane rate × vector_efficiency)
 *   compute' = max(compute + (1 − dequant_overlap) · dq_s, dq_s)
 *
 * A memory-bound GEMM (decode, small M) keeps compute' below the memory time, so the work is hidden;
 * a compute-bound one (prefill) pays the exposed share. Applies only to weight operands
 * (b_is_weight) narrower than the math dtype.
 */
export interface DequantWork {
  /** Vector-unit operations of the conversion. */
  ops: number;
  /** Time of the conversion alone on the vector units, s. */
  time_s: number;
  /** Times each weight element is converted (row blocks of M). */
  uses: number;
}

/** The dequantisation a GEMM needs, or undefined when its weights are already in the math dtype. */
export function weightDequantWork(op: GemmOp, ctx: CostContext, rowsPerUse: number): DequantWork | undefined {
  if (!op.b_is_weight || DTYPE_BYTES[op.b_dtype] >= DTYPE_BYTES[op.dtype]) return undefined;
  const perElement = ctx.efficiency.dequant_ops_per_element?.[op.b_dtype];
  if (perElement === undefined || perElement <= 0) return undefined;
  const rate = vectorRate(ctx.chip, ctx.efficiency, "fp32");
  if (!rate) return undefined;
  const uses = Math.ceil(op.m / Math.max(1, rowsPerUse));
  const ops = op.batch * op.k * op.n * uses * perElement;
  return { ops, time_s: ops / (rate.peak * rate.efficiency), uses };
}

/** Compute time with the dequantisation added (exposed share), per the formula above. */
export function computeWithDequant(computeS: number, dq: DequantWork, ctx: CostContext): number {
  const overlap = ctx.efficiency.dequant_overlap ?? 0;
  return Math.max(computeS + (1 - overlap) * dq.time_s, dq.time_s);
}

/** A short note for the op's explanation. */
export function dequantNote(op: GemmOp, dq: DequantWork, computeS: number, newComputeS: number): string {
  const added = newComputeS - computeS;
  return `${op.b_dtype} weights dequantised to ${op.dtype} on the fly: ${dq.uses} conversion${dq.uses === 1 ? "" : "s"} per element, ${(dq.time_s * 1e6).toFixed(1)} µs on the vector units, +${(added * 1e6).toFixed(1)} µs exposed on the compute term`;
}
