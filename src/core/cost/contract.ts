import type { Chip } from "../hardware/chip.js";
import type { EfficiencyParams } from "../spec/family-spec.js";
import type { Op, OpKind } from "../workload/op.js";

export type { EfficiencyParams } from "../spec/family-spec.js";

/**
 * The one contract every cost model implements. A cost model answers "how long does this op take
 * on this chip, and what bounds it"; several fidelities (roofline, tile-level analytic, cycle-level)
 * answer the same question and the registry picks the best that supports the op.
 */

/** What limits an op: the resource whose time dominates. */
export type Bound = "compute" | "memory" | "capacity" | "overhead" | "network";

export interface OpCost {
  /**
   * Wall time of one execution of the op (not multiplied by a block's repeat): max(compute, memory,
   * on-chip traffic) + overhead for one kernel; an op run as several kernels (unfused attention) adds
   * each kernel's max. In eager execution it is at least the host dispatch time.
   */
  time_s: number;
  /** Time the math alone would take at the achievable matrix/vector rate. */
  compute_time_s: number;
  /** Time the main-memory traffic alone would take at the achievable bandwidth. */
  memory_time_s: number;
  /** Launch / dispatch / synchronisation time not overlapped with work. */
  overhead_time_s: number;
  flops: number;
  /** Bytes moved per memory level, keyed by level name ("main", "L2", ...). */
  bytes_by_level: Record<string, number>;
  /** Main-memory bytes (read + written); equals bytes_by_level.main. */
  bytes: number;
  bound: Bound;
  /** flops / time_s. */
  achieved_flops_per_s: number;
  /** Dense peak of the engine and dtype that ran the op. */
  peak_flops_per_s: number;
  /** achieved / peak, in [0, 1]. */
  utilization: number;
  /** Energy of one execution, J (dynamic + static share); undefined when the chip has no power data. */
  energy_j?: number;
  /** Which engine ran it. */
  engine: "matrix" | "vector" | "network";
  /** Id of the cost model that produced this answer. */
  model: string;
  /** Short explanations (tile chosen, waves, fill/drain...). */
  notes?: string[];
}

export type Support = { ok: true } | { ok: false; reason: string };

export interface CostModelInfo {
  id: string;
  /** Higher is more detailed; the registry prefers higher fidelity. */
  fidelity: number;
  description: string;
  /** Typical error against measurements, as documented (e.g. "~10% on large GEMMs"). */
  accuracy: string;
  /** Op kinds this model can price at all (per-chip support is decided by `supports`). */
  op_kinds: readonly OpKind[];
}

export interface CostModel extends CostModelInfo {
  supports(op: Op, chip: Chip): Support;
  estimate(op: Op, ctx: CostContext): OpCost;
}

/**
 * How ops are issued. "graph": captured/compiled (CUDA graphs, XLA, TensorRT, vendor graph
 * compilers): each op pays the device-side launch gap only. "eager": a framework dispatches op by
 * op from the host (PyTorch eager); an op shorter than the host dispatch time leaves the chip idle.
 * "stream": a native runtime launches kernel after kernel on a stream without capturing a graph
 * (TensorRT / TensorRT-LLM C++ runtime with CUDA graphs off, FasterTransformer): the host keeps
 * ahead of the device, but every kernel pays the uncaptured launch gap (stream_launch_overhead_s)
 * instead of the captured one (kernel_launch_overhead_s).
 */
export type ExecutionMode = "graph" | "eager" | "stream";

/**
 * The kernel a decode step (one new token per sequence) runs its attention with.
 * "packed" (default): tensor-core kernels that pack the query heads of a GQA group as the rows of one
 * block, so each K/V read serves the whole group (Flash-Decoding, FlashInfer, TensorRT-LLM XQA).
 * "per_head": the masked multi-head attention kernel of FasterTransformer and TensorRT-LLM before XQA
 * (v0.8): one thread block per (sequence, query head), q·k and p·v as fp32 dot products on the CUDA
 * cores; the query heads of a GQA group each stream their shared K/V (main memory once, L2 per head),
 * so its math grows with the group size while its bytes do not.
 */
export type DecodeAttentionKernel = "packed" | "per_head";

/** What a cost model may read besides the op: the chip and its resolved efficiency parameters. */
export interface CostContext {
  chip: Chip;
  /** Efficiency parameters of the chip's family merged with its overrides (src/core/spec/family-spec.ts). */
  efficiency: EfficiencyParams;
  /** Default "graph". */
  execution?: ExecutionMode;
  /** Default "packed". */
  decode_attention?: DecodeAttentionKernel;
}
