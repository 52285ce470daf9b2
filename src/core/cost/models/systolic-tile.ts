import type { Chip } from "../../hardware/chip.js";
import { DTYPE_BYTES } from "../../units/dtype.js";
import type { AttentionOp, Conv2dOp, GemmOp, Op } from "../../workload/op.js";
import type { CostContext, CostModel, OpCost, Support } from "../contract.js";
import { attendedPairs, keysTouched, opFlops, opMinBytes } from "../../workload/op-metrics.js";
import { blockedGemmTraffic } from "./blocked-traffic.js";
import {
  accumulatorBytes,
  achievableMainBandwidth,
  assembleCost,
  convOutHW,
  exceedsCapacity,
  lastLevelOnChip,
  matrixWorkEngine,
  matrixWorkRefusal,
  ok,
  pct,
  refuse,
  totalOnChipBytes,
} from "./common.js";
import type { GemmProblem } from "./gpu-gemm-tiling.js";
import { computeWithDequant, dequantNote, weightDequantWork } from "./dequant.js";

/**
 * Systolic / cube matrix units (TPU MXU 128×128 or 256×256, Ascend 16×16×16 cube, NPUs).
 * Weight-stationary mapping (Samajdar et al., "SCALE-Sim", arXiv 1811.02883, 2018; semantics in
 * shared/reference/scalesim-semantics.md): the stationary operand is cut into
 * folds = ceil(K / rows) · ceil(N / cols); each fold streams M_tile rows of the other operand and
 * costs M_tile + rows + cols − 2 cycles (skewed fill and drain), plus `rows` more when weights are
 * not double-buffered (SCALE-Sim's WS count) and a pipeline constant. Folds are spread over the
 * chip's `matrix.count` engines. The compiler may make either operand stationary; the faster is
 * taken. The cycle time is the one implied by the dtype's peak (peak = 2·rows·cols·engines·f), so
 * dtypes that pack several MACs per PE are handled. Main-memory traffic comes from blocking the GEMM
 * into the on-chip buffer (blocked-traffic.ts).
 */

interface FoldCount {
  cycles: number;
  folds: number;
  perFold: number;
  mChunks: number;
  swapped: boolean;
}

interface ArrayGeometry {
  /** "systolic": skewed R×C array streaming one row per cycle; "cube": r×d by d×c product per cycle. */
  cube: boolean;
  rows: number;
  cols: number;
  /** Reduction (K) extent of one fold: array rows, or the cube's depth. */
  kBlock: number;
  /** Rows of the streamed operand entering per cycle (1 for a systolic array, r for a cube). */
  rowsPerCycle: number;
  macsPerCycle: number;
  engines: number;
  /** Cycles per second implied by the dtype's peak. */
  hz: number;
  doubleBuffered: boolean;
  pipeline: number;
  maxRows: number;
}

function geometry(chip: Chip, ctx: CostContext, peak: number): ArrayGeometry {
  const eff = ctx.efficiency;
  const shape = chip.matrix.shape ?? eff.systolic_array;
  const cube = chip.matrix.kind === "cube" && chip.matrix.shape?.depth !== undefined;
  const depth = cube ? chip.matrix.shape!.depth! : 1;
  const macsPerCycle = shape.rows * shape.cols * depth;
  const engines = chip.matrix.count ?? 1;
  return {
    cube,
    rows: shape.rows,
    cols: shape.cols,
    kBlock: cube ? depth : shape.rows,
    rowsPerCycle: cube ? shape.rows : 1,
    macsPerCycle,
    engines,
    hz: peak / (2 * macsPerCycle * engines),
    doubleBuffered: eff.systolic_weight_double_buffered,
    pipeline: eff.systolic_pipeline_cycles,
    maxRows: eff.systolic_max_stream_rows,
  };
}

/**
 * Systolic: per fold mRows + R + C − 2 (skewed fill and drain) + pipeline (+ R to load weights when
 * they are not double-buffered). Cube: per fold ceil(mRows / r) + pipeline (a d×c operand tile stays
 * in the cube's input buffer while r rows enter per cycle).
 */
function foldsFor(m: number, k: number, n: number, batch: number, g: ArrayGeometry, swapped: boolean): FoldCount {
  const kf = Math.ceil(k / g.kBlock);
  const nf = Math.ceil(n / g.cols);
  const mChunks = Math.max(1, Math.ceil(m / g.maxRows));
  const mRows = Math.ceil(m / mChunks);
  const perFold = g.cube
    ? Math.ceil(mRows / g.rowsPerCycle) + g.pipeline
    : mRows + g.rows + g.cols - 2 + g.pipeline + (g.doubleBuffered ? 0 : g.rows);
  const folds = batch * mChunks * kf * nf;
  return { cycles: Math.ceil(folds / g.engines) * perFold, folds, perFold, mChunks, swapped };
}

