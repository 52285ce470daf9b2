/**
 * Evaluates one mapping of a layer on a design: validity, access counts, energy by level and tensor,
 * latency (temporal steps + systolic fill/drain, bounded by DRAM bandwidth), leakage and clock energy over
 * that latency, pJ/MAC and TOPS/W.
 * Infeasible mappings are results with reasons, never exceptions.
 */
import { computeAccessCounts, type AccessCounts } from "./access-counts.js";
import type { NpuDesign } from "./design.js";
import { energyOf, type DesignActionEnergies, type EnergyBreakdown } from "./energy-model.js";
import { checkMapping, type Mapping } from "./mapping.js";
import type { LayerProblem } from "./problem.js";

export interface MappingEvaluation {
  valid: boolean;
  reasons: string[];
  macs: number;
  counts?: AccessCounts;
  energy?: EnergyBreakdown;
  energy_pj: number;
  compute_cycles: number;
  dram_cycles: number;
  cycles: number;
  latency_s: number;
  utilization: number;
  edp_pj_s: number;
}

export function evaluateMapping(design: NpuDesign, p: LayerProblem, m: Mapping, e: DesignActionEnergies): MappingEvaluation {
  const reasons = checkMapping(design, p, m);
  const macsAll = p.repeats * p.dims.N * p.dims.M * p.dims.C * p.dims.P * p.dims.Q * p.dims.R * p.dims.S;
  if (reasons.length > 0)
    return { valid: false, reasons, macs: macsAll, energy_pj: Infinity, compute_cycles: Infinity, dram_cycles: Infinity, cycles: Infinity, latency_s: Infinity, utilization: 0, edp_pj_s: Infinity };
  const counts = computeAccessCounts(design, p, m);
  const dynamic = energyOf(design, e, counts);
  const dram = dynamic.levels[0]!;
  const dramBits = (dram.reads.weights + dram.reads.inputs) * design.dtype_bits + dram.reads.outputs * design.accumulator_bits + dram.writes.outputs * design.dtype_bits;
  const dramCycles = (dramBits / 8 / design.dram.bandwidth_bytes_per_s) * design.clock_hz;
  const compute = counts.temporal_cycles + counts.fill_drain_cycles;
  const cyclesPerRepeat = Math.max(compute, dramCycles);
  // Leakage over the latency and the un-gated clock every cycle (energy-area.md §8), per repeat.
  const staticPj = e.static_power.leakage_w * (cyclesPerRepeat / design.clock_hz) * 1e12;
  const clockPj = e.static_power.clock_pj_per_cycle * cyclesPerRepeat;
  const energy = { ...dynamic, static_pj: staticPj, clock_pj: clockPj, total_pj: dynamic.total_pj + staticPj + clockPj };
  const cycles = cyclesPerRepeat * p.repeats;
  const energyPj = energy.total_pj * p.repeats;
  const latency = cycles / design.clock_hz;
  return {
    valid: true,
    reasons: [],
    macs: macsAll,
    counts,
    energy,
    energy_pj: energyPj,
    compute_cycles: compute * p.repeats,
    dram_cycles: dramCycles * p.repeats,
    cycles,
    latency_s: latency,
    utilization: macsAll / (cycles * design.rows * design.cols * design.arrays),
    edp_pj_s: energyPj * latency,
  };
}
