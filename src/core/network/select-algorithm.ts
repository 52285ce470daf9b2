/**
 * NCCL-like choice of (algorithm, protocol) for one collective: every algorithm the library
 * implements that applies to this op and placement is costed with every protocol, and the fastest
 * wins — the way NCCL's tuner predicts `latency + bytes / bandwidth` per (algorithm, protocol) and
 * takes the minimum (NVIDIA/nccl src/graph/tuning.cc). Point-to-point ops (all-to-all, send/recv)
 * always run as direct exchanges. The result says what was chosen and why.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { ALGORITHMS, type AlgorithmName } from "../spec/collective-algorithms.js";
import type { CollectiveKind } from "../workload/op.js";
import type { Protocol, System } from "./build-system.js";
import { collectiveTerms, type CostTerms } from "./collectives.js";
import type { Fabric } from "./fabric.js";

export interface Evaluated {
  algorithm: AlgorithmName;
  protocol: string;
  time_s: number;
  /** Latency part (launch, base, per-step, fixed). */
  latency_s: number;
  /** Bandwidth part at this protocol's bandwidth. */
  transfer_s: number;
  steps: number;
  formula: string;
}

export interface Selection {
  chosen: Evaluated;
  /** The best protocol of every applicable algorithm, fastest first. */
  candidates: Evaluated[];
  /** Algorithms considered but not applicable here, with the reason. */
  rejected: Array<{ algorithm: AlgorithmName; reason: string }>;
  why: string;
}

export interface SelectOptions {
  /** Force one algorithm ("auto" or undefined: choose). */
  algorithm?: AlgorithmName | "auto";
  /** Force one protocol by name (LL, Simple, …). */
  protocol?: string;
}

/** Time of one algorithm with one protocol: launch + base + steps × max(protocol step, link latency) + transfer / fraction. */
export function timeWith(t: CostTerms, p: Protocol, system: System, f: Fabric): Evaluated {
  const lib = system.library;
  const base = t.path === "in-network" ? (lib.in_network_base_latency_s ?? p.base_latency_s) : p.base_latency_s;
  const latency_s =
    lib.launch_overhead_s +
    base +
    t.hops_intra * Math.max(p.hop_latency_intra_s, f.latency_up_s) +
    t.hops_inter * Math.max(p.hop_latency_inter_s, f.latency_out_s) +
    t.fixed_latency_s;
  const transfer_s = t.transfer_s / p.bandwidth_fraction;
  return {
    algorithm: t.algorithm,
    protocol: p.name,
    time_s: latency_s + transfer_s,
    latency_s,
    transfer_s,
    steps: t.hops_intra + t.hops_inter,
    formula: t.formula,
  };
}

/** Algorithms the library would consider for this op (p2p ops always include direct). */
export function candidateAlgorithms(system: System, op: CollectiveKind): AlgorithmName[] {
  const list = new Set<AlgorithmName>(system.library.algorithms);
  if (op === "all_to_all" || op === "send_recv" || op === "ep_dispatch" || op === "ep_combine") list.add("direct");
  if (system.scale_up.topology === "torus" && op !== "send_recv") list.add("torus");
  return ALGORITHMS.filter((a) => list.has(a));
}

/** The library's protocols this system can run (LL128 needs a scale-up fabric such as NVLink, not PCIe alone). */
export function usableProtocols(system: System): Protocol[] {
  const list = system.library.protocols.filter((p) => !p.requires_scale_up_fabric || system.scale_up.topology !== "none");
  return list.length > 0 ? list : system.library.protocols;
}

function fmtT(s: number): string {
  if (s >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${(s * 1e6).toPrecision(3)} µs`;
}

export function selectAlgorithm(system: System, op: CollectiveKind, bytes: number, f: Fabric, opts: SelectOptions = {}): Selection {
  const forced = opts.algorithm && opts.algorithm !== "auto" ? opts.algorithm : undefined;
  if (forced && !(ALGORITHMS as readonly string[]).includes(forced)) {
    throw new XpusimError(error("E_SCHEMA", "algorithm", `unknown algorithm "${String(forced)}"`, { expected: `auto or one of ${ALGORITHMS.join(", ")}` }));
  }
  const names = forced ? [forced] : candidateAlgorithms(system, op);
  let protocols = usableProtocols(system);
  if (opts.protocol) {
    protocols = protocols.filter((p) => p.name.toLowerCase() === opts.protocol!.toLowerCase());
    if (protocols.length === 0) {
      throw new XpusimError(
        error("E_SCHEMA", "protocol", `library "${system.library.id}" has no protocol "${opts.protocol}"`, {
          expected: usableProtocols(system).map((p) => p.name).join(", "),
        }),
      );
    }
  }
  const bulk = usableProtocols(system).reduce((a, b) => (b.bandwidth_fraction > a.bandwidth_fraction ? b : a));
  const candidates: Evaluated[] = [];
  const rejected: Selection["rejected"] = [];
  for (const name of names) {
    const t = collectiveTerms(op, name, bytes, f);
    if ("unsupported" in t) {
      rejected.push({ algorithm: name, reason: t.unsupported });
      continue;
    }
    const usable = t.path === "in-network" ? [opts.protocol ? protocols[0]! : bulk] : protocols;
    let best: Evaluated | undefined;
    for (const p of usable) {
      const e = timeWith(t, p, system, f);
      if (!Number.isFinite(e.time_s)) continue;
      if (!best || e.time_s < best.time_s) best = e;
    }
    if (best) candidates.push(best);
    else rejected.push({ algorithm: name, reason: "no finite bandwidth on this path (a link with zero bandwidth)" });
  }
  if (candidates.length === 0) {
    const reasons = rejected.map((r) => `${r.algorithm}: ${r.reason}`).join("; ");
    throw new XpusimError(
      error("E_UNSUPPORTED", forced ? "algorithm" : "op", `no algorithm can run ${op} over ${f.n} ranks on "${system.id}"`, {
        got: reasons,
        hint: forced ? `try --algorithm auto (the library considers ${candidateAlgorithms(system, op).join(", ")})` : undefined,
      }),
    );
  }
  candidates.sort((a, b) => a.time_s - b.time_s);
  const chosen = candidates[0]!;
  const runnerUp = candidates[1];
  const bound = chosen.latency_s >= chosen.transfer_s ? "latency-bound" : "bandwidth-bound";
  const why = forced
    ? `${chosen.algorithm}/${chosen.protocol} forced; ${bound} (latency ${fmtT(chosen.latency_s)} of ${fmtT(chosen.time_s)})`
    : `${chosen.algorithm}/${chosen.protocol} is fastest of ${candidates.length} applicable algorithm${candidates.length > 1 ? "s" : ""}` +
      (runnerUp ? ` (next: ${runnerUp.algorithm}/${runnerUp.protocol} ${fmtT(runnerUp.time_s)})` : "") +
      `; ${bound} (latency ${fmtT(chosen.latency_s)} of ${fmtT(chosen.time_s)})`;
  return { chosen, candidates, rejected, why };
}
