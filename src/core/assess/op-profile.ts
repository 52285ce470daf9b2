import type { CostContext, OpCost } from "../cost/contract.js";
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
import { opInputBytes } from "./op-io-bytes.js";
import { unsupportedRuleFor } from "./op-support.js";

/**
 * Where each op of the workload runs on a chip (the flexibility factor, and the memory factor's
 * bandwidth demand). The unsharded graph (an inference prefill plus the decode steps, or a training
 * forward pass — backward ops have the same kinds and dtypes) is walked in execution order, in the
 * precision the chip executes (execution-precision.ts widens a dtype it lacks). Each op is:
 *   - unsupported by the chip's toolchain (`chip.support`, sourced): on the host CPU, or impossible;
 *   - else priced by the cost-model registry on the chip's matrix or vector units;
 *   - else (the registry refuses: no engine for its dtype, no cost model) on the host CPU.
 * A host op takes max(flops / host peak, bytes / host memory bandwidth) (a roofline on the host
 * chip's catalog figures). Data crosses the chip's host link where the placement changes, in
 * execution order: entering a host segment its first op's input activations, leaving it the last
 * op's output activations (op-io-bytes.ts), each / the link's bandwidth per direction. The graph's own
 * input and output are not charged (every accelerator pays them). With a `single-cut` partition (the
 * Edge TPU compiler) everything from the first unsupported op on runs on the host. A lower bound on
 * the fallback cost (no launch or synchronisation overheads); with no host link or no host figures the
 * fallback time is unknown; an `impossible` op means the workload cannot run on the chip.
 */
export interface FallbackOp {
  op: string;
  kind: string;
  reason: string;
  /** Host time for all its executions (transfer + host compute), s; null when it cannot be timed. */
  time_s: number | null;
  transfer_s: number | null;
}

/** An op with no native kernel and no host path: the workload cannot run on the chip. */
export interface ImpossibleOp {
  op: string;
  kind: string;
  reason: string;
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
  /** Host time of every fallback op (compute + transfer); null when one cannot be timed. */
  time_s_host: number | null;
  /** Of which: host-link transfers; null when the chip has no host-link figure and something crosses. */
  time_s_transfer: number | null;
  /** Main-memory bytes of the ops that run on the chip. */
  bytes_native: number;
  fallback: FallbackOp[];
  /** Ops that cannot run anywhere (`support` rules with `fallback: impossible`). */
  impossible: ImpossibleOp[];
  /** The op where a single-cut partition sends the rest of the graph to the host. */
  cut?: { op: string; kind: string };
  /** Ops priced by each cost model id (executions). */
  models_used: Record<string, number>;
  /** Set when the chip lacks the requested math dtype and runs a wider one. */
  dtype_fallback?: { requested: DType; executed: DType };
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


type Place = "matrix" | "vector" | "host" | "impossible";

/** One op of a block as the chip would run it on its own (before any single-cut). */
interface Planned {
  op: Op;
  key: string;
  place: Place;
  reason: string;
  cost?: OpCost;
  model?: string;
}

const onHostSide = (p: Place): boolean => p === "host" || p === "impossible";

/** Host roofline time of one execution: max(flops / host peak, bytes / host memory bandwidth); null without host figures. */
function hostComputeTime(op: Op, host: Chip | undefined): number | null {
  const dtype = "dtype" in op ? (op.dtype as DType) : "fp32";
  const peak = host ? (host.matrix.peak_flops_per_s[dtype] ?? host.vector.peak_flops_per_s[dtype] ?? host.vector.peak_flops_per_s.fp32 ?? host.matrix.peak_flops_per_s.fp32) : undefined;
  const bw = host?.memory.main.bandwidth_bytes_per_s;
  if (peak === undefined || bw === undefined) return null;
  return Math.max(opFlops(op) / peak, opMinBytes(op) / bw);
}

function planOp(op: Op, block: string, ctx: CostContext): Planned {
  const key = `${block}/${op.name}`;
  const hit = unsupportedRuleFor(ctx.chip.support, op);
  if (hit) return { op, key, place: hit.rule.fallback === "impossible" ? "impossible" : "host", reason: `${hit.selector}: ${hit.rule.reason}` };
  try {
    const { cost, model } = estimateOp(op, ctx.chip, ctx.efficiency, ctx.execution ? { execution: ctx.execution } : {});
    return { op, key, place: cost.engine === "vector" ? "vector" : "matrix", reason: "", cost, model };
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    return { op, key, place: "host", reason: e.diagnostics.map((d) => d.message + (d.hint ? ` (${d.hint})` : "")).join("; ") };
  }
}

/** Accumulates placements and transfers into the profile. */
class ProfileBuilder {
  private readonly records = new Map<string, FallbackOp & { compute: number | null }>();
  private transferUnknown = false;
  constructor(
    readonly p: OpProfile,
    private readonly chip: Chip,
    private readonly host: Chip | undefined,
  ) {}

