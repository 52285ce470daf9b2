/**
 * Time, algorithm bandwidth and bus bandwidth of one collective on a system, reported the way
 * nccl-tests reports them (algbw = S / t, busbw = algbw × factor(op, n); NVIDIA/nccl-tests
 * doc/PERFORMANCE.md). `estimateCollective` places `ranks` consecutive chips; the placement-aware
 * variant takes any {@link Placement}. Bad input (unknown op, non-positive bytes, ranks that do not
 * fit) is an XpusimError, never NaN.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { AlgorithmName } from "../spec/collective-library-spec.js";
import type { CollectiveKind, MoeRouting } from "../workload/op.js";
import type { System } from "./build-system.js";
import { busBandwidthFactor } from "./collectives.js";
import { DEFAULT_TOP_K, type ExpertParallelMode, expertParallelMode, expertParallelTime } from "./expert-parallel-comm.js";
import { type Fabric, fabricFor } from "./fabric.js";
import { checkPlacement, type Placement, placeRanks } from "./placement.js";
import { type Evaluated, type SelectOptions, selectAlgorithm } from "./select-algorithm.js";

export const COLLECTIVE_KINDS: readonly CollectiveKind[] = ["all_reduce", "reduce_scatter", "all_gather", "all_to_all", "broadcast", "send_recv", "ep_dispatch", "ep_combine"];

const isExpertParallel = (op: CollectiveKind): boolean => op === "ep_dispatch" || op === "ep_combine";

export interface CollectiveCost {
  op: CollectiveKind;
  /** Message size as nccl-tests defines it for this op. */
  bytes: number;
  ranks: number;
  time_s: number;
  algbw_bytes_per_s: number;
  busbw_bytes_per_s: number;
  algorithm: AlgorithmName | "none";
  protocol: string;
  /** "overhead" when the latency part is at least the bandwidth part. */
  bound: "network" | "overhead";
  /** Protocol steps on the critical path. */
  steps: number;
  latency_s: number;
  transfer_s: number;
  placement: Placement;
  why: string;
  /** The best protocol of every applicable algorithm, fastest first. */
  candidates: Array<Pick<Evaluated, "algorithm" | "protocol" | "time_s">>;
  notes: string[];
}

export interface CollectiveOptions extends SelectOptions {
  /** Place every `stride`-th chip (1 = consecutive; ranks per node = one rank per node). */
  stride?: number;
  /** ep_dispatch / ep_combine: tokens per rank and experts per token (top_k 8 and the normal mode when absent). */
  moe?: Partial<MoeRouting>;
  /** ep_dispatch / ep_combine: force the kernel mode (default: low-latency up to the library's token limit). */
  ep_mode?: ExpertParallelMode;
}

function checkInputs(op: CollectiveKind, bytes: number): void {
  if (!COLLECTIVE_KINDS.includes(op)) {
    throw new XpusimError(error("E_SCHEMA", "op", `unknown collective "${String(op)}"`, { expected: `one of ${COLLECTIVE_KINDS.join(", ")}` }));
  }
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes <= 0) {
    throw new XpusimError(error("E_RANGE", "bytes", `message size must be a positive number of bytes, got ${String(bytes)}`, { hint: 'e.g. 1048576 or "1MiB" on the command line' }));
  }
}

/** A collective over `ranks` consecutive chips of the system (or every `opts.stride`-th chip). */
export function estimateCollective(system: System, op: CollectiveKind, bytes: number, ranks: number, opts: CollectiveOptions = {}): CollectiveCost {
  checkInputs(op, bytes);
  return estimateCollectiveOnPlacement(system, op, bytes, placeRanks(system, ranks, opts.stride ?? 1), opts);
}

