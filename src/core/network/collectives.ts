/**
 * α-β cost terms of each collective algorithm: the bandwidth-bound transfer time and the number of
 * protocol steps on the critical path (inside a scale-up domain and across the network). The library
 * protocol (select-algorithm.ts) turns steps into latency. S is the message size as nccl-tests
 * defines it: the per-rank buffer for all-reduce and broadcast, the whole gathered / scattered array
 * for all-gather / reduce-scatter, the bytes each rank sends for all-to-all and send/recv.
 *
 * Sources:
 * - Ring, recursive halving-doubling, pairwise exchange: Thakur, Rabenseifner & Gropp, "Optimization
 *   of Collective Communication Operations in MPICH", IJHPCA 2005; ring optimality Patarasuk & Yuan 2009.
 * - Double binary tree: Sanders, Speck & Träff 2009; NCCL's tree moves 2S per node over the network
 *   (S on two nodes, so busbw may reach ~2× the NIC rate: sjeaugey, NVIDIA/nccl#946, nccl-tests#196).
 * - Multi-node ring: each of a node's channels crosses the node boundary through one NIC, so the
 *   ring's bus bandwidth is bounded by the node's NIC aggregate (NVIDIA: 8×HDR → 192 GB/s busbw, nccl#812).
 * - NVLink SHARP (NVLS): every rank sends S + S/g and receives the same through the switch, so
 *   algbw = B·g/(g+1) (H100: algbw 258/265/270/273 GB/s for 5–8 GPUs, nccl#1455, i.e. B ≈ 308 GB/s).
 * - Hierarchical all-reduce: intra-domain reduce-scatter, inter-domain all-reduce of S/g over all
 *   NICs, intra-domain all-gather (formulas.md §3.5; stas00 ml-engineering network/README.md).
 * - Torus: bidirectional rings per axis with wraparound; all axes at once (jax-ml/scaling-book
 *   sharding.md: T = V/(W·n_axes)); all-to-all is bisection-bound, L·S/(8W) on a wrapped axis of L.
 * - All-to-all across nodes cannot aggregate a node's NICs: each rank uses its own share
 *   (sjeaugey, NVIDIA/nccl-tests#267).
 */
import type { AlgorithmName } from "../spec/collective-library-spec.js";
import type { CollectiveKind } from "../workload/op.js";
import type { Fabric } from "./fabric.js";

export interface CostTerms {
  algorithm: AlgorithmName;
  /** Bandwidth-bound time at the full protocol bandwidth, seconds. */
  transfer_s: number;
  /** Protocol steps on the critical path over the scale-up fabric and over the network. */
  hops_intra: number;
  hops_inter: number;
  /** Protocol-independent latency (switch round trip of an in-network reduction). */
  fixed_latency_s: number;
  /** "protocols": the library's protocols (LL / Simple) apply; "in-network": one bulk protocol. */
  path: "protocols" | "in-network";
  formula: string;
}

export interface Unsupported {
  algorithm: AlgorithmName;
  unsupported: string;
}

/** nccl-tests bus-bandwidth factor (NVIDIA/nccl-tests doc/PERFORMANCE.md): busbw = algbw × factor. */
export function busBandwidthFactor(op: CollectiveKind, n: number): number {
  if (n <= 1) return 0;
  switch (op) {
    case "all_reduce":
      return (2 * (n - 1)) / n;
    case "reduce_scatter":
    case "all_gather":
    case "all_to_all":
    case "ep_dispatch":
    case "ep_combine":
      return (n - 1) / n;
    case "broadcast":
    case "send_recv":
      return 1;
  }
}

const isPow2 = (x: number): boolean => x >= 1 && (x & (x - 1)) === 0;
const log2c = (x: number): number => (x <= 1 ? 0 : Math.ceil(Math.log2(x)));