  /** `n` executions of `x` at `place` (host: the op's own place, or the host after a single cut). */
  run(x: Planned, place: Place, n: number, reason = x.reason): void {
    if (n <= 0) return;
    if (place === "matrix" || place === "vector") {
      const c = x.cost!;
      this.p.models_used[x.model!] = (this.p.models_used[x.model!] ?? 0) + n;
      this.p.bytes_native += c.bytes * n;
      if (place === "vector") (this.p.time_s_vector += c.time_s * n), (this.p.flops_vector += c.flops * n);
      else (this.p.time_s_matrix += c.time_s * n), (this.p.flops_matrix += c.flops * n);
      return;
    }
    if (place === "impossible") {
      if (!this.p.impossible.some((i) => i.op === x.op.name && i.kind === x.op.kind)) this.p.impossible.push({ op: x.op.name, kind: x.op.kind, reason });
      return;
    }
    const r = this.record(x, reason);
    const t = hostComputeTime(x.op, this.host);
    r.compute = r.compute === null || t === null ? null : r.compute + t * n;
    this.p.flops_host += opFlops(x.op) * n;
  }

  /** Data crossing the host link between consecutive ops `a` → `b` (each at its place), `n` times: `b`'s input activations, charged to the host-side op. */
  cross(a: Planned | undefined, aPlace: Place, b: Planned, bPlace: Place, n: number): void {
    if (!a || n <= 0 || onHostSide(aPlace) === onHostSide(bPlace)) return;
    const [onHost, hostPlace] = onHostSide(bPlace) ? [b, bPlace] : [a, aPlace];
    if (hostPlace === "impossible") return;
    const link = this.chip.interconnect.host?.bandwidth_per_direction_bytes_per_s;
    const r = this.record(onHost, onHost.reason);
    if (link === undefined) {
      this.transferUnknown = true;
      r.transfer_s = null;
      return;
    }
    if (r.transfer_s !== null) r.transfer_s += (opInputBytes(b.op) / link) * n;
  }

  private record(x: Planned, reason: string): FallbackOp & { compute: number | null } {
    let r = this.records.get(x.key);
    if (!r) {
      r = { op: x.op.name, kind: x.op.kind, reason: reason || x.reason, time_s: 0, transfer_s: 0, compute: 0 };
      this.records.set(x.key, r);
    }
    return r;
  }

