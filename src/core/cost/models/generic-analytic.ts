import type { Chip } from "../../hardware/chip.js";
import { DTYPE_BYTES } from "../../units/dtype.js";
import type { AttentionOp, Conv2dOp, GemmOp, Op } from "../../workload/op.js";
import type { CostContext, CostModel, OpCost, Support } from "../contract.js";
import { opFlops, opMinBytes } from "../../workload/op-metrics.js";
import { blockedGemmTraffic } from "./blocked-traffic.js";
import {
  accumulatorBytes,
  achievableMainBandwidth,
  assembleCost,
  convOutHW,
  exceedsCapacity,
  matrixWorkEngine,
  matrixWorkRefusal,
  ok,
  pct,
  refuse,
} from "./common.js";
import type { GemmProblem } from "./gpu-gemm-tiling.js";
import { computeWithDequant, dequantNote, weightDequantWork } from "./dequant.js";
import { skinnyGemmCost } from "./gemv.js";
import { matrixBufferBytes } from "./systolic-tile.js";

/**
 * Generic analytic model for matrix work on chips without a tile-level model: CPUs (AMX, AVX-512),
 * FPGA DSP arrays, dataflow and wafer-scale engines, SIMD NPUs. An achievable-fraction roofline:
 *  - compute at peak × matrix_efficiency, with the output cut into `generic_tile` blocks dealt to the
 *    compute units (tile padding and the last partial round of units cost time); null tile = no
 *    per-unit quantisation (spatial dataflow mappings);
 *  - main-memory traffic from blocking the GEMM into the on-chip SRAM (blocked-traffic.ts);
 *  - one dispatch/launch overhead per op;
 *  - a GEMM whose small dimension is below the per-unit tile height (or at most `gemv_max_rows`) runs as
 *    a GEMV / skinny kernel (gemv.ts: weights streamed once, math on the useful rows only), as CPU
 *    libraries do (oneDNN/MKL GEMV, llama.cpp ggml-cpu vec_dot, AMX with 16-row tiles) instead of
 *    padding one decode token to a 32-row block.
 */

/** Largest small dimension the generic model sends to the GEMV / skinny kernel: below the tile height, at least gemv_max_rows. */
export function genericSkinnyMaxRows(eff: CostContext["efficiency"]): number {
  return Math.max(eff.gemv_max_rows, (eff.generic_tile?.m ?? 0) - 1);
}

/** The op priced as a GEMV / skinny kernel, or undefined when it is not a skinny GEMM. */
function skinnyEstimate(op: Op, ctx: CostContext): OpCost | undefined {
  if (op.kind !== "gemm") return undefined;
  const g = skinnyGemmCost(op, ctx, genericSkinnyMaxRows(ctx.efficiency));
  if (!g) return undefined;
  return assembleCost(ctx, {
    model: "generic-analytic",
    engine: g.engine,
    flops: g.flops,
    peak: g.peak,
    compute_time_s: g.compute_s,
    memory_time_s: g.memory_s,
    overhead_time_s: g.overhead_s,
    bytes_main: g.bytes_main,
    energy: { matrix_flops: g.engine === "matrix" ? g.flops : 0, vector_flops: (g.engine === "vector" ? g.flops : 0) + g.dequant_ops, dtype: op.dtype },
    notes: [g.note, `${g.compute_s >= g.memory_s ? "compute" : "memory"}-bound`],
    capacity_exceeded: exceedsCapacity(ctx.chip, opMinBytes(op)),
  });
}

function problemOf(op: GemmOp | Conv2dOp): GemmProblem {
  if (op.kind === "gemm") {
    const a = DTYPE_BYTES[op.a_dtype];
    const b = DTYPE_BYTES[op.b_dtype];
    const c = DTYPE_BYTES[op.c_dtype];
    return {
      m: op.m, n: op.n, k: op.k, batch: op.batch, a_elem: a, b_elem: b, c_elem: c,
      a_bytes: op.batch * op.m * op.k * a, b_bytes: op.batch * op.k * op.n * b,
      c_bytes: op.batch * op.m * op.n * c + (op.bias ? op.batch * op.n * c : 0), acc_elem: accumulatorBytes(op.dtype),
    };
  }
  const { ho, wo } = convOutHW(op);
  const act = DTYPE_BYTES[op.act_dtype];
  const w = DTYPE_BYTES[op.weight_dtype];
  const cin = op.c_in / op.groups;
  return {
    m: op.n * ho * wo, n: op.c_out / op.groups, k: cin * op.kh * op.kw, batch: op.groups, a_elem: act, b_elem: w, c_elem: act,
    a_bytes: op.n * op.h * op.w * op.c_in * act, b_bytes: op.c_out * cin * op.kh * op.kw * w,
    c_bytes: op.n * ho * wo * op.c_out * act + (op.bias ? op.c_out * w : 0), acc_elem: accumulatorBytes(op.dtype),
  };
}