/** Ring steps along one torus axis: half the ring with wraparound (both directions), the line without. */
function axisHops(len: number, wrap: boolean): number {
  if (len <= 1) return 0;
  return wrap ? Math.floor(len / 2) : len - 1;
}

function torusHops(f: Fabric): number {
  if (!f.torus) return 0;
  const { shape, wrap } = f.torus;
  let h = 0;
  for (let i = 0; i < shape.length; i++) h += axisHops(shape[i]!, wrap[i]!);
  return h;
}

const terms = (
  algorithm: AlgorithmName,
  transfer_s: number,
  hops_intra: number,
  hops_inter: number,
  formula: string,
  extra: Partial<Pick<CostTerms, "fixed_latency_s" | "path">> = {},
): CostTerms => ({
  algorithm,
  transfer_s,
  hops_intra,
  hops_inter,
  fixed_latency_s: extra.fixed_latency_s ?? 0,
  path: extra.path ?? "protocols",
  formula,
});

const no = (algorithm: AlgorithmName, why: string): Unsupported => ({ algorithm, unsupported: why });

/** Network bound of a flat ring across domains: the domain's NIC aggregate (g ranks × per-rank share). */
function ringBandwidth(f: Fabric): number {
  return f.k === 1 ? f.up_bytes_per_s : Math.min(f.up_bytes_per_s, f.g * f.net_rank_bytes_per_s);
}

/**
 * Cost terms of one algorithm for one collective, or why it does not apply here. `S` > 0 bytes,
 * fabric.n ≥ 2 (a single rank has nothing to communicate; the caller handles it).
 */
export function collectiveTerms(op: CollectiveKind, algorithm: AlgorithmName, S: number, f: Fabric): CostTerms | Unsupported {
  const mismatch = torusMismatch(op, algorithm, !!f.torus);
  if (mismatch) return no(algorithm, mismatch);
  switch (op) {
    case "all_reduce":
      return allReduceTerms(algorithm, S, f);
    case "reduce_scatter":
    case "all_gather":
      return reduceScatterOrGatherTerms(op, algorithm, S, f);
    case "all_to_all":
    case "ep_dispatch":
    case "ep_combine":
      return allToAllTerms(algorithm, S, f);
    case "broadcast":
      return broadcastTerms(algorithm, S, f);
    case "send_recv":
      return sendRecvTerms(algorithm, S, f);
  }
  return no(algorithm, `${algorithm} does not implement ${op}`);
}

/** Why an algorithm does not fit the fabric's shape (flat algorithms on a torus, torus on a flat fabric), or undefined. */
function torusMismatch(op: CollectiveKind, algorithm: AlgorithmName, onTorus: boolean): string | undefined {
  if (onTorus && (algorithm === "ring" || algorithm === "tree" || algorithm === "halving_doubling" || algorithm === "nvls" || algorithm === "nvls_tree")) {
    return "a torus runs per-axis algorithms (use torus)";
  }
  if (onTorus && algorithm === "direct" && op !== "send_recv") return "on a torus the per-axis algorithms (torus) route multi-hop traffic";
  if (!onTorus && algorithm === "torus") return "the scale-up fabric is not a torus";
  return undefined;
}

/** Reduce-scatter then all-gather of S/g over the NICs: the transfer time shared by halving-doubling and hierarchical across domains. */
function twoLevelAllReduceTransfer(S: number, f: Fabric): number {
  const { g, k } = f;
  return (2 * (g - 1) * S) / g / f.up_bytes_per_s + (2 * (k - 1) * (S / g)) / k / f.net_rank_bytes_per_s;
}

