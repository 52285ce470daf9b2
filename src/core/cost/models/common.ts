import type { Chip, MemoryLevel } from "../../hardware/chip.js";
import type { EfficiencyParams } from "../../spec/family-spec.js";
import { matrixEfficiencyFor } from "../../spec/matrix-efficiency.js";
import { DTYPE_BYTES, type DType } from "../../units/dtype.js";
import { convOutputSize } from "../../workload/op-metrics.js";
import type { Conv2dOp, Op } from "../../workload/op.js";
import type { Bound, CostContext, OpCost, Support } from "../contract.js";

/**
 * Helpers shared by the cost models: which engine runs a dtype, achievable rates and bandwidths,
 * the on-chip levels a model tiles into, energy, and the assembly of an {@link OpCost} from its
 * time parts. Pure arithmetic; nothing here allocates per tile candidate.
 */

export interface EngineRate {
  engine: "matrix" | "vector";
  /** Dense peak of that engine for the dtype, FLOP/s. */
  peak: number;
  /** Achievable fraction of `peak` on large, well-shaped work. */
  efficiency: number;
  /** Short explanation when a fallback was used. */
  note?: string;
}

/** Ops whose math is matrix-shaped (run on a matrix engine when the chip has one for the dtype). */
export function isMatrixOp(op: Op): boolean {
  if (op.kind === "gemm" || op.kind === "attention") return true;
  if (op.kind === "conv2d") return !isDepthwise(op);
  return false;
}

/** Depthwise (or any grouped conv with one input channel per group): no reduction to feed a matrix engine. */
export function isDepthwise(op: Op): boolean {
  return op.kind === "conv2d" && op.groups > 1 && op.c_in / op.groups === 1;
}

/**
 * Engine for matrix-shaped work in `dtype`: the matrix engine when it runs the dtype, else the
 * vector units when they do (e.g. an fp32 GEMM without TF32 runs on CUDA cores).
 */
export function matrixWorkEngine(chip: Chip, eff: EfficiencyParams, dtype: DType): EngineRate | undefined {
  const m = chip.matrix.peak_flops_per_s[dtype];
  if (m !== undefined && m > 0) return { engine: "matrix", peak: m, efficiency: matrixEfficiencyFor(eff, dtype) };
  const v = chip.vector.peak_flops_per_s[dtype];
  if (v !== undefined && v > 0) {
    return { engine: "vector", peak: v, efficiency: eff.vector_efficiency, note: `no ${dtype} matrix engine: runs on the vector units` };
  }
  return undefined;
}

/**
 * Vector-unit rate for element-wise work in `dtype`: its own vector peak, else the fp32 vector peak
 * (narrow dtypes are computed in fp32), else the matrix peak × vector_peak_fallback_ratio.
 */
export function vectorRate(chip: Chip, eff: EfficiencyParams, dtype: DType): EngineRate | undefined {
  const own = chip.vector.peak_flops_per_s[dtype];
  if (own !== undefined && own > 0) return { engine: "vector", peak: own, efficiency: eff.vector_efficiency };
  const compute: DType = dtype === "fp64" ? "fp64" : "fp32";
  const f32 = chip.vector.peak_flops_per_s[compute];
  if (f32 !== undefined && f32 > 0) return { engine: "vector", peak: f32, efficiency: eff.vector_efficiency };
  let best = 0;
  for (const v of Object.values(chip.matrix.peak_flops_per_s)) if (v !== undefined && v > best) best = v;
  const bf16 = chip.matrix.peak_flops_per_s.bf16 ?? chip.matrix.peak_flops_per_s.fp16 ?? best;
  if (bf16 > 0) {
    return {
      engine: "vector",
      peak: bf16 * eff.vector_peak_fallback_ratio,
      efficiency: eff.vector_efficiency,
      note: `no vector peak in the spec: assumed ${eff.vector_peak_fallback_ratio} × the matrix peak`,
    };
  }
  return undefined;
}