/** A collective over an explicit placement (ranks per scale-up domain, domains, torus slice). */
export function estimateCollectiveOnPlacement(system: System, op: CollectiveKind, bytes: number, placement: Placement, opts: CollectiveOptions = {}): CollectiveCost {
  checkInputs(op, bytes);
  checkPlacement(system, placement);
  const n = placement.ranks;
  const notes: string[] = [];
  if (n === 1) {
    return {
      op,
      bytes,
      ranks: 1,
      time_s: 0,
      algbw_bytes_per_s: 0,
      busbw_bytes_per_s: 0,
      algorithm: "none",
      protocol: "none",
      bound: "overhead",
      steps: 0,
      latency_s: 0,
      transfer_s: 0,
      placement,
      why: "a single rank has nothing to communicate",
      candidates: [],
      notes: ["one rank: no communication (time 0, bandwidths reported as 0)"],
    };
  }
  const fabric = fabricFor(system, placement);
  const forced = opts.algorithm !== undefined && opts.algorithm !== "auto";
  // DeepEP-style kernels need a full peer-to-peer scale-up fabric (NVLink), not a torus or PCIe alone.
  const epKernels = system.library.expert_parallel && !fabric.torus && system.scale_up.topology !== "none";
  if (isExpertParallel(op) && epKernels && !forced && !opts.protocol) {
    return expertParallelCost(system, op, bytes, placement, fabric, opts);
  }
  if (isExpertParallel(op)) notes.push(`no expert-parallel kernels for ${system.library.id} here: ${op} priced as an all-to-all`);
  const sel = selectAlgorithm(system, op, bytes, fabric, opts);
  const c = sel.chosen;
  const algbw = bytes / c.time_s;
  if (placement.domains > 1) {
    notes.push(`${placement.domains} scale-up domains of ${placement.ranks_per_domain} ranks over ${system.scale_out?.name ?? "the scale-out network"}`);
  }
  if (placement.idle_chips_per_domain) notes.push(`stride does not divide the scale-up domain: ${placement.idle_chips_per_domain} chips of each domain left idle`);
  if (placement.oversubscribed) notes.push(`scale-out oversubscribed ${system.scale_out!.oversubscription}:1 beyond ${system.scale_out!.nodes_per_leaf ?? 1} nodes per leaf`);
  if (placement.torus_shape && placement.torus_wrap) {
    const open = placement.torus_shape.map((len, i) => (len > 1 && !placement.torus_wrap![i] ? i : -1)).filter((i) => i >= 0);
    notes.push(`torus slice ${placement.torus_shape.join("×")}${open.length ? `, no wraparound on axis ${open.join(", ")} (about twice the time on it)` : ", wraparound on every axis"}`);
  }
  if (c.algorithm === "nvls" || c.algorithm === "nvls_tree") notes.push("with in-network reduction neither algbw nor busbw is the bandwidth on the wire (nccl-tests#212)");
  if (c.algorithm === "tree" && placement.domains === 2) notes.push("tree on two domains puts S per node on the network: busbw may exceed the NIC rate (nccl#946)");
  return {
    op,
    bytes,
    ranks: n,
    time_s: c.time_s,
    algbw_bytes_per_s: algbw,
    busbw_bytes_per_s: algbw * busBandwidthFactor(op, n),
    algorithm: c.algorithm,
    protocol: c.protocol,
    bound: c.latency_s >= c.transfer_s ? "overhead" : "network",
    steps: c.steps,
    latency_s: c.latency_s,
    transfer_s: c.transfer_s,
    placement,
    why: sel.why,
    candidates: sel.candidates.map((e) => ({ algorithm: e.algorithm, protocol: e.protocol, time_s: e.time_s })),
    notes,
  };
}

/** A MoE dispatch / combine with the library's expert-parallel kernels (expert-parallel-comm.ts). */
function expertParallelCost(system: System, op: CollectiveKind, bytes: number, placement: Placement, fabric: Fabric, opts: CollectiveOptions): CollectiveCost {
  const kernels = system.library.expert_parallel!;
  const topK = opts.moe?.top_k ?? DEFAULT_TOP_K;
  const mode = opts.ep_mode ?? expertParallelMode(kernels, opts.moe?.tokens);
  const t = expertParallelTime(bytes, fabric, kernels, topK, mode);
  const notes = [`${kernels.name} ${mode === "normal" ? "normal" : "low-latency"} kernels: ${(t.network_bytes / 1e6).toPrecision(3)} MB over the network, ${(t.scale_up_bytes / 1e6).toPrecision(3)} MB over the scale-up fabric per rank`];
  if (opts.moe?.top_k === undefined) notes.push(`top_k not given: ${DEFAULT_TOP_K} experts per token assumed`);
  const algbw = bytes / t.time_s;
  return {
    op,
    bytes,
    ranks: placement.ranks,
    time_s: t.time_s,
    algbw_bytes_per_s: algbw,
    busbw_bytes_per_s: algbw * busBandwidthFactor(op, placement.ranks),
    algorithm: mode === "normal" ? "hierarchical" : "direct",
    protocol: `${kernels.name} ${mode === "normal" ? "normal" : "low-latency"}`,
    bound: t.latency_s >= t.transfer_s ? "overhead" : "network",
    steps: 1,
    latency_s: t.latency_s,
    transfer_s: t.transfer_s,
    placement,
    why: `${t.formula}; ${t.network_bytes / fabric.net_rank_bytes_per_s >= t.scale_up_bytes / fabric.up_bytes_per_s ? "network" : "scale-up fabric"}-bound`,
    candidates: [{ algorithm: mode === "normal" ? "hierarchical" : "direct", protocol: mode, time_s: t.time_s }],
    notes,
  };
}
