/**
 * The normalised multi-chip system: what the collective cost models read. Every number is SI
 * (bytes/s, s) with the achievable-vs-spec derating kept separately (`efficiency`) so reports can
 * show both. Built once from a validated {@link SystemSpec}, its chip and its collective library;
 * pure, no I/O, browser-safe.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import type { AlgorithmName, CollectiveLibrarySpec } from "../spec/collective-library-spec.js";
import type { Provenance, SourcedValue } from "../spec/sourced.js";
import type { SCALE_OUT_TOPOLOGIES, SCALE_UP_TOPOLOGIES, SystemSpec } from "../spec/system-spec.js";

export interface Protocol {
  name: string;
  base_latency_s: number;
  hop_latency_intra_s: number;
  hop_latency_inter_s: number;
  /** Fraction of the achievable bus bandwidth the protocol moves. */
  bandwidth_fraction: number;
  /** Only usable over a scale-up fabric (not on systems whose chips talk over PCIe alone). */
  requires_scale_up_fabric?: boolean;
}

export interface CollectiveLibrary {
  id: string;
  name: string;
  algorithms: AlgorithmName[];
  launch_overhead_s: number;
  protocols: Protocol[];
  in_network_base_latency_s?: number;
  /** Share of the NIC rate a double binary tree over two domains reaches (1 = the ideal S per node per direction). */
  tree_two_domain_efficiency?: number;
  /** MoE dispatch / combine kernels (DeepEP-style), when the library states them. */
  expert_parallel?: ExpertParallelKernels;
  /** Fraction of compute lost while a collective overlaps with it (0 when the library file gives none). */
  compute_interference: { scale_up: number; scale_out: number };
  provenance: Readonly<Record<string, Provenance>>;
  sources: CollectiveLibrarySpec["sources"];
}

export interface ExpertParallelKernels {
  name: string;
  normal_latency_s: number;
  low_latency_latency_s: number;
  low_latency_max_tokens: number;
}

export interface InNetworkReduction {
  name: string;
  efficiency: number;
  min_ranks: number;
  latency_s: number;
}

export interface TorusFabric {
  /** Largest slice shape. */
  dims: number[];
  wraparound_multiple: number;
  link_bandwidth_per_direction_bytes_per_s: number;
}

export interface ScaleUpFabric {
  name: string;
  topology: (typeof SCALE_UP_TOPOLOGIES)[number];
  domain_size: number;
  /** Spec bandwidth per chip, one direction, all scale-up links. */
  bandwidth_per_direction_bytes_per_s: number;
  /** Mesh: spec bandwidth between one pair of chips, one direction. */
  per_peer_bandwidth_bytes_per_s?: number;
  torus?: TorusFabric;
  latency_s: number;
  /** Achievable collective bandwidth / spec. */
  efficiency: number;
  in_network_reduction?: InNetworkReduction;
}

export interface ScaleOutNetwork {
  name: string;
  nics_per_node: number;
  nic_rate_bytes_per_s: number;
  efficiency: number;
  topology: (typeof SCALE_OUT_TOPOLOGIES)[number];
  oversubscription: number;
  nodes_per_leaf?: number;
  latency_s: number;
  max_nodes?: number;
  /** Spec injection bandwidth per chip: NICs × line rate / chips per node. */
  per_chip_bandwidth_bytes_per_s: number;
  /**
   * The chip's host link (PCIe), one direction: GPUDirect RDMA moves every network byte of a chip
   * through it, so it caps the chip's network share (absent when the chip states no host link).
   */
  host_link_bytes_per_s?: number;
  in_network_reduction?: InNetworkReduction;
}

export interface System {
  id: string;
  name: string;
  vendor?: string;
  year?: number;
  aliases: string[];
  chip_id: string;
  chip_name: string;
  chips_per_node: number;
  max_chips?: number;
  scale_up: ScaleUpFabric;
  scale_out?: ScaleOutNetwork;
  library: CollectiveLibrary;
  /** Where each figure came from, keyed by field path of this model. */
  provenance: Readonly<Record<string, Provenance>>;
  sources: SystemSpec["sources"];
  caveats: string[];
  notes?: string;
}