export function achievableMainBandwidth(chip: Chip, eff: EfficiencyParams): number {
  return (chip.memory.main.bandwidth_bytes_per_s ?? 0) * eff.main_memory_efficiency;
}

/** The largest chip-wide on-chip level (L2 / LLC / global SRAM), if any. */
export function lastLevelOnChip(chip: Chip): MemoryLevel | undefined {
  let best: MemoryLevel | undefined;
  for (const l of chip.memory.on_chip) if (l.scope === "chip" && (!best || l.capacity_bytes > best.capacity_bytes)) best = l;
  return best;
}

/** Total on-chip SRAM: chip-scope levels plus unit-scope levels × units. */
export function totalOnChipBytes(chip: Chip): number {
  let total = 0;
  for (const l of chip.memory.on_chip) total += l.scope === "unit" ? l.capacity_bytes * chip.compute_units : l.capacity_bytes;
  return total;
}

/** Clock for cycle-denominated parameters: the chip's, else the family's fallback (noted). */
export function clockHz(chip: Chip, eff: EfficiencyParams, notes?: string[]): number {
  if (chip.clock_hz !== undefined && chip.clock_hz > 0) return chip.clock_hz;
  notes?.push(`no clock in the spec: assumed the family's ${(eff.fallback_clock_hz / 1e9).toFixed(2)} GHz for cycle counts`);
  return eff.fallback_clock_hz;
}

/** Bytes of the accumulator element for a math dtype (fp32 for narrow floats, int32 for ints). */
export function accumulatorBytes(dtype: DType): number {
  return dtype === "fp64" ? 8 : 4;
}

export function dtypeBytes(dtype: DType): number {
  return DTYPE_BYTES[dtype];
}

/** Energy per matrix FLOP of a dtype; a missing dtype is scaled from bf16/fp16 by operand width (noted). */
export function matrixEnergyPj(eff: EfficiencyParams, dtype: DType): number {
  const own = eff.energy_pj_per_flop[dtype];
  if (own !== undefined) return own;
  const base = eff.energy_pj_per_flop.bf16 ?? eff.energy_pj_per_flop.fp16 ?? eff.energy_pj_per_vector_flop / 4;
  return (base * DTYPE_BYTES[dtype]) / 2;
}

export interface EnergyInputs {
  matrix_flops: number;
  vector_flops: number;
  dtype: DType;
  bytes_main: number;
  bytes_onchip: number;
}

/**
 * Dynamic energy (per FLOP and per byte by level) plus static power × time, never above TDP × time
 * (the chip's power limit caps what it can draw; formulas.md §8, energy-area.md §8).
 * Undefined when the chip has no TDP.
 */
export function energyJ(ctx: CostContext, e: EnergyInputs, time_s: number): number | undefined {
  const tdp = ctx.chip.power.tdp_w;
  if (tdp === undefined) return undefined;
  const p = ctx.efficiency;
  const dynamicPj =
    e.matrix_flops * matrixEnergyPj(p, e.dtype) +
    e.vector_flops * p.energy_pj_per_vector_flop +
    e.bytes_main * p.energy_pj_per_byte_main +
    e.bytes_onchip * p.energy_pj_per_byte_onchip;
  const total = dynamicPj * 1e-12 + tdp * p.static_power_fraction * time_s;
  return Math.min(total, tdp * time_s);
}

export interface CostParts {
  model: string;
  engine: "matrix" | "vector";
  flops: number;
  peak: number;
  compute_time_s: number;
  memory_time_s: number;
  /** Time of another bandwidth limit (an on-chip level) that overlaps with compute and main memory. */
  onchip_time_s?: number;
  overhead_time_s: number;
  /**
   * Busy time when the op runs as several kernels back to back (each overlapping its own compute and
   * memory): the sum of their max(compute, memory). Defaults to max(compute, memory, on-chip).
   */
  busy_time_s?: number;
  bytes_main: number;
  onchip_level?: string;
  bytes_onchip?: number;
  energy: Omit<EnergyInputs, "bytes_main" | "bytes_onchip">;
  notes: string[];
  /** The op's tensors exceed main-memory capacity. */
  capacity_exceeded?: boolean;
}

