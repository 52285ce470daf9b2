/**
 * Public API of the NPU design tools: mapping search per layer, energy per action and area for custom
 * NPU designs (chip specs with a `design:` block). Browser-safe; the energy catalog is passed in
 * (src/node/energy-catalog.ts loads it from catalog/energy).
 */
import type { EnergyCatalog } from "../spec/energy-spec.js";
import { areaOf, type AreaBreakdown } from "./area-model.js";
import type { NpuDesign } from "./design.js";
import { designActionEnergies, type DesignActionEnergies } from "./energy-model.js";
import { evaluateMapping, type MappingEvaluation } from "./evaluate.js";
import { searchMapping, type MapObjective, type MapperResult } from "./mapper.js";
import { mappingToObject, type Mapping } from "./mapping.js";
import type { LayerProblem } from "./problem.js";
import { systolicCrossCheck } from "./systolic-crosscheck.js";

export { resolveDesign, parseNodeNm, DATAFLOW_SPATIAL, type NpuDesign, type NpuLevel } from "./design.js";
export { parseLayerSpec, problemFromConv, problemFromGemm, macsOf, type ConvLayerShape, type GemmLayerShape, type LayerProblem } from "./problem.js";
export { checkMapping, mappingToObject, minimalTileReasons, type Mapping } from "./mapping.js";
export { mappingFromObject } from "./mapping-from-object.js";
export { computeAccessCounts, refetch, type AccessCounts } from "./access-counts.js";
export { designActionEnergies, energyOf, scaleToNode, dramKey, type DesignActionEnergies, type EnergyBreakdown } from "./energy-model.js";
export { areaOf, type AreaBreakdown } from "./area-model.js";
export { designStaticPower, clockedBits, type StaticPower } from "./static-energy.js";
export { evaluateMapping, type MappingEvaluation } from "./evaluate.js";
export { systolicCrossCheck, systolicLayerOf, type SystolicCrossCheck } from "./systolic-crosscheck.js";
export { searchMapping, mulberry32, type MapObjective, type MapperOptions, type MapperResult } from "./mapper.js";

export interface LayerMapResult {
  layer: string;
  repeats: number;
  feasible: boolean;
  reasons: string[];
  macs: number;
  mapping?: Record<string, unknown>;
  energy_pj?: number;
  pj_per_mac?: number;
  energy_by_component_pj?: Record<string, number>;
  energy_by_level_pj?: Record<string, { total: number; weights: number; inputs: number; outputs: number; reads: number; writes: number }>;
  cycles?: number;
  compute_cycles?: number;
  dram_cycles?: number;
  /** Stall-free cycles of the SCALE-Sim-compatible simulator (corrected semantics), systolic single-array ws/os/is designs only. */
  cycles_systolic_sim?: number;
  latency_s?: number;
  utilization?: number;
  tops_per_w?: number;
  evaluations: number;
  valid_evaluations: number;
  stopped: MapperResult["stopped"] | "replay";
  failures: MapperResult["failures"];
}

export interface DesignSummary {
  chip: string;
  process_nm: number;
  pes: number;
  clock_hz: number;
  peak_tops: number;
  area: AreaBreakdown;
  peak_tops_per_mm2: number;
  action_energies: DesignActionEnergies;
}

export function summarizeDesign(cat: EnergyCatalog, d: NpuDesign): DesignSummary {
  const pes = d.rows * d.cols * d.arrays;
  const area = areaOf(cat, d);
  const peak = (2 * pes * d.clock_hz) / 1e12;
  return { chip: d.chip_id, process_nm: d.process_nm, pes, clock_hz: d.clock_hz, peak_tops: peak, area, peak_tops_per_mm2: peak / area.total_mm2, action_energies: designActionEnergies(cat, d) };
}