type Sourced = SourcedValue<number> | ({ value: number } & Provenance);

function provenanceTaker(defaultSource: number[] | undefined, out: Record<string, Provenance>) {
  return (path: string, v: Sourced | undefined): number | undefined => {
    if (!v) return undefined;
    const { value, ...prov } = v;
    const p: Provenance = { ...prov };
    if (!p.source && defaultSource) p.source = defaultSource;
    out[path] = p;
    return value;
  };
}

const refs = (s: number | number[] | undefined): number[] | undefined => (s === undefined ? undefined : Array.isArray(s) ? s : [s]);

/** Normalises a validated library spec. */
export function buildCollectiveLibrary(spec: CollectiveLibrarySpec): CollectiveLibrary {
  const provenance: Record<string, Provenance> = {};
  const take = provenanceTaker(refs(spec.source), provenance);
  const lib: CollectiveLibrary = {
    id: spec.id,
    name: spec.name,
    algorithms: [...new Set(spec.algorithms)],
    launch_overhead_s: take("launch_overhead_s", spec.launch_overhead)!,
    protocols: spec.protocols.map((p, i) => ({
      name: p.name,
      base_latency_s: take(`protocols[${i}].base_latency_s`, p.base_latency)!,
      hop_latency_intra_s: take(`protocols[${i}].hop_latency_intra_s`, p.hop_latency_intra)!,
      hop_latency_inter_s: take(`protocols[${i}].hop_latency_inter_s`, p.hop_latency_inter)!,
      bandwidth_fraction: take(`protocols[${i}].bandwidth_fraction`, p.bandwidth_fraction)!,
      ...(p.requires_scale_up_fabric ? { requires_scale_up_fabric: true } : {}),
    })),
    compute_interference: {
      scale_up: take("compute_interference.scale_up", spec.compute_interference?.scale_up) ?? 0,
      scale_out: take("compute_interference.scale_out", spec.compute_interference?.scale_out) ?? 0,
    },
    provenance,
    sources: spec.sources,
  };
  const inr = take("in_network_base_latency_s", spec.in_network_base_latency);
  if (inr !== undefined) lib.in_network_base_latency_s = inr;
  const tree2 = take("tree_two_domain_efficiency", spec.tree_two_domain_efficiency);
  if (tree2 !== undefined) lib.tree_two_domain_efficiency = tree2;
  const ep = spec.expert_parallel;
  if (ep) {
    lib.expert_parallel = {
      name: ep.name,
      normal_latency_s: take("expert_parallel.normal_latency_s", ep.normal_latency)!,
      low_latency_latency_s: take("expert_parallel.low_latency_latency_s", ep.low_latency_latency)!,
      low_latency_max_tokens: ep.low_latency_max_tokens,
    };
  }
  return lib;
}

/** What the parts of {@link buildSystem} share: the provenance being recorded, its taker and the error thrower. */
interface SystemBuild {
  provenance: Record<string, Provenance>;
  take: ReturnType<typeof provenanceTaker>;
  fail: (path: string, message: string, hint?: string) => never;
}

/**
 * Builds the normalised system. The scale-up bandwidth defaults to the chip's own
 * `interconnect.scale_up` figure; inconsistent shapes (a torus whose dims do not multiply to the
 * domain, nodes that do not tile the domain) are reported with the field path.
 */