  finish(): OpProfile {
    let host: number | null = 0;
    let transfer: number | null = this.transferUnknown ? null : 0;
    for (const r of this.records.values()) {
      r.time_s = r.compute === null || r.transfer_s === null ? null : r.compute + r.transfer_s;
      host = host === null || r.time_s === null ? null : host + r.time_s;
      if (transfer !== null && r.transfer_s !== null) transfer += r.transfer_s;
      const { compute: _c, ...f } = r;
      this.p.fallback.push(f);
    }
    this.p.time_s_host = this.p.impossible.length ? null : host;
    this.p.time_s_transfer = transfer;
    return this.p;
  }
}

/** One run of a graph, `times` over: each op at its own place, or (single-cut) the host from the cut on. */
function walkGraph(graph: WorkloadGraph, times: number, ctx: CostContext, b: ProfileBuilder): void {
  const cut: CutState = { singleCut: ctx.chip.support.partition === "single-cut", seenNative: false };
  let prev: { x: Planned; place: Place } | undefined;
  for (const block of graph.blocks) {
    const plans = block.ops.map((op) => planOp(op, block.name, ctx));
    b.p.ops += plans.length;
    if (!plans.length) continue;
    const places = placesPerRep(plans, block.repeat, cut, b);
    // Each distinct placement pattern: how many reps use it (× times), transfers inside and from the previous rep.
    places.forEach(({ places: pl, reps }) => {
      const n = reps * times;
      plans.forEach((x, j) => b.run(x, pl[j]!.place, n, pl[j]!.reason));
      b.cross(prev?.x, prev?.place ?? "matrix", plans[0]!, pl[0]!.place, times);
      if (reps > 1) b.cross(plans[plans.length - 1], pl[pl.length - 1]!.place, plans[0]!, pl[0]!.place, (reps - 1) * times);
      for (let j = 1; j < plans.length; j++) b.cross(plans[j - 1], pl[j - 1]!.place, plans[j]!, pl[j]!.place, n);
      prev = { x: plans[plans.length - 1]!, place: pl[pl.length - 1]!.place };
    });
  }
}

interface CutState {
  singleCut: boolean;
  /** A native op has run in this graph run: a host op now is a cut, not host pre-processing. */
  seenNative: boolean;
  at?: Planned;
}

type RepPlaces = { places: { place: Place; reason: string }[]; reps: number };

/**
 * The placement of a block's ops per repetition: one pattern for every rep with per-op partitioning;
 * with a single cut, up to three (the reps before the cut, the rep holding it, the reps after).
 * Unsupported ops before any native op of the graph are host pre-processing (their output is the
 * compiled model's input), so the cut is the first unsupported op after a native one.
 */
function placesPerRep(plans: Planned[], repeat: number, cut: CutState, b: ProfileBuilder): RepPlaces[] {
  const own = plans.map((x) => ({ place: x.place, reason: x.reason }));
  if (!cut.singleCut) return [{ places: own, reps: repeat }];
  const after = (): string => `after the single cut at ${cut.at!.op.kind} "${cut.at!.op.name}": the toolchain runs the rest of the graph on the host`;
  const allHost = (): RepPlaces["places"] => plans.map((x) => (onHostSide(x.place) ? { place: x.place, reason: x.reason } : { place: "host" as Place, reason: after() }));
  if (cut.at) return [{ places: allHost(), reps: repeat }];
  const out: RepPlaces[] = [];
  for (let rep = 0; rep < repeat && !cut.at; rep++) {
    const i = plans.findIndex((x) => {
      if (!onHostSide(x.place)) cut.seenNative = true;
      return onHostSide(x.place) && cut.seenNative;
    });
    if (i < 0) {
      // No cut in this rep: with no host op, or only leading ones to the last rep, every rep is the same.
      if (plans.some((x) => onHostSide(x.place)) && rep < repeat - 1) continue;
      return [{ places: own, reps: repeat }];
    }
    cut.at = plans[i]!;
    b.p.cut = { op: cut.at.op.name, kind: cut.at.op.kind };
    if (rep > 0) out.push({ places: own, reps: rep });
    out.push({ places: plans.map((x, j) => (j < i ? own[j]! : onHostSide(x.place) ? own[j]! : { place: "host" as Place, reason: after() })), reps: 1 });
    if (repeat - rep - 1 > 0) out.push({ places: allHost(), reps: repeat - rep - 1 });
  }
  return out;
}

export function profileOps(mode: AssessMode, ctx: CostContext, model: ModelSpec, w: AssessWorkload, requested: Precision, host: Chip | undefined, microbatch = 1): OpProfile {
  const exec = resolveExecutionPrecision(ctx.chip, requested);
  const { runs, scope } = graphsOf(mode, model, w, exec.precision, microbatch);
  const p: OpProfile = { scope, ops: 0, time_s_matrix: 0, time_s_vector: 0, flops_matrix: 0, flops_vector: 0, flops_host: 0, time_s_host: 0, time_s_transfer: 0, bytes_native: 0, fallback: [], impossible: [], models_used: {} };
  if (exec.fallback) p.dtype_fallback = exec.fallback;
  const b = new ProfileBuilder(p, ctx.chip, host);
  for (const { graph, times } of runs) walkGraph(graph, times, ctx, b);
  return b.finish();
}