function allReduceTerms(algorithm: AlgorithmName, S: number, f: Fabric): CostTerms | Unsupported {
  const { n, g, k } = f;
  const multi = k > 1;
  const fac = (2 * (n - 1)) / n;
  switch (algorithm) {
    case "ring": {
      const he = multi ? 2 * (k - 1) : 0;
      return terms("ring", (fac * S) / ringBandwidth(f), 2 * (n - 1) - he, he, "ring: 2(n−1)/n·S/B + 2(n−1) steps");
    }
    case "tree": {
      const chain = g > 1 ? (2 * S) / f.up_bytes_per_s : 0;
      if (!multi) return terms("tree", chain, 2 * (g - 1), 0, "tree (intra-domain chain): 2S/B + 2(g−1) steps");
      const c2 = doubleTreeFactor(k, f);
      const net = (c2 * S) / (g * f.net_rank_bytes_per_s);
      return terms("tree", Math.max(chain, net), 2 * (g - 1), 2 * log2c(k), `double binary tree: max(2S/B_up, ${+c2.toFixed(2)}S/B_node) + 2(g−1) + 2⌈log2 k⌉ steps`);
    }
    case "halving_doubling": {
      if (!multi) {
        if (!isPow2(n)) return no(algorithm, `recursive halving-doubling needs a power-of-two rank count, got ${n}`);
        return terms(algorithm, (fac * S) / f.up_bytes_per_s, 2 * Math.log2(n), 0, "halving-doubling: 2(n−1)/n·S/B + 2·log2 n steps");
      }
      if (!isPow2(g) || !isPow2(k)) return no(algorithm, `recursive halving-doubling needs power-of-two ranks per domain and domains, got ${g} × ${k}`);
      return terms(algorithm, twoLevelAllReduceTransfer(S, f), 2 * Math.log2(g), 2 * Math.log2(k), "halving-doubling, intra first: 2(g−1)/g·S/B_up + 2(k−1)/k·(S/g)/B_nic");
    }
    case "hierarchical": {
      if (!multi) return no(algorithm, "hierarchical algorithms need ranks in more than one scale-up domain");
      return terms(algorithm, twoLevelAllReduceTransfer(S, f), f.torus ? 2 * torusHops(f) : 2 * (g - 1), 2 * (k - 1), "hierarchical: RS in domain, all-reduce of S/g over all NICs, AG in domain (phases in sequence)");
    }
    case "nvls":
    case "nvls_tree":
    case "collnet":
      return inNetworkAllReduceTerms(algorithm, S, f);
    case "torus": {
      if (multi) return no(algorithm, "the torus algorithm covers one ICI domain (hierarchical spans domains)");
      return terms(algorithm, (fac * S) / f.up_bytes_per_s, 2 * torusHops(f), 0, "torus: 2(n−1)/n·S over every wrapped axis at once (both directions)");
    }
    case "direct": {
      if (multi) return no(algorithm, "one-shot all-reduce stays inside one domain");
      return terms(algorithm, (fac * S) / f.up_bytes_per_s, 2, 0, "direct (reduce-scatter + all-gather, one step each)");
    }
  }
  return no(algorithm, `${algorithm} does not implement all_reduce`);
}

/**
 * Double binary tree across k domains: bytes per node per direction, in units of S. On two domains
 * the ideal is S (the two trees swap roles, nccl#946), but public two-node results reach only part of
 * that: the library's `tree_two_domain_efficiency` (1 = ideal) says how much.
 */
function doubleTreeFactor(k: number, f: Fabric): number {
  return k === 2 ? 1 / (f.tree_two_domain_efficiency ?? 1) : 2;
}