export function buildSystem(spec: SystemSpec, chip: Chip, library: CollectiveLibrary, file?: string): System {
  const provenance: Record<string, Provenance> = {};
  const at = file ? { file } : {};
  const b: SystemBuild = {
    provenance,
    take: provenanceTaker(refs(spec.source), provenance),
    fail: (path, message, hint) => {
      throw new XpusimError(error("E_SCHEMA", path, message, { ...at, ...(hint ? { hint } : {}) }));
    },
  };
  const upBw = scaleUpBandwidth(b, spec, chip);
  checkDomainFitsNodes(b, spec);
  const system: System = {
    id: spec.id,
    name: spec.name,
    aliases: spec.aliases,
    chip_id: chip.id,
    chip_name: chip.name,
    chips_per_node: spec.chips_per_node,
    scale_up: buildScaleUp(b, spec, upBw),
    library,
    provenance,
    sources: spec.sources,
    caveats: spec.caveats,
  };
  if (spec.vendor) system.vendor = spec.vendor;
  if (spec.year !== undefined) system.year = spec.year;
  if (spec.max_chips !== undefined) system.max_chips = spec.max_chips;
  if (spec.notes) system.notes = spec.notes;
  if (spec.scale_out) system.scale_out = buildScaleOut(b, spec.scale_out, spec.chips_per_node, chip);
  return system;
}

/** The scale-up bandwidth per direction: the system's own, else the chip's scale-up (or, without a fabric, host) link. */
function scaleUpBandwidth(b: SystemBuild, spec: SystemSpec, chip: Chip): number {
  const su = spec.scale_up;
  const upBw = b.take("scale_up.bandwidth_per_direction_bytes_per_s", su.bandwidth_per_direction);
  if (upBw !== undefined) return upBw;
  // Without a scale-up fabric ("none") chips reach each other through the host link (PCIe).
  const via = su.topology === "none" ? "host" : "scale_up";
  const link = chip.interconnect[via];
  const bw = link?.bandwidth_per_direction_bytes_per_s;
  if (bw === undefined) {
    return b.fail(
      "scale_up.bandwidth_per_direction",
      `no scale-up bandwidth: chip "${chip.id}" states no ${su.topology === "none" ? "host" : "scale-up"} link bandwidth and the system does not state one`,
      'give it in a system spec file, e.g. scale_up.bandwidth_per_direction: "450 GB/s", and pass --system <file>',
    );
  }
  b.provenance["scale_up.bandwidth_per_direction_bytes_per_s"] = { derived: `chip ${chip.id} interconnect.${via} (${link?.name ?? "link"})` };
  return bw;
}

function checkDomainFitsNodes(b: SystemBuild, spec: SystemSpec): void {
  const su = spec.scale_up;
  if (su.domain_size % spec.chips_per_node !== 0 && spec.chips_per_node % su.domain_size !== 0) {
    b.fail("scale_up.domain_size", `a scale-up domain of ${su.domain_size} chips does not tile nodes of ${spec.chips_per_node} chips`, "use a domain size that is a multiple (or divisor) of chips_per_node");
  }
  if (spec.max_chips !== undefined && spec.max_chips < su.domain_size && su.topology !== "none") {
    b.fail("max_chips", `max_chips ${spec.max_chips} is smaller than one scale-up domain (${su.domain_size})`);
  }
}

/** The scale-up fabric, with the parts its topology needs: per-peer bandwidth (mesh), torus shape, in-network reduction (switch). */
function buildScaleUp(b: SystemBuild, spec: SystemSpec, upBw: number): ScaleUpFabric {
  const su = spec.scale_up;
  const scale_up: ScaleUpFabric = {
    name: su.name,
    topology: su.topology,
    domain_size: su.domain_size,
    bandwidth_per_direction_bytes_per_s: upBw,
    latency_s: b.take("scale_up.latency_s", su.latency)!,
    efficiency: b.take("scale_up.efficiency", su.efficiency)!,
  };
  if (su.topology === "mesh") {
    let peer = b.take("scale_up.per_peer_bandwidth_bytes_per_s", su.per_peer_bandwidth);
    if (peer === undefined) {
      peer = upBw / Math.max(1, su.domain_size - 1);
      b.provenance["scale_up.per_peer_bandwidth_bytes_per_s"] = { derived: `per-chip bandwidth / ${su.domain_size - 1} peers` };
    }
    scale_up.per_peer_bandwidth_bytes_per_s = peer;
  } else if (su.per_peer_bandwidth) {
    b.fail("scale_up.per_peer_bandwidth", "per_peer_bandwidth applies to a mesh topology only");
  }
  if (su.topology === "torus") scale_up.torus = torusFabric(b, su);
  else if (su.torus) b.fail("scale_up.torus", "a torus block needs topology: torus");
  if (su.in_network_reduction) {
    if (su.topology !== "switch") b.fail("scale_up.in_network_reduction", "in-network reduction needs a switched scale-up fabric");
    scale_up.in_network_reduction = inNetworkReduction(b, "scale_up", su.in_network_reduction);
  }
  return scale_up;
}

