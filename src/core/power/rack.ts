/**
 * Rack power density of a system (precision-power-thermal.md §3.4, Part 4.4): a rack holds
 * `nodes_per_rack` nodes; a node's non-chip part (CPUs, NICs, fans, PSU losses) is taken at its maximum,
 * node_max_power − chips_per_node × TDP (conservative), plus the chips at the power the workload draws,
 * plus rack equipment outside the nodes (switch trays, power shelves):
 *
 *   P_rack = nodes_per_rack × (node_max_power − n·TDP + n·P_chip) + P_rack_other
 */
export interface RackInputs {
  nodes_per_rack: number;
  chips_per_node: number;
  node_max_power_w: number;
  rack_other_w: number;
  chip_tdp_w: number;
}

export interface RackFigures {
  rack_power_kw: number;
  rack_max_power_kw: number;
  chips_per_rack: number;
}

export function rackPowerOf(r: RackInputs, chip_power_w: number): RackFigures {
  const nonChip = Math.max(0, r.node_max_power_w - r.chips_per_node * r.chip_tdp_w);
  const node = nonChip + r.chips_per_node * chip_power_w;
  return {
    rack_power_kw: (r.nodes_per_rack * node + r.rack_other_w) / 1e3,
    rack_max_power_kw: (r.nodes_per_rack * Math.max(r.node_max_power_w, r.chips_per_node * r.chip_tdp_w) + r.rack_other_w) / 1e3,
    chips_per_rack: r.nodes_per_rack * r.chips_per_node,
  };
}