/** All-reduce reduced inside the switches: NVLS in one NVLink domain, NVLS + tree across domains, SHARP (collnet) in the network. */
function inNetworkAllReduceTerms(algorithm: "nvls" | "nvls_tree" | "collnet", S: number, f: Fabric): CostTerms | Unsupported {
  const { g, k } = f;
  const multi = k > 1;
  if (algorithm === "collnet") {
    if (!multi) return no(algorithm, "collnet reduces across nodes in the network switches");
    if (f.collnet_bytes_per_s === undefined) return no(algorithm, "no in-network reduction (SHARP) in the scale-out network");
    const t = Math.max((2 * (g - 1) * S) / g / f.up_bytes_per_s, S / g / f.collnet_bytes_per_s);
    return terms(algorithm, t, 2 * (g - 1), 2, "collnet: RS/AG in domain, S/g per rank reduced once in the network switches", {
      fixed_latency_s: f.collnet_latency_s,
    });
  }
  if (algorithm === "nvls" && multi) return no(algorithm, "NVLS alone covers one NVLink domain (nvls_tree spans domains)");
  if (algorithm === "nvls_tree" && !multi) return no(algorithm, "nvls_tree spans scale-up domains");
  if (f.nvls_bytes_per_s === undefined) return no(algorithm, "no in-network reduction in this scale-up fabric for this many ranks");
  const throughSwitch = (((g + 1) / g) * S) / f.nvls_bytes_per_s;
  if (algorithm === "nvls") {
    return terms(algorithm, throughSwitch, 0, 0, "NVLS: (g+1)/g·S/B_nvls through the switch", { fixed_latency_s: f.nvls_latency_s, path: "in-network" });
  }
  const c2 = doubleTreeFactor(k, f);
  return terms(algorithm, Math.max(throughSwitch, (c2 * S) / (g * f.net_rank_bytes_per_s)), 0, 2 * log2c(k), `NVLS in domain + tree across: max((g+1)/g·S/B_nvls, ${+c2.toFixed(2)}S/B_node)`, {
    fixed_latency_s: f.nvls_latency_s,
    path: "in-network",
  });
}

function reduceScatterOrGatherTerms(op: "reduce_scatter" | "all_gather", algorithm: AlgorithmName, S: number, f: Fabric): CostTerms | Unsupported {
  const { n, g, k } = f;
  const multi = k > 1;
  const fac = (n - 1) / n;
  switch (algorithm) {
    case "ring": {
      const he = multi ? k - 1 : 0;
      return terms("ring", (fac * S) / ringBandwidth(f), n - 1 - he, he, "ring: (n−1)/n·S/B + (n−1) steps");
    }
    case "halving_doubling": {
      if (!multi) {
        if (!isPow2(n)) return no(algorithm, `recursive halving/doubling needs a power-of-two rank count, got ${n}`);
        return terms(algorithm, (fac * S) / f.up_bytes_per_s, Math.log2(n), 0, "halving/doubling: (n−1)/n·S/B + log2 n steps");
      }
      if (!isPow2(g) || !isPow2(k)) return no(algorithm, `recursive halving/doubling needs power-of-two ranks per domain and domains, got ${g} × ${k}`);
      const t = ((g - 1) * S) / g / f.up_bytes_per_s + ((k - 1) * (S / g)) / k / f.net_rank_bytes_per_s;
      return terms(algorithm, t, Math.log2(g), Math.log2(k), "halving/doubling: (g−1)/g·S/B_up + (k−1)/k·(S/g)/B_nic");
    }
    case "hierarchical": {
      if (!multi) return no(algorithm, "hierarchical algorithms need ranks in more than one scale-up domain");
      const t = ((g - 1) * S) / g / f.up_bytes_per_s + ((k - 1) * (S / g)) / k / f.net_rank_bytes_per_s;
      return terms(algorithm, t, f.torus ? torusHops(f) : g - 1, k - 1, "hierarchical: (g−1)/g·S/B_up + (k−1)/k·(S/g)/B_nic");
    }
    case "torus": {
      if (multi) return no(algorithm, "the torus algorithm covers one ICI domain (hierarchical spans domains)");
      return terms(algorithm, (fac * S) / f.up_bytes_per_s, torusHops(f), 0, "torus: (n−1)/n·S over every wrapped axis at once");
    }
    case "direct": {
      if (multi) return no(algorithm, "direct reduce-scatter / all-gather stays inside one domain");
      return terms(algorithm, (fac * S) / f.up_bytes_per_s, 1, 0, "direct: (n−1)/n·S/B, one step");
    }
    default:
      return no(algorithm, `${op} runs as a ring (or per-axis torus / hierarchical), not ${algorithm}`);
  }
}

