import { matrixEfficiencyFor } from "../../spec/matrix-efficiency.js";
import { DTYPE_BYTES } from "../../units/dtype.js";
import type { GemmOp } from "../../workload/op.js";
import type { CostContext } from "../contract.js";
import { pct, vectorRate } from "./common.js";
import { computeWithDequant, weightDequantWork } from "./dequant.js";

/**
 * The GEMV / skinny-GEMM kernel every family's libraries run when one dimension of a GEMM is a handful
 * of rows (batch-1 decode): cuBLAS gemv and small-M split-K kernels, llama.cpp mmvq/mmv, TensorRT-LLM
 * weight-only GEMV, CPU AVX-512/AMX GEMV (oneDNN, llama.cpp ggml-cpu), Apple MLX qmv. Such a kernel
 * does not pad the rows to a GEMM tile: it streams each weight once and does 2 FLOPs per weight and
 * row, so (Williams et al. 2009, roofline; formulas.md §1, decode is memory-bound below the ridge point)
 *
 *   memory  = (A + B + C bytes) / (peak bandwidth × gemv_bandwidth_efficiency)
 *   compute = 2·M·N·K·batch / max(vector peak × vector_efficiency,
 *                                 matrix peak × matrix_efficiency × M / ⌈M / mma_row_granule⌉·mma_row_granule)
 *             (+ weight dequantisation: one conversion per weight element, dequant.ts)
 *   time    = max(compute, memory) + kernel launch + one main-memory latency (first bytes in flight)
 *
 * The faster route for the math is taken: dot products on the vector units (CUDA cores, AVX-512, NEON),
 * or the matrix engine with the rows padded to its smallest instruction. Each cost model offers this
 * kernel as one candidate beside its tiled GEMM and keeps the faster, as a BLAS heuristic does.
 * Every fraction is a family parameter (catalog/families/*.yaml).
 */
export interface SkinnyGemmCost {
  compute_s: number;
  memory_s: number;
  overhead_s: number;
  /** max(compute, memory) + overhead. */
  time_s: number;
  bytes_main: number;
  engine: "matrix" | "vector";
  /** Dense peak of the engine that ran the math. */
  peak: number;
  /** Useful math FLOPs (no padding). */
  flops: number;
  /** Vector-unit operations of the weight dequantisation (0 when none). */
  dequant_ops: number;
  note: string;
}

/** The GEMM's small dimension (the rows a GEMV kernel loops over): min(M, N). */
export function skinnyRows(op: GemmOp): number {
  return Math.min(op.m, op.n);
}

/** Compulsory main-memory bytes of a GEMM: A, B and C (and the bias) once each. */
export function gemmCompulsoryBytes(op: GemmOp): number {
  const a = op.batch * op.m * op.k * DTYPE_BYTES[op.a_dtype];
  const b = op.batch * op.k * op.n * DTYPE_BYTES[op.b_dtype];
  const c = op.batch * op.m * op.n * DTYPE_BYTES[op.c_dtype] + (op.bias ? op.batch * op.n * DTYPE_BYTES[op.c_dtype] : 0);
  return a + b + c;
}

interface MathRoute {
  engine: "matrix" | "vector";
  peak: number;
  rate: number;
}

/** The faster engine for the skinny GEMM's math: vector dot products, or the matrix engine with rows padded to its granule. */
function mathRoute(op: GemmOp, ctx: CostContext, rows: number): MathRoute | undefined {
  const { chip, efficiency: eff } = ctx;
  let best: MathRoute | undefined;
  const m = chip.matrix.peak_flops_per_s[op.dtype];
  if (m !== undefined && m > 0) {
    const granule = Math.max(1, eff.mma_row_granule);
    const fill = rows / (Math.ceil(rows / granule) * granule);
    best = { engine: "matrix", peak: m, rate: m * matrixEfficiencyFor(eff, op.dtype) * fill };
  }
  const v = vectorRate(chip, eff, op.dtype);
  if (v && v.peak * v.efficiency > (best?.rate ?? 0)) best = { engine: "vector", peak: v.peak, rate: v.peak * v.efficiency };
  return best;
}

/**
 * Time of the GEMM as a GEMV / skinny kernel, or undefined when its small dimension exceeds `maxRows`
 * or the chip has no engine or bandwidth for it.
 */
export function skinnyGemmCost(op: GemmOp, ctx: CostContext, maxRows: number): SkinnyGemmCost | undefined {
  const rows = skinnyRows(op);
  if (rows > maxRows) return undefined;
  const { chip, efficiency: eff } = ctx;
  const peakBw = chip.memory.main.bandwidth_bytes_per_s ?? 0;
  const route = mathRoute(op, ctx, rows);
  if (peakBw <= 0 || !route) return undefined;
  const bytes = gemmCompulsoryBytes(op);
  const memory = bytes / (peakBw * eff.gemv_bandwidth_efficiency);
  const flops = 2 * op.m * op.n * op.k * op.batch;
  let compute = flops / route.rate;
  // Each weight element is converted once (the kernel holds all rows); on the vector route the
  // conversions share the units with the dot products, so they add.
  const dq = weightDequantWork(op, ctx, op.m);
  if (dq) compute = route.engine === "vector" ? compute + dq.time_s : computeWithDequant(compute, dq, ctx);
  const overhead = eff.kernel_launch_overhead_s + eff.main_memory_latency_s;
  const parts = [
    `GEMV/skinny kernel (${rows} row${rows === 1 ? "" : "s"}, no tile padding): weights streamed at ${pct(eff.gemv_bandwidth_efficiency)} of peak bandwidth`,
    `math on the ${route.engine === "matrix" ? `matrix engine (rows padded to ${eff.mma_row_granule})` : "vector units"}`,
  ];
  if (dq) parts.push(`${op.b_dtype} weights dequantised once per element`);
  return {
    compute_s: compute,
    memory_s: memory,
    overhead_s: overhead,
    time_s: Math.max(compute, memory) + overhead,
    bytes_main: bytes,
    engine: route.engine,
    peak: route.peak,
    flops,
    dequant_ops: dq?.ops ?? 0,
    note: parts.join(", "),
  };
}