function torusFabric(b: SystemBuild, su: SystemSpec["scale_up"]): TorusFabric {
  if (!su.torus) return b.fail("scale_up.torus", "a torus topology needs a torus block (dims, wraparound_multiple, link_bandwidth_per_direction)");
  const t = su.torus;
  const product = t.dims.reduce((x, y) => x * y, 1);
  if (product !== su.domain_size) b.fail("scale_up.torus.dims", `torus dims ${t.dims.join("×")} hold ${product} chips, but domain_size is ${su.domain_size}`);
  return {
    dims: [...t.dims],
    wraparound_multiple: t.wraparound_multiple,
    link_bandwidth_per_direction_bytes_per_s: b.take("scale_up.torus.link_bandwidth_per_direction_bytes_per_s", t.link_bandwidth_per_direction)!,
  };
}

type InNetworkReductionSpec = NonNullable<SystemSpec["scale_up"]["in_network_reduction"]>;

function inNetworkReduction(b: SystemBuild, part: "scale_up" | "scale_out", r: InNetworkReductionSpec): InNetworkReduction {
  return {
    name: r.name,
    efficiency: b.take(`${part}.in_network_reduction.efficiency`, r.efficiency)!,
    min_ranks: r.min_ranks,
    latency_s: b.take(`${part}.in_network_reduction.latency_s`, r.latency) ?? 0,
  };
}

/** The scale-out network; each chip's share of the node's NICs is derived. */
function buildScaleOut(b: SystemBuild, so: NonNullable<SystemSpec["scale_out"]>, chipsPerNode: number, chip: Chip): ScaleOutNetwork {
  const rate = b.take("scale_out.nic_rate_bytes_per_s", so.nic_rate)!;
  const out: ScaleOutNetwork = {
    name: so.name,
    nics_per_node: so.nics_per_node,
    nic_rate_bytes_per_s: rate,
    efficiency: b.take("scale_out.efficiency", so.efficiency)!,
    topology: so.topology,
    oversubscription: so.oversubscription,
    latency_s: b.take("scale_out.latency_s", so.latency)!,
    per_chip_bandwidth_bytes_per_s: (so.nics_per_node * rate) / chipsPerNode,
  };
  b.provenance["scale_out.per_chip_bandwidth_bytes_per_s"] = { derived: `${so.nics_per_node} NICs × line rate / ${chipsPerNode} chips per node` };
  const host = chip.interconnect.host;
  if (so.nic_path !== "integrated" && host?.bandwidth_per_direction_bytes_per_s !== undefined) {
    out.host_link_bytes_per_s = host.bandwidth_per_direction_bytes_per_s;
    b.provenance["scale_out.host_link_bytes_per_s"] = { derived: `chip ${chip.id} interconnect.host (${host.name ?? "host link"})` };
  }
  if (so.nodes_per_leaf !== undefined) out.nodes_per_leaf = so.nodes_per_leaf;
  if (so.max_nodes !== undefined) out.max_nodes = so.max_nodes;
  if (so.in_network_reduction) out.in_network_reduction = inNetworkReduction(b, "scale_out", so.in_network_reduction);
  return out;
}

/** Chips the system can hold (scale-out node limit or max_chips), or Infinity when unbounded. */
export function systemCapacity(system: System): number {
  let cap = Infinity;
  if (system.max_chips !== undefined) cap = system.max_chips;
  if (system.scale_out?.max_nodes !== undefined) cap = Math.min(cap, system.scale_out.max_nodes * system.chips_per_node);
  if (!system.scale_out) cap = Math.min(cap, Math.max(system.scale_up.domain_size, system.chips_per_node));
  return cap;
}
