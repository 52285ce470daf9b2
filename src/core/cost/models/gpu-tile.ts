import type { Chip } from "../../hardware/chip.js";
import { DTYPE_BYTES } from "../../units/dtype.js";
import type { AttentionOp, Conv2dOp, GemmOp, Op, SoftmaxOp } from "../../workload/op.js";
import type { CostContext, CostModel, OpCost, Support } from "../contract.js";
import { attendedPairs, attentionKvBytesPerToken, keysTouched, opFlops, opMinBytes } from "../../workload/op-metrics.js";
import {
  accumulatorBytes,
  achievableMainBandwidth,
  assembleCost,
  convOutHW,
  type EngineRate,
  exceedsCapacity,
  lastLevelOnChip,
  matrixWorkEngine,
  matrixWorkRefusal,
  ok,
  pct,
  refuse,
  vectorRate,
} from "./common.js";
import { bestGemmTiling, describeTiling, l2BandwidthBytesPerS, type GemmProblem, type GemmTiling } from "./gpu-gemm-tiling.js";
import { vectorWork } from "./vector.js";
import { computeWithDequant, dequantNote, weightDequantWork } from "./dequant.js";
import { skinnyGemmCost } from "./gemv.js";

/**
 * Tile-level model for GPUs with tensor cores / matrix cores (NVIDIA, AMD CDNA).
 *  - GEMM: BLAS-like tile choice with tile and wave quantisation, occupancy, split-K and L2 reuse
 *    (gpu-gemm-tiling.ts); a GEMM with at most `gemv_max_rows` rows is dispatched to the GEMV kernel
 *    (gemv.ts), as cuBLAS, llama.cpp mmvq and TensorRT-LLM's weight-only GEMV dispatch on shape.
 *  - conv2d: implicit GEMM (M = N·Ho·Wo, N = C_out/groups, K = C_in/groups·kh·kw, one GEMM per
 *    group); the input tensor, not its im2col expansion, is the compulsory A traffic (a 1×1
 *    stride-2 convolution touches only a quarter of it; counted whole, like opMinBytes, so the
 *    roofline floor stays a floor). On a matrix engine the channels of a tap are padded to the 16-byte vector
 *    load (8 fp16 channels; 4 suffice for a stride-2 stem, NVIDIA Convolutional Layers User's Guide,
 *    "Channels In And Out"), and the main loop walks one tap's channels per k-tile. On the vector
 *    units (fp32 without TF32) a 3×3 stride-1 convolution may instead run as Winograd F(2×2, 3×3)
 *    (Lavin & Gray 2016, arXiv 1509.09308): 16 batched GEMMs over 2×2 output tiles, 2.25× fewer
 *    multiplies, plus the tile transforms; the faster algorithm is taken, as cuDNN's autotuner does.
 *  - attention, fused: FlashAttention-2 style (Dao 2023, arXiv 2307.08691): each thread block owns a
 *    block of query rows and streams K/V blocks; causal skips blocks above the diagonal; short query
 *    blocks (decode) pack the query heads of a GQA group together and split the KV length over SMs
 *    (Flash-Decoding) so the KV cache is read once at the achievable bandwidth.
 *  - attention, unfused: QKᵀ and PV as batched GEMMs plus a softmax whose scores go through memory.
 */

const KINDS = ["gemm", "conv2d", "attention"] as const;

function gemmProblemOf(op: GemmOp): GemmProblem {
  const a = DTYPE_BYTES[op.a_dtype];
  const b = DTYPE_BYTES[op.b_dtype];
  const c = DTYPE_BYTES[op.c_dtype];
  // Narrow weight-only formats are dequantised into the math dtype before the MMA: stage width = math dtype.
  const math = DTYPE_BYTES[op.dtype];
  return {
    m: op.m,
    n: op.n,
    k: op.k,
    batch: op.batch,
    a_elem: Math.max(a, math),
    b_elem: Math.max(b, math),
    c_elem: c,
    a_bytes: op.batch * op.m * op.k * a,
    b_bytes: op.batch * op.k * op.n * b,
    c_bytes: op.batch * op.m * op.n * c + (op.bias ? op.batch * op.n * c : 0),
    acc_elem: accumulatorBytes(op.dtype),
  };
}