/**
 * time = max(compute, main memory, on-chip level) + overheads; in eager execution an op shorter than
 * the host dispatch interval takes the dispatch interval.
 */
export function assembleCost(ctx: CostContext, p: CostParts): OpCost {
  const busy = Math.max(p.busy_time_s ?? 0, p.compute_time_s, p.memory_time_s, p.onchip_time_s ?? 0);
  let overhead = p.overhead_time_s;
  let time = busy + overhead;
  if (ctx.execution === "eager") {
    const dispatch = ctx.efficiency.eager_dispatch_overhead_s;
    if (dispatch > time) {
      p.notes.push(`eager: host dispatch (${(dispatch * 1e6).toFixed(1)} µs) exceeds the kernel`);
      overhead += dispatch - time;
      time = dispatch;
    }
  }
  let bound: Bound;
  if (p.capacity_exceeded) bound = "capacity";
  else if (overhead > busy) bound = "overhead";
  else if (p.compute_time_s >= Math.max(p.memory_time_s, p.onchip_time_s ?? 0)) bound = "compute";
  else bound = "memory";
  const bytes_by_level: Record<string, number> = { main: p.bytes_main };
  if (p.onchip_level !== undefined && p.bytes_onchip !== undefined) bytes_by_level[p.onchip_level] = p.bytes_onchip;
  const achieved = time > 0 ? p.flops / time : 0;
  const cost: OpCost = {
    time_s: time,
    compute_time_s: p.compute_time_s,
    memory_time_s: p.memory_time_s,
    overhead_time_s: overhead,
    flops: p.flops,
    bytes_by_level,
    bytes: p.bytes_main,
    bound,
    achieved_flops_per_s: achieved,
    peak_flops_per_s: p.peak,
    utilization: p.peak > 0 ? achieved / p.peak : 0,
    engine: p.engine,
    model: p.model,
    notes: p.notes,
  };
  const e = energyJ(ctx, { ...p.energy, bytes_main: p.bytes_main, bytes_onchip: p.bytes_onchip ?? 0 }, time);
  if (e !== undefined) cost.energy_j = e;
  return cost;
}

export const ok: Support = { ok: true };
export const refuse = (reason: string): Support => ({ ok: false, reason });

export const COLLECTIVE_REASON = "collectives are priced by the network model (interconnect topology and algorithms), not by a single-chip cost model";

/**
 * The refusals every matrix-engine model shares: collectives (network model), vector work (vector
 * model) and depthwise convolutions (no reduction dimension for a matrix engine). Undefined when
 * the op is matrix work the model may go on to check.
 */
export function matrixWorkRefusal(op: Op): Support | undefined {
  if (op.kind === "collective") return refuse(COLLECTIVE_REASON);
  if (op.kind !== "gemm" && op.kind !== "conv2d" && op.kind !== "attention") return refuse(`${op.kind} is vector work: priced by the vector model`);
  if (op.kind === "conv2d" && isDepthwise(op)) return refuse("depthwise convolution runs on the vector units (no reduction dimension for a matrix engine)");
  return undefined;
}

/** Formats a fraction as a whole percentage for notes. */
export const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** Main-memory capacity check for one op's compulsory tensors. */
export function exceedsCapacity(chip: Chip, bytes: number): boolean {
  return bytes > chip.memory.main.capacity_bytes;
}

/** Output height and width of a convolution. */
export function convOutHW(op: Conv2dOp): { ho: number; wo: number } {
  return { ho: convOutputSize(op.h, op.kh, op.stride, op.padding), wo: convOutputSize(op.w, op.kw, op.stride, op.padding) };
}