/** Fold cycles with the better of the two stationary choices. */
function bestFolds(m: number, k: number, n: number, batch: number, g: ArrayGeometry): FoldCount {
  const a = foldsFor(m, k, n, batch, g, false);
  if (m === n) return a;
  const b = foldsFor(n, k, m, batch, g, true);
  return b.cycles < a.cycles ? b : a;
}

function problemOf(op: GemmOp | Conv2dOp): GemmProblem {
  if (op.kind === "gemm") {
    const a = DTYPE_BYTES[op.a_dtype];
    const b = DTYPE_BYTES[op.b_dtype];
    const c = DTYPE_BYTES[op.c_dtype];
    return {
      m: op.m, n: op.n, k: op.k, batch: op.batch,
      a_elem: a, b_elem: b, c_elem: c,
      a_bytes: op.batch * op.m * op.k * a, b_bytes: op.batch * op.k * op.n * b,
      c_bytes: op.batch * op.m * op.n * c + (op.bias ? op.batch * op.n * c : 0),
      acc_elem: accumulatorBytes(op.dtype),
    };
  }
  const { ho, wo } = convOutHW(op);
  const act = DTYPE_BYTES[op.act_dtype];
  const w = DTYPE_BYTES[op.weight_dtype];
  const cin = op.c_in / op.groups;
  return {
    m: op.n * ho * wo, n: op.c_out / op.groups, k: cin * op.kh * op.kw, batch: op.groups,
    a_elem: act, b_elem: w, c_elem: act,
    a_bytes: op.n * op.h * op.w * op.c_in * act, b_bytes: op.c_out * cin * op.kh * op.kw * w,
    c_bytes: op.n * ho * wo * op.c_out * act + (op.bias ? op.c_out * w : 0),
    acc_elem: accumulatorBytes(op.dtype),
  };
}

/** On-chip bytes a matrix kernel may block into: the largest chip-wide level (or all SRAM), else the family's fallback. */
export function matrixBufferBytes(chip: Chip, ctx: CostContext, notes: string[]): number {
  const llc = lastLevelOnChip(chip);
  let bytes = llc ? llc.capacity_bytes : totalOnChipBytes(chip);
  if (bytes <= 0) {
    bytes = ctx.efficiency.fallback_onchip_bytes;
    notes.push(`no on-chip memory in the spec: assumed the family's ${(bytes / 2 ** 20).toFixed(0)} MiB`);
  }
  return bytes * ctx.efficiency.onchip_buffer_fraction;
}