/**
 * Input channels of one tap as the matrix engine sees them: padded to the 16-byte vector load along
 * C of an NHWC implicit GEMM (8 fp16, 4 tf32, 16 int8 channels). NVIDIA's Convolutional Layers
 * User's Guide ("Channels In And Out"): C and K multiple of 8 (fp16) or 4 (tf32) for Tensor Cores;
 * for a 3-channel image, padding to 4 is sufficient when the stride is 2.
 */
export function tensorCoreChannels(cin: number, elemBytes: number, stride: number): number {
  const granule = Math.max(1, Math.floor(16 / elemBytes));
  if (cin % granule === 0) return cin;
  const g = cin < granule && stride >= 2 && granule >= 2 ? granule / 2 : granule;
  return Math.ceil(cin / g) * g;
}

function convProblemOf(op: Conv2dOp, engine: EngineRate): GemmProblem {
  const { ho, wo } = convOutHW(op);
  const act = DTYPE_BYTES[op.act_dtype];
  const w = DTYPE_BYTES[op.weight_dtype];
  const cin = op.c_in / op.groups;
  const aElem = Math.max(act, DTYPE_BYTES[op.dtype]);
  const taps = op.kh * op.kw;
  const cinK = engine.engine === "matrix" ? tensorCoreChannels(cin, aElem, op.stride) : cin;
  return {
    m: op.n * ho * wo,
    n: op.c_out / op.groups,
    k: cinK * taps,
    batch: op.groups,
    a_elem: aElem,
    b_elem: Math.max(w, DTYPE_BYTES[op.dtype]),
    c_elem: act,
    a_bytes: op.n * op.h * op.w * op.c_in * act,
    b_bytes: op.c_out * cin * taps * w,
    c_bytes: op.n * ho * wo * op.c_out * act + (op.bias ? op.c_out * w : 0),
    acc_elem: accumulatorBytes(op.dtype),
    k_taps: taps,
  };
}

/** Winograd F(2×2, 3×3) applies to 3×3, stride-1 convolutions. */
function winogradApplies(op: Conv2dOp): boolean {
  return op.kh === 3 && op.kw === 3 && op.stride === 1;
}

/**
 * Winograd F(2×2, 3×3) (Lavin & Gray 2016, §4): each 4×4 input tile gives a 2×2 output tile; in the
 * transformed domain the convolution is 16 independent GEMMs [tiles × C] · [C × K]: 16·C·K MACs per
 * 4 outputs instead of 36·C·K (2.25× fewer). cuDNN's fused kernels transform tiles on chip, so main
 * memory sees the input, the (16/9 larger) transformed filters and the output once.
 */
function winogradProblemOf(op: Conv2dOp): GemmProblem {
  const { ho, wo } = convOutHW(op);
  const act = DTYPE_BYTES[op.act_dtype];
  const w = DTYPE_BYTES[op.weight_dtype];
  const cin = op.c_in / op.groups;
  const cout = op.c_out / op.groups;
  return {
    m: op.n * Math.ceil(ho / 2) * Math.ceil(wo / 2),
    n: cout,
    k: cin,
    batch: 16 * op.groups,
    a_elem: Math.max(act, DTYPE_BYTES[op.dtype]),
    b_elem: Math.max(w, DTYPE_BYTES[op.dtype]),
    c_elem: act,
    a_bytes: op.n * op.h * op.w * op.c_in * act,
    b_bytes: 16 * cin * cout * op.groups * w,
    c_bytes: op.n * ho * wo * op.c_out * act + (op.bias ? op.c_out * w : 0),
    acc_elem: accumulatorBytes(op.dtype),
  };
}