function allToAllTerms(algorithm: AlgorithmName, S: number, f: Fabric): CostTerms | Unsupported {
  const { n, g, k } = f;
  const multi = k > 1;
  if (algorithm !== "direct" && algorithm !== "torus") return no(algorithm, "all-to-all is a pairwise exchange (direct), or per-axis on a torus");
  if (algorithm === "direct" && !multi) return terms(algorithm, (((n - 1) / n) * S) / f.up_bytes_per_s, n - 1, 0, "pairwise exchange: (n−1)/n·S/B + (n−1) steps");
  if (algorithm === "torus" && !multi) return torusAllToAllTerms(S, f);
  const intra = (((g - 1) / n) * S) / f.up_bytes_per_s;
  const inter = (((n - g) / n) * S) / f.net_rank_bytes_per_s;
  return algorithm === "direct"
    ? terms(algorithm, Math.max(intra, inter), g - 1, n - g, "pairwise exchange across domains: max((g−1)/n·S/B_up, (n−g)/n·S/B_nic per rank)")
    : terms(algorithm, Math.max(intra, inter), torusHops(f), k - 1, "all-to-all across slices: max(in-slice part, (n−g)/n·S over DCN)");
}

/** All-to-all inside one torus: bisection-bound on the worst axis, or injection-bound. */
function torusAllToAllTerms(S: number, f: Fabric): CostTerms {
  const t = f.torus!;
  let worst = 0;
  for (let i = 0; i < t.shape.length; i++) {
    const len = t.shape[i]!;
    if (len > 1) worst = Math.max(worst, (len * S) / ((t.wrap[i] ? 8 : 4) * t.link_bytes_per_s));
  }
  const injection = (((f.n - 1) / f.n) * S) / f.up_bytes_per_s;
  return terms("torus", Math.max(injection, worst), torusHops(f), 0, "torus all-to-all: bisection-bound, L·S/(8W) on a wrapped axis of L chips");
}

function broadcastTerms(algorithm: AlgorithmName, S: number, f: Fabric): CostTerms | Unsupported {
  const { n, g, k } = f;
  const multi = k > 1;
  switch (algorithm) {
    case "ring": {
      const he = multi ? k - 1 : 0;
      return terms(algorithm, S / ringBandwidth(f), n - 1 - he, he, "pipelined chain: S/B + (n−1) steps");
    }
    case "torus": {
      if (multi) return no(algorithm, "the torus algorithm covers one ICI domain");
      return terms(algorithm, S / f.up_bytes_per_s, torusHops(f), 0, "torus broadcast: pipelined along every axis, S/B");
    }
    case "hierarchical": {
      if (!multi) return no(algorithm, "hierarchical algorithms need ranks in more than one scale-up domain");
      return terms(algorithm, S / f.nic_bytes_per_s + (g > 1 ? S / f.up_bytes_per_s : 0), f.torus ? torusHops(f) : g - 1, k - 1, "broadcast across domains over one NIC, then inside each domain");
    }
    default:
      return no(algorithm, "broadcast runs as a pipelined chain (ring)");
  }
}

function sendRecvTerms(algorithm: AlgorithmName, S: number, f: Fabric): CostTerms | Unsupported {
  if (algorithm !== "direct") return no(algorithm, "send/recv is point-to-point (direct)");
  if (f.k <= 1) return terms(algorithm, S / f.up_pair_bytes_per_s, 1, 0, "point-to-point: S/B_pair + one step");
  return terms(algorithm, S / Math.min(f.up_pair_bytes_per_s, f.nic_bytes_per_s), 0, 1, "point-to-point across domains over one NIC: S/B_nic + one step");
}
