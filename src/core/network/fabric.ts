/**
 * The effective bandwidths and latencies a placed group of ranks sees: per-rank scale-up bandwidth
 * among the ranks that take part (on a mesh only the links to participating peers count), one pair's
 * bandwidth, each rank's share of its node's NICs (capped by the chip's PCIe host link, which
 * GPUDirect RDMA crosses), the in-network-reduction rate and the torus
 * slice. Achievable-vs-spec derating (`efficiency`) is applied here, once.
 */
import type { System } from "./build-system.js";
import type { Placement } from "./placement.js";

export interface Fabric {
  /** Ranks, ranks per scale-up domain, domains. */
  n: number;
  g: number;
  k: number;
  /** Per-rank scale-up bandwidth for a collective among the g ranks of one domain, one direction. */
  up_bytes_per_s: number;
  /** Bandwidth between two ranks of one domain, one direction. */
  up_pair_bytes_per_s: number;
  /** Each rank's share of its node's scale-out bandwidth (0 without a scale-out network). */
  net_rank_bytes_per_s: number;
  /** One NIC's achievable rate. */
  nic_bytes_per_s: number;
  /** Per-rank rate of an in-network reduction inside the domain (NVLS), if available for g ranks. */
  nvls_bytes_per_s?: number;
  /** Per-rank rate of an in-network reduction in the scale-out switches (SHARP), if available. */
  collnet_bytes_per_s?: number;
  /** Torus slice of the g ranks: axis lengths, wraparound, one link's achievable rate. */
  torus?: { shape: number[]; wrap: boolean[]; link_bytes_per_s: number };
  latency_up_s: number;
  latency_out_s: number;
  /** Extra fixed latency of an in-network reduction (switch round trip). */
  nvls_latency_s: number;
  collnet_latency_s: number;
  /** Share of the NIC rate a double binary tree on two domains reaches (library data; 1 when unstated). */
  tree_two_domain_efficiency?: number;
}

export function fabricFor(system: System, placement: Placement): Fabric {
  const su = system.scale_up;
  const g = placement.ranks_per_domain;
  const eff = su.efficiency;
  let up = su.bandwidth_per_direction_bytes_per_s * eff;
  let pair = up;
  let torus: Fabric["torus"];
  if (su.topology === "mesh") {
    const peer = su.per_peer_bandwidth_bytes_per_s ?? su.bandwidth_per_direction_bytes_per_s / Math.max(1, su.domain_size - 1);
    up = Math.min(su.bandwidth_per_direction_bytes_per_s, peer * Math.max(1, g - 1)) * eff;
    pair = peer * eff;
  } else if (su.topology === "torus" && su.torus && placement.torus_shape && placement.torus_wrap) {
    const link = su.torus.link_bandwidth_per_direction_bytes_per_s * eff;
    // A chip injects on both directions of every axis that has a ring (wraparound), one direction's
    // worth on a line without it (scaling-book: no wraparound roughly doubles the time).
    let sum = 0;
    placement.torus_shape.forEach((len, i) => {
      if (len > 1) sum += (placement.torus_wrap![i] ? 2 : 1) * link;
    });
    up = g > 1 ? sum : link;
    pair = link;
    torus = { shape: placement.torus_shape, wrap: placement.torus_wrap, link_bytes_per_s: link };
  }
  const so = system.scale_out;
  const over = placement.oversubscribed && so ? so.oversubscription : 1;
  const fabric: Fabric = {
    n: placement.ranks,
    g,
    k: placement.domains,
    up_bytes_per_s: up,
    up_pair_bytes_per_s: pair,
    net_rank_bytes_per_s: so ? (Math.min(so.per_chip_bandwidth_bytes_per_s, so.host_link_bytes_per_s ?? Infinity) * so.efficiency) / over : 0,
    nic_bytes_per_s: so ? (Math.min(so.nic_rate_bytes_per_s, so.host_link_bytes_per_s ?? Infinity) * so.efficiency) / over : 0,
    latency_up_s: su.latency_s,
    latency_out_s: so?.latency_s ?? 0,
    nvls_latency_s: su.in_network_reduction?.latency_s ?? 0,
    collnet_latency_s: so?.in_network_reduction?.latency_s ?? 0,
  };
  const inr = su.in_network_reduction;
  if (inr && su.topology === "switch" && g >= inr.min_ranks) fabric.nvls_bytes_per_s = su.bandwidth_per_direction_bytes_per_s * inr.efficiency;
  const sharp = so?.in_network_reduction;
  if (sharp && so && placement.domains >= sharp.min_ranks) fabric.collnet_bytes_per_s = (so.per_chip_bandwidth_bytes_per_s * sharp.efficiency) / over;
  if (torus) fabric.torus = torus;
  if (system.library.tree_two_domain_efficiency !== undefined) fabric.tree_two_domain_efficiency = system.library.tree_two_domain_efficiency;
  return fabric;
}