/** Adds of the F(2×2, 3×3) transforms per tile: input BᵀdB 32 per input channel, output AᵀmA 24 per output channel. */
export function winogradTransformFlops(op: Conv2dOp): number {
  const { ho, wo } = convOutHW(op);
  const tiles = op.n * Math.ceil(ho / 2) * Math.ceil(wo / 2);
  return tiles * (32 * op.c_in + 24 * op.c_out);
}

interface MatrixPart {
  compute: number;
  memory: number;
  l2: number;
  /** Serial busy time when the part is several kernels (unfused attention). */
  busy?: number;
  overhead: number;
  bytesMain: number;
  bytesL2: number;
  matrixFlops: number;
  vectorFlops: number;
  /** FLOPs of the algorithm run when it is not the op's direct form (Winograd), else undefined. */
  algorithmFlops?: number;
  /** The GEMM tiling chosen (single-GEMM parts). */
  tiling?: GemmTiling;
  notes: string[];
}

/** 2·M·N·K·batch: the multiply-adds the product needs, without tile padding. */
function usefulFlops(p: GemmProblem): number {
  return 2 * p.m * p.n * p.k * p.batch;
}

function gemmPart(p: GemmProblem, ctx: CostContext, engine: EngineRate, notes: string[], label = ""): MatrixPart {
  const t: GemmTiling | undefined = bestGemmTiling(p, ctx.chip, ctx.efficiency, engine, notes);
  if (!t) throw new Error(`gpu-tile: no GEMM tile fits one ${ctx.chip.unit_name} of ${ctx.chip.id} (check smem/register parameters)`);
  notes.push(`${label}${describeTiling(t, ctx.chip)}`);
  if (t.l2_s > Math.max(t.compute_s, t.memory_s)) notes.push(`${label}L2-bandwidth-bound (tile operand reloads)`);
  return {
    compute: t.compute_s,
    memory: t.memory_s,
    l2: t.l2_s,
    overhead: t.overhead_s + ctx.efficiency.kernel_launch_overhead_s,
    bytesMain: t.bytes_main,
    bytesL2: t.bytes_l2,
    // Energy: the useful FLOPs. Padded tile rows (M = 1 decode in a 128-row tile) cost time, but their
    // operands are zeros, so the multipliers barely switch (CMOS dynamic energy is α·C·V² per switch,
    // Weste & Harris §5.1): charging padded FLOPs put 140 W of phantom math into batch-1 decode
    // (docs/power.md, Calibration). For large GEMMs the two differ by the last tile's padding only.
    matrixFlops: engine.engine === "matrix" ? usefulFlops(p) : 0,
    vectorFlops: engine.engine === "vector" ? usefulFlops(p) : 0,
    notes,
    tiling: t,
  };
}

const partTime = (p: MatrixPart): number => Math.max(p.busy ?? 0, p.compute, p.memory, p.l2) + p.overhead;

