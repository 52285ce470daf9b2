import type { CostContext } from "../cost/contract.js";
import { estimateOp } from "../cost/registry.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import { resolveExecutionPrecision } from "../estimate/execution-precision.js";
import type { Chip } from "../hardware/chip.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { DType } from "../units/dtype.js";
import { buildWorkload, type WorkloadShape } from "../workload/build-workload.js";
import type { Op, WorkloadGraph } from "../workload/op.js";
import { opFlops, opMinBytes } from "../workload/op-metrics.js";
import type { Precision } from "../workload/precision.js";
import type { AssessMode, AssessWorkload } from "./factor.js";

/**
 * Where each op of the workload runs on a chip (the flexibility factor, and the memory factor's
 * bandwidth demand): the cost-model registry prices every op of the unsharded graph (an inference
 * prefill plus the decode steps, or a training forward pass — backward ops have the same kinds and
 * dtypes) in the precision the chip executes (execution-precision.ts widens a dtype it lacks). An op
 * the registry refuses (no cost model, no engine for its dtype) falls back to the host CPU:
 *   t_fallback = bytes / host-link bandwidth per direction (the op's compulsory bytes cross the link)
 *              + max(flops / host peak, bytes / host memory bandwidth)   (a roofline on the host)
 * — a lower bound on the fallback cost, from the host chip's and the link's catalog figures. With no
 * host link or no host figures the op is impossible on this chip (time unknown).
 */
export interface FallbackOp {
  op: string;
  kind: string;
  reason: string;
  /** Host time for all its executions (transfer + host compute), s; null when it cannot run at all. */
  time_s: number | null;
  transfer_s: number | null;
}

export interface OpProfile {
  /** What was profiled, in words. */
  scope: string;
  ops: number;
  time_s_matrix: number;
  time_s_vector: number;
  flops_matrix: number;
  flops_vector: number;
  flops_host: number;
  /** Host time of every fallback op; null when one cannot run anywhere. */
  time_s_host: number | null;
  /** Main-memory bytes of the ops that run on the chip. */
  bytes_native: number;
  fallback: FallbackOp[];
  /** Ops priced by each cost model id (executions). */
  models_used: Record<string, number>;
  /** Set when the chip lacks the requested math dtype and runs a wider one. */
  dtype_fallback?: { requested: DType; executed: DType };
}

export interface HostCpu {
  chip: Chip;
}

interface GraphRun {
  graph: WorkloadGraph;
  /** How many times the whole graph runs (decode steps). */
  times: number;
}

/** The graphs the profile prices for the mode and workload. */
function graphsOf(mode: AssessMode, model: ModelSpec, w: AssessWorkload, precision: Precision, microbatch: number): { runs: GraphRun[]; scope: string } {
  const image = w.image_size !== undefined ? { image_size: w.image_size } : {};
  if (mode === "training") {
    const seq = w.seq_len ?? 1;
    const shape: WorkloadShape = { batch: microbatch, new_tokens: seq, context_tokens: seq, phase: "forward", training: true, ...image };
    return { runs: [{ graph: buildWorkload(model, shape, precision), times: 1 }], scope: `training forward pass, micro-batch ${microbatch}` };
  }
  const input = w.input_tokens ?? 1;
  const prefill: WorkloadShape = { batch: w.batch, new_tokens: input, context_tokens: input, phase: "prefill", lm_head_tokens: "last", ...image };
  const runs: GraphRun[] = [{ graph: buildWorkload(model, prefill, precision), times: 1 }];
  const out = w.output_tokens ?? 0;
  if (w.unit === "token" && out > 0) {
    const mid = input + Math.ceil(out / 2);
    runs.push({ graph: buildWorkload(model, { batch: w.batch, new_tokens: 1, context_tokens: mid, phase: "decode", lm_head_tokens: "last" }, precision), times: out });
  }
  return { runs, scope: out > 0 && w.unit === "token" ? `prefill of ${input} tokens + ${out} decode steps (at the mean context), batch ${w.batch}` : `one forward pass, batch ${w.batch}` };
}

/** Host roofline time of an op: its compulsory bytes over the host link, then the host's own roofline. */
function hostTime(op: Op, chip: Chip, host: Chip | undefined): { time_s: number | null; transfer_s: number | null } {
  const link = chip.interconnect.host?.bandwidth_per_direction_bytes_per_s;
  const bytes = opMinBytes(op);
  const flops = opFlops(op);
  const dtype = "dtype" in op ? (op.dtype as DType) : "fp32";
  const peak = host ? (host.matrix.peak_flops_per_s[dtype] ?? host.vector.peak_flops_per_s[dtype] ?? host.vector.peak_flops_per_s.fp32 ?? host.matrix.peak_flops_per_s.fp32) : undefined;
  const hostBw = host?.memory.main.bandwidth_bytes_per_s;
  if (link === undefined || peak === undefined || hostBw === undefined) return { time_s: null, transfer_s: link === undefined ? null : bytes / link };
  const transfer = bytes / link;
  return { time_s: transfer + Math.max(flops / peak, bytes / hostBw), transfer_s: transfer };
}

export function profileOps(mode: AssessMode, ctx: CostContext, model: ModelSpec, w: AssessWorkload, requested: Precision, host: Chip | undefined, microbatch = 1): OpProfile {
  const exec = resolveExecutionPrecision(ctx.chip, requested);
  const { runs, scope } = graphsOf(mode, model, w, exec.precision, microbatch);
  const p: OpProfile = { scope, ops: 0, time_s_matrix: 0, time_s_vector: 0, flops_matrix: 0, flops_vector: 0, flops_host: 0, time_s_host: 0, bytes_native: 0, fallback: [], models_used: {} };
  if (exec.fallback) p.dtype_fallback = exec.fallback;
  for (const { graph, times } of runs) {
    for (const block of graph.blocks) {
      const n = block.repeat * times;
      for (const op of block.ops) {
        p.ops += 1;
        priceOp(op, n, ctx, host, p);
      }
    }
  }
  return p;
}

function priceOp(op: Op, n: number, ctx: CostContext, host: Chip | undefined, p: OpProfile): void {
  try {
    const { cost, model } = estimateOp(op, ctx.chip, ctx.efficiency, ctx.execution ? { execution: ctx.execution } : {});
    p.models_used[model] = (p.models_used[model] ?? 0) + n;
    p.bytes_native += cost.bytes * n;
    if (cost.engine === "vector") {
      p.time_s_vector += cost.time_s * n;
      p.flops_vector += cost.flops * n;
    } else {
      p.time_s_matrix += cost.time_s * n;
      p.flops_matrix += cost.flops * n;
    }
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    const h = hostTime(op, ctx.chip, host);
    const reason = e.diagnostics.map((d) => d.message + (d.hint ? ` (${d.hint})` : "")).join("; ");
    const time = h.time_s === null ? null : h.time_s * n;
    p.fallback.push({ op: op.name, kind: op.kind, reason, time_s: time, transfer_s: h.transfer_s === null ? null : h.transfer_s * n });
    p.flops_host += opFlops(op) * n;
    p.time_s_host = p.time_s_host === null || time === null ? null : p.time_s_host + time;
  }
}
