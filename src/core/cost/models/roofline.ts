import type { Chip } from "../../hardware/chip.js";
import type { Op } from "../../workload/op.js";
import type { CostContext, CostModel, OpCost, Support } from "../contract.js";
import { opFlops, opMinBytes } from "../../workload/op-metrics.js";
import { fusedEpilogueBytes, isFusedEpilogue } from "./vector.js";
import { assembleCost, COLLECTIVE_REASON, exceedsCapacity, isMatrixOp, matrixWorkEngine, ok, refuse, vectorRate } from "./common.js";

/**
 * Roofline (Williams, Waterman & Patterson, CACM 2009): time = max(FLOPs / peak, bytes / bandwidth)
 * with the dense datasheet peak, the peak main-memory bandwidth and compulsory traffic only. No
 * efficiency, no overheads: it is the physical floor every other model must stay above, and the
 * answer for chips with nothing but a peak and a bandwidth.
 */
export const rooflineModel: CostModel = {
  id: "roofline",
  fidelity: 1,
  description: "max(FLOPs / dense peak, compulsory bytes / peak bandwidth): the physical floor, no efficiency or overheads.",
  accuracy: "a lower bound: about 1.7× optimistic on end-to-end throughput in published comparisons (LLM-Viewer #4); worse for small ops",
  op_kinds: ["gemm", "conv2d", "attention", "softmax", "norm", "elementwise", "embedding", "pool"],

  supports(op: Op, chip: Chip): Support {
    if (op.kind === "collective") return refuse(COLLECTIVE_REASON);
    if (!chip.memory.main.bandwidth_bytes_per_s) return refuse("the chip spec has no main-memory bandwidth");
    // Efficiency parameters are irrelevant here; pass neutral ones for the engine lookup.
    const has = isMatrixOp(op)
      ? chip.matrix.peak_flops_per_s[op.dtype] !== undefined || chip.vector.peak_flops_per_s[op.dtype] !== undefined
      : Object.keys(chip.vector.peak_flops_per_s).length > 0 || Object.keys(chip.matrix.peak_flops_per_s).length > 0;
    return has ? ok : refuse(`the chip spec has no ${op.dtype} peak for this op`);
  },

  estimate(op: Op, ctx: CostContext): OpCost {
    const { chip, efficiency } = ctx;
    const notes: string[] = [];
    const rate = isMatrixOp(op) ? matrixWorkEngine(chip, efficiency, op.dtype) : vectorRate(chip, efficiency, op.dtype);
    if (!rate) throw new Error(`roofline: no peak for ${op.kind} ${op.dtype} on ${chip.id} (supports() should have refused)`);
    if (rate.note) notes.push(rate.note);
    const flops = opFlops(op);
    const bytes = isFusedEpilogue(op, ctx) ? fusedEpilogueBytes(op) : opMinBytes(op);
    const compute = rate.peak > 0 ? flops / rate.peak : 0;
    const memory = bytes / chip.memory.main.bandwidth_bytes_per_s!;
    notes.push(`roofline floor: ${compute >= memory ? "compute" : "memory"}-bound at 100% of peak`);
    return assembleCost(ctx, {
      model: "roofline",
      engine: rate.engine,
      flops,
      peak: rate.peak,
      compute_time_s: compute,
      memory_time_s: memory,
      overhead_time_s: 0,
      bytes_main: bytes,
      energy: {
        matrix_flops: rate.engine === "matrix" ? flops : 0,
        vector_flops: rate.engine === "vector" ? flops : 0,
        dtype: op.dtype,
      },
      notes,
      capacity_exceeded: exceedsCapacity(chip, bytes),
    });
  },
};