export const systolicTileModel: CostModel = {
  id: "systolic-tile",
  fidelity: 3,
  description:
    "Systolic/cube arrays: weight-stationary folds ceil(K/rows)·ceil(N/cols), each M_tile + rows + cols − 2 cycles (SCALE-Sim fill/drain), spread over the engines; memory traffic from blocking into the on-chip buffer.",
  accuracy: "fold geometry exact against SCALE-Sim's stall-free cycle count for one array; absolute time depends on matrix_efficiency (estimated per family, ±15–30%)",
  op_kinds: ["gemm", "conv2d", "attention"],

  supports(op: Op, chip: Chip): Support {
    const shared = matrixWorkRefusal(op);
    if (shared) return shared;
    if (chip.matrix.kind !== "systolic" && chip.matrix.kind !== "cube") return refuse(`matrix engine kind "${chip.matrix.kind}" is not a systolic array or cube`);
    if (chip.matrix.peak_flops_per_s[op.dtype] === undefined) return refuse(`the matrix engine has no ${op.dtype} peak`);
    if (!chip.memory.main.bandwidth_bytes_per_s) return refuse("the chip spec has no main-memory bandwidth");
    return ok;
  },

  estimate(op: Op, ctx: CostContext): OpCost {
    const { chip, efficiency: eff } = ctx;
    const engine = matrixWorkEngine(chip, eff, op.dtype);
    if (!engine || engine.engine !== "matrix") throw new Error(`systolic-tile: no ${op.dtype} matrix peak on ${chip.id}`);
    const g = geometry(chip, ctx, engine.peak);
    const notes: string[] = [];
    const bw = achievableMainBandwidth(chip, eff);
    const buffer = matrixBufferBytes(chip, ctx, notes);
    let cycles: number;
    let usefulMacs: number;
    let bytesMain: number;
    let fraction = engine.efficiency;
    let foldNote: string;
    if (op.kind === "attention") {
      const a = op as AttentionOp;
      const bh = a.batch * a.heads;
      // Fused kernels touch only the keys in the window; unfused ones compute the dense score matrix.
      const kvLen = a.fused ? keysTouched(a.seq_q, a.seq_kv, a.causal, a.window) : a.seq_kv;
      const pairs = attendedPairs(a.seq_q, a.seq_kv, a.causal, a.window);
      const density = pairs / (a.seq_q * kvLen); // causal/window: folds wholly masked are skipped
      // GQA: the query heads of a KV group share K and V, so their rows form one operand per KV head.
      const group = a.heads / a.kv_heads;
      const rows = a.seq_q * group;
      const bkv = a.batch * a.kv_heads;
      const qk = bestFolds(rows, a.head_dim_qk, kvLen, bkv, g);
      const pv = bestFolds(rows, kvLen, a.head_dim_v, bkv, g);
      cycles = Math.ceil((qk.cycles + pv.cycles) * (a.fused ? density : 1));
      usefulMacs = bh * pairs * (a.head_dim_qk + a.head_dim_v);
      fraction = eff.attention_efficiency;
      const act = DTYPE_BYTES[a.act_dtype];
      // Unfused: opMinBytes already has the scores written by QKᵀ and read by PV; the softmax pass
      // between them reads and writes them once more.
      bytesMain = opMinBytes(a);
      if (!a.fused) {
        bytesMain += 2 * bh * a.seq_q * a.seq_kv * act;
        notes.push("unfused attention: scores written, read and written by the softmax, read again");
      }
      foldNote = `QKᵀ ${qk.folds} folds × ${qk.perFold} cycles, PV ${pv.folds} folds × ${pv.perFold} cycles${a.fused ? ", fused" : ""}`;
    } else {
      const p = problemOf(op as GemmOp | Conv2dOp);
      if (op.kind === "conv2d") notes.push(`im2col GEMM M=${p.m} N=${p.n} K=${p.k}${p.batch > 1 ? ` × ${p.batch} groups` : ""}`);
      const f = bestFolds(p.m, p.k, p.n, p.batch, g);
      cycles = f.cycles;
      usefulMacs = p.m * p.n * p.k * p.batch;
      const t = blockedGemmTraffic(p, buffer, g.rows, g.cols, g.kBlock);
      bytesMain = t.bytes;
      foldNote = `${f.folds} folds${f.mChunks > 1 ? ` (${f.mChunks} row chunks)` : ""} × ${f.perFold} cycles on ${g.engines} ${g.rows}×${g.cols}${g.cube ? `×${g.kBlock} cube` : " array"}${g.engines === 1 ? "" : "s"}${f.swapped ? " (operands swapped)" : ""}`;
      notes.push(t.resident ? "operands resident on chip: compulsory traffic" : `blocked ${t.bm}×${t.bn} in ${(buffer / 2 ** 20).toFixed(1)} MiB on-chip buffer`);
    }
    const arrayUtil = usefulMacs / (cycles * g.macsPerCycle * g.engines);
    notes.unshift(`${foldNote}: ${pct(arrayUtil)} array utilisation`);
    let compute = cycles / g.hz / fraction;
    let dequantOps = 0;
    if (op.kind === "gemm") {
      // Weights are loaded into the array once per fold of streamed rows.
      const dq = weightDequantWork(op, ctx, eff.systolic_max_stream_rows);
      if (dq) {
        const before = compute;
        compute = computeWithDequant(before, dq, ctx);
        dequantOps = dq.ops;
        notes.push(dequantNote(op, dq, before, compute));
      }
    }
    const memory = bytesMain / bw;
    return assembleCost(ctx, {
      model: "systolic-tile",
      engine: "matrix",
      flops: opFlops(op),
      peak: engine.peak,
      compute_time_s: compute,
      memory_time_s: memory,
      overhead_time_s: eff.kernel_launch_overhead_s,
      bytes_main: bytesMain,
      energy: { matrix_flops: 2 * usefulMacs, vector_flops: op.kind === "attention" ? 5 * (op as AttentionOp).batch * (op as AttentionOp).heads * attendedPairs((op as AttentionOp).seq_q, (op as AttentionOp).seq_kv, (op as AttentionOp).causal, (op as AttentionOp).window) : dequantOps, dtype: op.dtype },
      notes,
      capacity_exceeded: exceedsCapacity(chip, opMinBytes(op)),
    });
  },
};

/** Exposed for tests: fold cycles of one GEMM on one systolic array (no efficiency, no memory). */
export function systolicFoldCycles(
  m: number,
  k: number,
  n: number,
  array: { rows: number; cols: number; engines?: number; doubleBuffered?: boolean; pipeline?: number; maxRows?: number },
): { cycles: number; folds: number; perFold: number } {
  const g: ArrayGeometry = {
    cube: false,
    rows: array.rows,
    cols: array.cols,
    kBlock: array.rows,
    rowsPerCycle: 1,
    macsPerCycle: array.rows * array.cols,
    engines: array.engines ?? 1,
    hz: 1,
    doubleBuffered: array.doubleBuffered ?? true,
    pipeline: array.pipeline ?? 0,
    maxRows: array.maxRows ?? Number.MAX_SAFE_INTEGER,
  };
  const f = foldsFor(m, k, n, 1, g, false);
  return { cycles: f.cycles, folds: f.folds, perFold: f.perFold };
}