/** A convolution: implicit GEMM, or Winograd on the vector units when that is faster. */
function convPart(op: Conv2dOp, ctx: CostContext, engine: EngineRate, notes: string[]): MatrixPart {
  const p = convProblemOf(op, engine);
  const cin = op.c_in / op.groups;
  const padded = p.k / (op.kh * op.kw);
  const implicitNotes = [...notes, `implicit GEMM M=${p.m} N=${p.n} K=${p.k}${p.batch > 1 ? ` × ${p.batch} groups` : ""}${padded !== cin ? ` (C_in ${cin} padded to ${padded}: the matrix engine's channel granule)` : ""}`];
  const implicit = gemmPart(p, ctx, engine, implicitNotes);
  if (engine.engine !== "vector" || !winogradApplies(op)) return implicit;
  const w = winogradProblemOf(op);
  const winoNotes = [...notes, `Winograd F(2×2,3×3): 16 GEMMs M=${w.m} N=${w.n} K=${w.k}${op.groups > 1 ? ` × ${op.groups} groups` : ""}, 2.25× fewer multiplies than the direct convolution`];
  const wino = gemmPart(w, ctx, engine, winoNotes);
  const transform = winogradTransformFlops(op);
  wino.compute += transform / (engine.peak * engine.efficiency);
  wino.vectorFlops += transform;
  wino.algorithmFlops = 2 * w.batch * w.m * w.n * w.k + transform;
  const chosen = partTime(wino) < partTime(implicit) ? wino : implicit;
  notes.length = 0;
  notes.push(...chosen.notes);
  if (chosen === wino) notes.push("Winograd chosen over implicit GEMM (faster, as cuDNN's autotuner picks)");
  chosen.notes = notes;
  return chosen;
}

/**
 * FlashAttention-style fused kernel. `perHead`: the masked multi-head decode kernel (one block per
 * sequence and query head, fp32 dot products on the vector units; cost/contract.ts DecodeAttentionKernel).
 */
function fusedAttentionPart(op: AttentionOp, ctx: CostContext, engine: EngineRate, notes: string[], perHead = false): MatrixPart {
  const { chip, efficiency: eff } = ctx;
  const S = chip.compute_units;
  const group = op.heads / op.kv_heads;
  const d = op.head_dim_qk + op.head_dim_v;
  const pairs = attendedPairs(op.seq_q, op.seq_kv, op.causal, op.window);
  // Work groups: one per (sequence, head), or per (sequence, KV head) when a decode-like shape packs
  // the query heads of a GQA group as rows of one block (they share every K/V read).
  const packed = !perHead && group > 1 && op.seq_q * group <= eff.attention_block.q;
  const rows = packed ? op.seq_q * group : op.seq_q;
  const groups = op.batch * (packed ? op.kv_heads : op.heads);
  // Query block: the family's block, shrunk to the rows present (MMA row granularity 16); the
  // per-head decode kernel computes its one row on the vector units, unpadded.
  const Bq = perHead ? rows : Math.min(eff.attention_block.q, Math.ceil(rows / 16) * 16);
  const Bkv = eff.attention_block.kv;
  const qBlocks = Math.ceil(rows / Bq);
  const keysPerRow = pairs / op.seq_q;
  const kvBlocks = Math.ceil(keysPerRow / Bkv);
  // Block-level work of one group: padded rows × padded keys; causal diagonal blocks are computed
  // whole (half a Bq×Bkv block wasted per query block on average).
  const groupPairs = qBlocks * Bq * (kvBlocks * Bkv + (op.causal ? Bkv / 2 : 0));
  const groupFlops = 2 * d * groupPairs;
  const unitsBase = groups * qBlocks;
  const fraction = engine.engine === "matrix" ? eff.attention_efficiency : Math.min(engine.efficiency, eff.attention_efficiency);
  const rate = (engine.peak / S) * fraction;
  const act = DTYPE_BYTES[op.act_dtype];
  const kvBytes = op.batch * keysTouched(op.seq_q, op.seq_kv, op.causal, op.window) * attentionKvBytesPerToken(op);
  const qBytes = op.batch * op.heads * op.seq_q * op.head_dim_qk * act;
  const oBytes = op.batch * op.heads * op.seq_q * op.head_dim_v * act;
  const mainBw = achievableMainBandwidth(chip, eff);
  const l2Bw = l2BandwidthBytesPerS(chip, eff, chip.clock_hz ?? eff.fallback_clock_hz);
  const waveS = eff.tile_overhead_cycles / (chip.clock_hz ?? eff.fallback_clock_hz);
  // Split the KV length over several blocks (Flash-Decoding) when that is faster: more blocks fill
  // the SMs, at the price of writing partial outputs (+ max and sum per row, fp32) and a combine.
  let best = { time: Infinity, splits: 1, units: 0, waves: 0, compute: 0, memory: 0, l2: 0, overhead: 0, bytesMain: 0, bytesL2: 0 };
  const maxSplits = Math.min(kvBlocks, 64);
  for (let splits = 1; splits <= maxSplits; splits++) {
    const units = unitsBase * splits;
    const perUnit = groupFlops / qBlocks / splits;
    const waves = Math.ceil(units / S);
    // Causal prefill: the last query block sees every key and bounds the tail.
    const longest = op.causal && qBlocks > 1 ? (2 * d * Bq * Math.ceil(op.seq_kv / Bkv) * Bkv) / splits : perUnit;
    const compute = Math.max(waves * perUnit, longest) / rate;
    const combineBytes = splits > 1 ? 2 * splits * op.batch * op.heads * op.seq_q * (op.head_dim_v + 2) * 4 : 0;
    // K/V of a head stay in L2 while its query blocks stream them; main memory sees them once.
    const bytesMain = qBytes + oBytes + kvBytes + combineBytes;
    const bytesL2 = qBytes + oBytes + kvBytes * qBlocks * (packed ? 1 : group) + combineBytes;
    const memory = bytesMain / mainBw;
    const l2 = l2Bw > 0 ? bytesL2 / l2Bw : 0;
    const overhead = (splits > 1 ? 2 : 1) * eff.kernel_launch_overhead_s + waves * waveS;
    const time = Math.max(compute, memory, l2) + overhead;
    if (time < best.time) best = { time, splits, units, waves, compute, memory, l2, overhead, bytesMain, bytesL2 };
    if (units >= 2 * S) break; // more splits cannot fill the SMs better
  }
  const { splits, units, waves } = best;
  notes.push(
    `${perHead ? "masked multi-head decode kernel (one block per query head, fp32 dot products on the vector units): " : ""}fused attention: ${units} blocks of ${Bq} query rows${packed ? ` (GQA group of ${group} heads packed)` : ""}${splits > 1 ? `, KV split ${splits}×` : ""}, ${waves} wave${waves === 1 ? "" : "s"} of ${S} ${chip.unit_name}s, ${pct(fraction)} of peak`,
  );
  const matrixWork = groups * groupFlops;
  return {
    compute: best.compute,
    memory: best.memory,
    l2: best.l2,
    overhead: best.overhead,
    bytesMain: best.bytesMain,
    bytesL2: best.bytesL2,
    matrixFlops: engine.engine === "matrix" ? matrixWork : 0,
    // exp, max, scale and rescale of the online softmax run on the vector/special-function units.
    vectorFlops: 5 * op.batch * op.heads * pairs + (engine.engine === "vector" ? matrixWork : 0),
    notes,
  };
}

/** Unfused attention: S = QKᵀ (scores written), softmax (read + write), O = PV (scores read). */
function unfusedAttentionPart(op: AttentionOp, ctx: CostContext, engine: EngineRate, notes: string[]): MatrixPart {
  const act = DTYPE_BYTES[op.act_dtype];
  const kvb = DTYPE_BYTES[op.kv_dtype];
  const bh = op.batch * op.heads;
  // Eager kernels materialise the dense seq_q × seq_kv score matrix (masks applied afterwards).
  const kvLen = op.seq_kv;
  const acc = accumulatorBytes(op.dtype);
  const math = DTYPE_BYTES[op.dtype];
  // GQA without a fused kernel: K/V are expanded per query head (repeat_kv), so each head reads its own copy.
  const qk: GemmProblem = {
    m: op.seq_q, n: kvLen, k: op.head_dim_qk, batch: bh,
    a_elem: Math.max(act, math), b_elem: Math.max(kvb, math), c_elem: act,
    a_bytes: bh * op.seq_q * op.head_dim_qk * act, b_bytes: bh * kvLen * op.head_dim_qk * kvb,
    c_bytes: bh * op.seq_q * kvLen * act, acc_elem: acc,
  };
  const pv: GemmProblem = {
    m: op.seq_q, n: op.head_dim_v, k: kvLen, batch: bh,
    a_elem: Math.max(act, math), b_elem: Math.max(kvb, math), c_elem: act,
    a_bytes: bh * op.seq_q * kvLen * act, b_bytes: bh * kvLen * op.head_dim_v * kvb,
    c_bytes: bh * op.seq_q * op.head_dim_v * act, acc_elem: acc,
  };
  const g1 = gemmPart(qk, ctx, engine, notes, "QKᵀ: ");
  const sm: SoftmaxOp = { name: `${op.name}.softmax`, kind: "softmax", role: "pointwise", dtype: op.dtype, rows: bh * op.seq_q, cols: kvLen, act_dtype: op.act_dtype };
  const smWork = vectorWork(sm, ctx);
  const vr = vectorRate(ctx.chip, ctx.efficiency, op.dtype);
  const smCompute = vr ? smWork.flops / (vr.peak * vr.efficiency) : 0;
  const smMemory = smWork.bytes / achievableMainBandwidth(ctx.chip, ctx.efficiency);
  const g2 = gemmPart(pv, ctx, engine, notes, "PV: ");
  notes.push(`unfused attention: ${bh * op.seq_q * kvLen} scores written and read back through main memory`);
  // The three kernels run back to back: their times add (each kernel's own overlap inside).
  const busy = Math.max(g1.compute, g1.memory, g1.l2) + Math.max(smCompute, smMemory) + Math.max(g2.compute, g2.memory, g2.l2);
  return {
    compute: g1.compute + smCompute + g2.compute,
    memory: g1.memory + smMemory + g2.memory,
    l2: 0,
    busy,
    overhead: g1.overhead + g2.overhead + ctx.efficiency.kernel_launch_overhead_s + ctx.efficiency.main_memory_latency_s,
    bytesMain: g1.bytesMain + smWork.bytes + g2.bytesMain,
    bytesL2: g1.bytesL2 + g2.bytesL2 + smWork.bytes,
    matrixFlops: g1.matrixFlops + g2.matrixFlops,
    vectorFlops: g1.vectorFlops + g2.vectorFlops + smWork.flops,
    notes,
  };
}

/** A GEMM as the family's BLAS tiles it, with weight-only dequantisation once per CTA row block (tile m, or tile n when swapped). */
function tiledGemmPart(op: GemmOp, ctx: CostContext, engine: EngineRate, notes: string[]): MatrixPart {
  const part = gemmPart(gemmProblemOf(op), ctx, engine, notes);
  const t = part.tiling;
  const dq = weightDequantWork(op, ctx, t ? (t.swapped ? t.tile.n : t.tile.m) : 128);
  if (dq) {
    const before = part.compute;
    part.compute = computeWithDequant(before, dq, ctx);
    part.vectorFlops += dq.ops;
    notes.push(dequantNote(op, dq, before, part.compute));
  }
  return part;
}

/**
 * The GEMV / skinny kernel (gemv.ts) when the GEMM has at most `gemv_max_rows` rows: libraries dispatch
 * on shape (llama.cpp mmvq up to 8 columns, cuBLAS gemv for a vector, TensorRT-LLM weight-only GEMV at
 * small batch), not on a timing race; undefined otherwise (the tiled kernel runs).
 */
function gemvPart(op: GemmOp, ctx: CostContext, notes: string[]): { part: MatrixPart; engine: EngineRate } | undefined {
  const g = skinnyGemmCost(op, ctx, ctx.efficiency.gemv_max_rows);
  if (!g) return undefined;
  notes.push(g.note);
  return {
    engine: { engine: g.engine, peak: g.peak, efficiency: 1 },
    part: {
      compute: g.compute_s,
      memory: g.memory_s,
      l2: 0,
      overhead: g.overhead_s,
      bytesMain: g.bytes_main,
      bytesL2: g.bytes_main,
      matrixFlops: g.engine === "matrix" ? g.flops : 0,
      vectorFlops: (g.engine === "vector" ? g.flops : 0) + g.dequant_ops,
      notes,
    },
  };
}

export const gpuTileModel: CostModel = {
  id: "gpu-tile",
  fidelity: 3,
  description:
    "Tile-level GPU model: BLAS-like CTA tile choice with tile/wave quantisation, occupancy, split-K and L2 reuse for GEMM and implicit-GEMM convolution; GEMMs of at most gemv_max_rows rows (batch-1 decode) run as a GEMV kernel (weights streamed at gemv_bandwidth_efficiency, no tile padding); FlashAttention-2-style blocks for fused attention.",
  accuracy: "~5–15% on large GEMMs against cuBLAS/rocBLAS measurements (see test/cost-validation.test.ts); ~20–35% on small or odd shapes",
  op_kinds: [...KINDS],

  supports(op: Op, chip: Chip): Support {
    const shared = matrixWorkRefusal(op);
    if (shared) return shared;
    if ((chip.matrix.kind !== "tensor-core" && chip.matrix.kind !== "matrix-core") || (chip.kind !== "gpu" && chip.kind !== "edge-soc")) {
      return refuse(`not a GPU with tensor/matrix cores (kind ${chip.kind}, matrix engine "${chip.matrix.kind}")`);
    }
    if (!chip.memory.main.bandwidth_bytes_per_s) return refuse("the chip spec has no main-memory bandwidth");
    if (chip.matrix.peak_flops_per_s[op.dtype] === undefined && chip.vector.peak_flops_per_s[op.dtype] === undefined) {
      return refuse(`no ${op.dtype} peak on ${chip.id}`);
    }
    return ok;
  },

  estimate(op: Op, ctx: CostContext): OpCost {
    const { chip, efficiency } = ctx;
    const engine = matrixWorkEngine(chip, efficiency, op.dtype);
    if (!engine) throw new Error(`gpu-tile: no ${op.dtype} engine on ${chip.id} (supports() should have refused)`);
    const notes: string[] = [];
    if (engine.note) notes.push(engine.note);
    let part: MatrixPart;
    let ran: EngineRate = engine;
    if (op.kind === "gemm") {
      const gemv = gemvPart(op, ctx, notes);
      if (gemv) ({ part, engine: ran } = gemv);
      else part = tiledGemmPart(op, ctx, engine, notes);
    }
    else if (op.kind === "conv2d") part = convPart(op, ctx, engine, notes);
    else if (op.kind === "attention") {
      const perHead = op.fused && ctx.decode_attention === "per_head" && op.seq_q === 1 ? vectorRate(chip, ctx.efficiency, "fp32") : undefined;
      if (perHead) ran = perHead;
      part = op.fused ? fusedAttentionPart(op, ctx, perHead ?? engine, notes, perHead !== undefined) : unfusedAttentionPart(op, ctx, engine, notes);
    } else throw new Error(`gpu-tile cannot price ${op.kind}`);
    const l2 = lastLevelOnChip(chip);
    // Work done: the op's FLOPs, or those of a fast algorithm (Winograd) that replaced its direct form.
    return assembleCost(ctx, {
      model: "gpu-tile",
      engine: ran.engine,
      flops: part.algorithmFlops ?? opFlops(op),
      peak: ran.peak,
      compute_time_s: part.compute,
      memory_time_s: part.memory,
      onchip_time_s: part.l2,
      ...(part.busy !== undefined ? { busy_time_s: part.busy } : {}),
      overhead_time_s: part.overhead,
      bytes_main: part.bytesMain,
      ...(l2 ? { onchip_level: l2.name, bytes_onchip: part.bytesL2 } : {}),
      energy: { matrix_flops: part.matrixFlops, vector_flops: part.vectorFlops, dtype: op.dtype },
      notes: part.notes,
      capacity_exceeded: exceedsCapacity(chip, opMinBytes(op)),
    });
  },
};
