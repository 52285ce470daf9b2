import type { Chip } from "../../hardware/chip.js";
import { DTYPE_BYTES } from "../../units/dtype.js";
import type { Op } from "../../workload/op.js";
import type { CostContext, CostModel, OpCost, Support } from "../contract.js";
import { convOutputSize, opFlops, opMinBytes, opWeightBytes } from "../../workload/op-metrics.js";
import {
  achievableMainBandwidth,
  assembleCost,
  COLLECTIVE_REASON,
  exceedsCapacity,
  isDepthwise,
  ok,
  pct,
  refuse,
  vectorRate,
} from "./common.js";

/**
 * Vector-unit ops: softmax, normalisation, element-wise, embedding gathers, pooling and depthwise
 * convolution. These are streaming kernels: time = max(FLOPs / achievable vector rate, bytes /
 * achievable bandwidth) + one exposed memory latency + the launch gap. Row-wise ops (softmax, norm)
 * read their input twice when a row does not fit in one SM's shared memory (two-pass online
 * softmax / Welford), once otherwise. A training-mode BatchNorm is such a row-wise op whose row is a
 * channel's N·H·W values (the CNN builder states it so): statistics pass, then normalise pass. Gathers move at least one memory transaction per row.
 *
 * Max pooling in eager execution also writes an int64 argmax index per output: PyTorch's
 * `max_pool2d` on CUDA calls `max_pool2d_with_indices` and drops the indices (aten/src/ATen/native/
 * Pooling.cpp), so a 3×3/2 stem pool in fp16 writes 4× more index bytes than output bytes.
 *
 * An op marked `epilogue_of` a producer runs inside that producer's kernel when the graph is
 * compiled (TensorRT, XLA, vLLM's fused kernels): no launch, no latency, and main-memory traffic only
 * for its other inputs and parameters (the producer's output never leaves the chip). In eager
 * execution it is an ordinary kernel.
 */

/** True when the op runs as a fused epilogue of its producer in this execution mode. */
export function isFusedEpilogue(op: Op, ctx: Pick<CostContext, "execution">): boolean {
  return op.epilogue_of !== undefined && ctx.execution !== "eager";
}

/** Main-memory bytes of a fused epilogue: inputs other than the producer's output, and parameters. */
export function fusedEpilogueBytes(op: Op): number {
  const extraInputs = op.kind === "elementwise" ? Math.max(0, op.inputs - 1) * op.elements * DTYPE_BYTES[op.input_dtype ?? op.act_dtype] : 0;
  return extraInputs + opWeightBytes(op);
}

const VECTOR_KINDS = ["softmax", "norm", "elementwise", "embedding", "pool", "conv2d"] as const;

/** Bytes of one argmax index written by an eager max pool (int64). */
const MAX_POOL_INDEX_BYTES = 8;

export interface VectorWork {
  flops: number;
  bytes: number;
  notes: string[];
}

/** FLOPs and main-memory bytes of a vector op as executed (not only the compulsory bytes). */
export function vectorWork(op: Op, ctx: CostContext): VectorWork {
  const eff = ctx.efficiency;
  const notes: string[] = [];
  const flops = opFlops(op);
  if (isFusedEpilogue(op, ctx)) {
    notes.push(`fused into the epilogue of "${op.epilogue_of}": no launch, only its other inputs and parameters move`);
    return { flops, bytes: fusedEpilogueBytes(op), notes };
  }
  let bytes = opMinBytes(op);
  if (op.kind === "softmax" || op.kind === "norm") {
    const rowBytesOnChip = op.cols * 4; // fp32 staging of one row
    if (rowBytesOnChip > eff.smem_bytes_per_unit / 2) {
      bytes += op.rows * op.cols * DTYPE_BYTES[op.act_dtype];
      notes.push("row larger than on-chip staging: input read twice (two-pass)");
    }
  } else if (op.kind === "pool" && op.pool === "max" && ctx.execution === "eager") {
    const outputs = op.n * op.c * convOutputSize(op.h, op.kh, op.stride, op.padding) * convOutputSize(op.w, op.kw, op.stride, op.padding);
    bytes += outputs * MAX_POOL_INDEX_BYTES;
    notes.push("eager max pool also writes int64 argmax indices");
  } else if (op.kind === "embedding") {
    const tx = eff.min_memory_transaction_bytes;
    const rowBytes = op.dim * DTYPE_BYTES[op.weight_dtype];
    const gathered = Math.ceil(rowBytes / tx) * tx;
    bytes = op.tokens * (4 + gathered + op.dim * DTYPE_BYTES[op.act_dtype]); // int32 ids, rows, output
    if (gathered > rowBytes) notes.push(`gather rows rounded up to ${tx} B transactions`);
  }
  return { flops, bytes, notes };
}

export const vectorModel: CostModel = {
  id: "vector",
  fidelity: 2,
  description:
    "Streaming vector-unit ops (softmax, norm, element-wise, embedding, pool, depthwise conv): max(FLOPs / achievable vector rate, bytes / achievable bandwidth) + memory latency + launch gap.",
  accuracy: "~10–25% on large memory-bound kernels (bandwidth efficiency from STREAM-like measurements); small kernels are dominated by the launch gap",
  op_kinds: [...VECTOR_KINDS],

  supports(op: Op, chip: Chip): Support {
    if (op.kind === "collective") return refuse(COLLECTIVE_REASON);
    if (op.kind === "gemm" || op.kind === "attention") return refuse(`${op.kind} is matrix work: priced by a matrix model`);
    if (op.kind === "conv2d" && !isDepthwise(op)) return refuse("only depthwise convolutions run on the vector units");
    if (!chip.memory.main.bandwidth_bytes_per_s) return refuse("the chip spec has no main-memory bandwidth");
    const anyPeak = Object.keys(chip.vector.peak_flops_per_s).length > 0 || Object.keys(chip.matrix.peak_flops_per_s).length > 0;
    return anyPeak ? ok : refuse("the chip spec has no compute peak");
  },

  estimate(op: Op, ctx: CostContext): OpCost {
    const { chip, efficiency: eff } = ctx;
    const rate = vectorRate(chip, eff, op.dtype);
    if (!rate) throw new Error(`vector: no rate for ${op.kind} on ${chip.id} (supports() should have refused)`);
    const w = vectorWork(op, ctx);
    const notes = w.notes;
    if (rate.note) notes.push(rate.note);
    const compute = w.flops / (rate.peak * rate.efficiency);
    const bw = achievableMainBandwidth(chip, eff);
    const memory = w.bytes / bw;
    const overhead = isFusedEpilogue(op, ctx) ? 0 : eff.kernel_launch_overhead_s + eff.main_memory_latency_s;
    notes.push(`${compute >= memory ? "vector-rate" : "bandwidth"}-bound at ${pct(compute >= memory ? rate.efficiency : eff.main_memory_efficiency)} of peak`);
    return assembleCost(ctx, {
      model: "vector",
      engine: "vector",
      flops: w.flops,
      peak: rate.peak,
      compute_time_s: compute,
      memory_time_s: memory,
      overhead_time_s: overhead,
      bytes_main: w.bytes,
      energy: { matrix_flops: 0, vector_flops: w.flops, dtype: op.dtype },
      notes,
      capacity_exceeded: exceedsCapacity(chip, opMinBytes(op)),
    });
  },
};