/** Fraction of the units' time doing useful output work: tile padding × last partial round. */
export function unitQuantisation(m: number, n: number, batch: number, units: number, tile: { m: number; n: number } | null): { efficiency: number; note?: string } {
  if (!tile) return { efficiency: 1 };
  const tm = Math.ceil(m / tile.m);
  const tn = Math.ceil(n / tile.n);
  const tiles = tm * tn * batch;
  const rounds = Math.ceil(tiles / units);
  const padding = (m * n) / (tm * tile.m * tn * tile.n);
  const eff = (tiles / (rounds * units)) * padding;
  return { efficiency: eff, note: `${tiles} ${tile.m}×${tile.n} output blocks over ${units} units in ${rounds} round${rounds === 1 ? "" : "s"}: ${pct(eff)} useful` };
}

export const genericAnalyticModel: CostModel = {
  id: "generic-analytic",
  fidelity: 2,
  description:
    "Achievable-fraction roofline for CPUs, FPGAs, dataflow and wafer-scale chips: peak × efficiency with output blocks dealt to compute units, main-memory traffic from blocking into on-chip SRAM, one dispatch overhead per op; GEMMs below the per-unit tile height (decode) run as a GEMV/skinny kernel at gemv_bandwidth_efficiency without row padding.",
  accuracy: "±20–40%: efficiency per family is estimated from public benchmarks, not a tile-level mapping",
  op_kinds: ["gemm", "conv2d", "attention"],

  supports(op: Op, chip: Chip): Support {
    const shared = matrixWorkRefusal(op);
    if (shared) return shared;
    if (!chip.memory.main.bandwidth_bytes_per_s) return refuse("the chip spec has no main-memory bandwidth");
    if (chip.matrix.peak_flops_per_s[op.dtype] === undefined && chip.vector.peak_flops_per_s[op.dtype] === undefined) {
      return refuse(`no ${op.dtype} peak on ${chip.id}`);
    }
    return ok;
  },

  estimate(op: Op, ctx: CostContext): OpCost {
    const { chip, efficiency: eff } = ctx;
    const engine = matrixWorkEngine(chip, eff, op.dtype);
    if (!engine) throw new Error(`generic-analytic: no ${op.dtype} engine on ${chip.id}`);
    const skinny = skinnyEstimate(op, ctx);
    if (skinny) return skinny;
    const notes: string[] = [];
    if (engine.note) notes.push(engine.note);
    const flops = opFlops(op);
    const buffer = matrixBufferBytes(chip, ctx, notes);
    let rate = engine.peak * engine.efficiency;
    let bytesMain: number;
    let workFlops = flops;
    if (op.kind === "attention") {
      const a = op as AttentionOp;
      rate = engine.peak * Math.min(engine.efficiency, eff.attention_efficiency);
      bytesMain = opMinBytes(a);
      if (!a.fused) {
        const kvLen = a.seq_kv; // the dense score matrix, masked after the fact
        // opMinBytes has the scores written and read once; the softmax pass reads and writes them again.
        bytesMain += 2 * a.batch * a.heads * a.seq_q * a.seq_kv * DTYPE_BYTES[a.act_dtype];
        // Unfused: the masked half of causal scores is computed too.
        workFlops = 2 * a.batch * a.heads * a.seq_q * kvLen * (a.head_dim_qk + a.head_dim_v);
        notes.push("unfused attention: full score matrix computed and moved through main memory");
      }
    } else {
      const p = problemOf(op as GemmOp | Conv2dOp);
      const q = unitQuantisation(p.m, p.n, p.batch, chip.compute_units, eff.generic_tile);
      if (q.note) notes.push(q.note);
      rate *= q.efficiency;
      const tile = eff.generic_tile ?? { m: 16, n: 16 };
      const t = blockedGemmTraffic(p, buffer, tile.m, tile.n, 64);
      bytesMain = t.bytes;
      notes.push(t.resident ? "operands resident on chip: compulsory traffic" : `blocked ${t.bm}×${t.bn} in ${(buffer / 2 ** 20).toFixed(1)} MiB on-chip SRAM`);
    }
    let compute = workFlops / rate;
    let dequantOps = 0;
    if (op.kind === "gemm") {
      const dq = weightDequantWork(op, ctx, eff.generic_tile?.m ?? 128);
      if (dq) {
        const before = compute;
        compute = computeWithDequant(before, dq, ctx);
        dequantOps = dq.ops;
        notes.push(dequantNote(op, dq, before, compute));
      }
    }
    const memory = bytesMain / achievableMainBandwidth(chip, eff);
    notes.push(`${compute >= memory ? "compute" : "memory"}-bound at ${pct(compute >= memory ? rate / engine.peak : eff.main_memory_efficiency)} of peak`);
    return assembleCost(ctx, {
      model: "generic-analytic",
      engine: engine.engine,
      flops,
      peak: engine.peak,
      compute_time_s: compute,
      memory_time_s: memory,
      overhead_time_s: eff.kernel_launch_overhead_s,
      bytes_main: bytesMain,
      energy: {
        matrix_flops: engine.engine === "matrix" ? workFlops : 0,
        vector_flops: (engine.engine === "vector" ? workFlops : 0) + dequantOps,
        dtype: op.dtype,
      },
      notes,
      capacity_exceeded: exceedsCapacity(chip, opMinBytes(op)),
    });
  },
};