function toResult(p: LayerProblem, d: NpuDesign, ev: MappingEvaluation | undefined, mapping: Mapping | undefined, meta: Pick<LayerMapResult, "evaluations" | "valid_evaluations" | "stopped" | "failures">, reasons: string[]): LayerMapResult {
  const base = { layer: p.name, repeats: p.repeats, macs: ev?.macs ?? 0, ...meta };
  if (!ev || !ev.valid || !mapping || !ev.energy) return { ...base, feasible: false, reasons: reasons.length > 0 ? reasons : (ev?.reasons ?? ["no valid mapping found"]) };
  const r = p.repeats;
  const levels: NonNullable<LayerMapResult["energy_by_level_pj"]> = {};
  const comp: Record<string, number> = { mac: ev.energy.mac_pj * r, noc: ev.energy.noc_pj * r, static: ev.energy.static_pj * r, clock: ev.energy.clock_pj * r };
  for (const l of ev.energy.levels) {
    const sum = (x: Record<string, number>): number => (x.weights! + x.inputs! + x.outputs!) * r;
    levels[l.name] = { total: l.energy_pj * r, weights: l.energy_by_tensor_pj.weights * r, inputs: l.energy_by_tensor_pj.inputs * r, outputs: l.energy_by_tensor_pj.outputs * r, reads: sum(l.reads), writes: sum(l.writes) };
    comp[l.name] = l.energy_pj * r;
  }
  return {
    ...base,
    feasible: true,
    reasons: [],
    mapping: mappingToObject(d, mapping),
    energy_pj: ev.energy_pj,
    pj_per_mac: ev.energy_pj / ev.macs,
    energy_by_component_pj: comp,
    energy_by_level_pj: levels,
    cycles: ev.cycles,
    compute_cycles: ev.compute_cycles,
    dram_cycles: ev.dram_cycles,
    ...(() => {
      const x = systolicCrossCheck(d, p);
      return x ? { cycles_systolic_sim: x.cycles_systolic_sim } : {};
    })(),
    latency_s: ev.latency_s,
    utilization: ev.utilization,
    tops_per_w: (2 * ev.macs) / (ev.energy_pj * 1e-12) / 1e12,
  };
}

/** Searches a mapping for one layer and reports its energy, latency and efficiency (or why none fits). */
export function mapLayer(d: NpuDesign, energies: DesignActionEnergies, p: LayerProblem, opts: { seed?: number; maxEvals?: number; objective?: MapObjective; shouldStop?: () => boolean } = {}): LayerMapResult {
  const r = searchMapping(d, p, energies, opts);
  const meta = { evaluations: r.evaluations, valid_evaluations: r.valid_evaluations, stopped: r.stopped, failures: r.failures };
  return toResult(p, d, r.best?.evaluation, r.best?.mapping, meta, r.feasible ? [] : r.failures.slice(0, 5).map((f) => `${f.example} (${f.count}×)`));
}

/** Evaluates a given mapping (replay): deterministic, no search. */
export function replayMapping(d: NpuDesign, energies: DesignActionEnergies, p: LayerProblem, m: Mapping): LayerMapResult {
  const ev = evaluateMapping(d, p, m, energies);
  return toResult(p, d, ev, m, { evaluations: 1, valid_evaluations: ev.valid ? 1 : 0, stopped: "replay", failures: [] }, ev.reasons);
}

export interface NetworkTotals {
  layers: number;
  feasible_layers: number;
  macs: number;
  energy_pj: number;
  pj_per_mac: number;
  latency_s: number;
  tops_per_w: number;
  effective_tops: number;
  tops_per_mm2: number;
  energy_by_component_pj: Record<string, number>;
}

/** Sums feasible layers; infeasible ones are counted and excluded. */
export function totalsOf(results: readonly LayerMapResult[], area_mm2: number): NetworkTotals {
  let macs = 0, e = 0, t = 0, ok = 0;
  const comp: Record<string, number> = {};
  for (const r of results) {
    if (!r.feasible) continue;
    ok++;
    macs += r.macs;
    e += r.energy_pj!;
    t += r.latency_s!;
    for (const [k, v] of Object.entries(r.energy_by_component_pj!)) comp[k] = (comp[k] ?? 0) + v;
  }
  const tops = t > 0 ? (2 * macs) / t / 1e12 : 0;
  return { layers: results.length, feasible_layers: ok, macs, energy_pj: e, pj_per_mac: macs > 0 ? e / macs : 0, latency_s: t, tops_per_w: e > 0 ? (2 * macs) / (e * 1e-12) / 1e12 : 0, effective_tops: tops, tops_per_mm2: tops / area_mm2, energy_by_component_pj: comp };
}
