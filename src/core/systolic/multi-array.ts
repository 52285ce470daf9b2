/**
 * Several identical R×C arrays running one layer (corrected semantics only). Each array has its own
 * IFMAP, filter and OFMAP SRAMs (the configured sizes) and all share the DRAM port.
 * Distribution, chosen so that every array runs an exact sub-problem of the same engine:
 *  - grouped/depthwise layers: the `groups` independent GEMMs are dealt out, ceil or floor(groups/A) per array;
 *  - otherwise the N dimension (filters) is partitioned: OS/WS in whole column folds (ceil(ceil(N/C)/A)·C
 *    filters per array, so no array gets a partly filled fold it would not have had alone), IS in
 *    ceil(N/A) filters (N is IS's temporal dimension, so every array keeps all folds, each shorter).
 *    N-partitioning needs no reduction of partial sums across arrays (each output belongs to one array);
 *    its cost is that every array reads the whole IFMAP, so DRAM IFMAP reads grow with the arrays used.
 * The layer takes as long as the slowest array; utilisations are over all A·R·C PEs; counts are summed;
 * DRAM bandwidths are the total over the layer's DRAM span. USER mode splits the port evenly: each
 * array gets floor(B / arrays used) words/cycle (so at most B arrays are used); as every array fetches the whole IFMAP through its
 * share, spreading a DRAM-bound layer can be slower than one array, and then the layer runs on one
 * array (a scheduler never uses more arrays to go slower), reported with arrays_used = 1.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { foldGeometry } from "./fold-geometry.js";
import type { LoweredLayer } from "./gemm-lowering.js";
import { exactRatio } from "./python-numbers.js";
import { simulateLoweredLayer } from "./simulate-layer.js";
import type { SystolicConfig, SystolicLayerResult } from "./types.js";

interface ArrayJob {
  layer: LoweredLayer;
  /** Arrays running this job. */
  count: number;
}

/** How the layer is cut into per-array jobs; the counts add up to the arrays used (≤ arrays). */
export function arrayJobs(layer: LoweredLayer, cfg: SystolicConfig, arrays: number): ArrayJob[] {
  const jobs: ArrayJob[] = [];
  const add = (l: LoweredLayer, count: number): void => {
    if (count > 0) jobs.push({ layer: l, count });
  };
  if (layer.repeats > 1) {
    const used = Math.min(arrays, layer.repeats);
    const q = Math.floor(layer.repeats / used);
    const rem = layer.repeats % used;
    add({ ...layer, repeats: q + 1 }, rem);
    add({ ...layer, repeats: q }, used - rem);
    return jobs;
  }
  const N = layer.gemm.N;
  const slice = cfg.dataflow === "is" ? Math.ceil(N / arrays) : Math.ceil(Math.ceil(N / cfg.array_cols) / arrays) * cfg.array_cols;
  const used = Math.ceil(N / slice);
  const last = N - (used - 1) * slice;
  const part = (n: number): LoweredLayer => ({ ...layer, gemm: { ...layer.gemm, N: n } });
  if (last === slice) add(part(slice), used);
  else {
    add(part(slice), used - 1);
    add(part(last), 1);
  }
  return jobs;
}

/** Simulates a (non-vector) lowered layer on `arrays` arrays. */
export function simulateOnArrays(layer: LoweredLayer, layerId: number, cfg: SystolicConfig, arrays: number): SystolicLayerResult {
  if (cfg.interface_bandwidth_mode !== "USER") return spreadOverArrays(layer, layerId, cfg, arrays);
  // USER: at most B arrays (each needs at least 1 word/cycle of the shared port).
  const usable = Math.min(arrays, Math.floor(cfg.user_bandwidth_words_per_cycle?.[0] ?? 1));
  const spread = usable > 1 ? spreadOverArrays(layer, layerId, cfg, usable) : undefined;
  const single = simulateLoweredLayer(layer, layerId, cfg, "corrected");
  if (spread && spread.arrays_used !== undefined && spread.arrays_used > 1 && single.total_cycles >= spread.total_cycles) {
    if (usable === arrays) return spread;
    // Utilisations over all A·R·C PEs, not only the arrays the port could feed.
    const f = usable / arrays;
    return { ...spread, overall_util_pct: spread.overall_util_pct * f, mapping_efficiency_pct: spread.mapping_efficiency_pct * f, compute_util_pct: spread.compute_util_pct * f };
  }
  const pe = cfg.array_rows * cfg.array_cols;
  // One array busy, the others idle: utilisations over all A·R·C PEs.
  return {
    ...single,
    overall_util_pct: exactRatio(single.macs * 100, single.total_cycles * arrays * pe),
    mapping_efficiency_pct: single.mapping_efficiency_pct / arrays,
    compute_util_pct: single.compute_util_pct / arrays,
    arrays_used: 1,
  };
}

function spreadOverArrays(layer: LoweredLayer, layerId: number, cfg: SystolicConfig, arrays: number): SystolicLayerResult {
  const jobs = arrayJobs(layer, cfg, arrays);
  const used = jobs.reduce((s, j) => s + j.count, 0);
  let jobCfg = cfg;
  if (cfg.interface_bandwidth_mode === "USER") {
    const b = cfg.user_bandwidth_words_per_cycle?.[0] ?? 0;
    const per = Math.floor(b / used);
    if (per < 1) throw new XpusimError(error("E_RANGE", "architecture_presets.Bandwidth", `the DRAM bandwidth (${b} words/cycle) shared by ${used} arrays leaves less than 1 word/cycle each`));
    jobCfg = { ...cfg, user_bandwidth_words_per_cycle: [per] };
  }
  const runs = jobs.map((j) => {
    const r = simulateLoweredLayer(j.layer, layerId, jobCfg, "corrected");
    const geo = foldGeometry(j.layer.gemm, cfg.array_rows, cfg.array_cols, cfg.dataflow, "corrected");
    return { r, count: j.count, busy: geo.foldRows * geo.folds * j.layer.repeats };
  });
  let slowest = runs[0]!;
  for (const x of runs) if (x.r.total_cycles > slowest.r.total_cycles) slowest = x;
  const total = slowest.r.total_cycles;
  const maxBusy = Math.max(...runs.map((x) => x.busy));
  const sum = (f: (r: SystolicLayerResult) => number): number => runs.reduce((s, x) => s + x.count * f(x.r), 0);
  const min = (f: (r: SystolicLayerResult) => number): number => Math.min(...runs.map((x) => f(x.r)));
  const max = (f: (r: SystolicLayerResult) => number): number => Math.max(...runs.map((x) => f(x.r)));
  const pe = cfg.array_rows * cfg.array_cols;
  const macs = sum((r) => r.macs);
  const dram = (words: number, start: number, stop: number): number => exactRatio(words, stop - start + 1);
  const out: SystolicLayerResult = {
    layer_id: layerId,
    layer_name: layer.name,
    gemm_m: layer.gemm.M,
    gemm_n: layer.gemm.N,
    gemm_k: layer.gemm.K,
    macs,
    total_cycles: total,
    stall_cycles: slowest.r.stall_cycles,
    overall_util_pct: exactRatio(macs * 100, total * arrays * pe),
    // PE-time weighted over all arrays (idle arrays count as empty): equals the one-array value for A = 1.
    mapping_efficiency_pct: runs.reduce((s, x) => s + x.count * x.r.mapping_efficiency_pct * x.busy, 0) / (arrays * maxBusy),
    compute_util_pct: runs.reduce((s, x) => s + x.count * x.r.compute_util_pct * x.busy, 0) / (arrays * maxBusy),
    sram_ifmap_reads: sum((r) => r.sram_ifmap_reads),
    sram_filter_reads: sum((r) => r.sram_filter_reads),
    sram_ofmap_writes: sum((r) => r.sram_ofmap_writes),
    dram_ifmap_reads: sum((r) => r.dram_ifmap_reads),
    dram_filter_reads: sum((r) => r.dram_filter_reads),
    dram_ofmap_writes: sum((r) => r.dram_ofmap_writes),
    sram_ifmap_start_cycle: min((r) => r.sram_ifmap_start_cycle),
    sram_ifmap_stop_cycle: max((r) => r.sram_ifmap_stop_cycle),
    sram_filter_start_cycle: min((r) => r.sram_filter_start_cycle),
    sram_filter_stop_cycle: max((r) => r.sram_filter_stop_cycle),
    sram_ofmap_start_cycle: min((r) => r.sram_ofmap_start_cycle),
    sram_ofmap_stop_cycle: max((r) => r.sram_ofmap_stop_cycle),
    dram_ifmap_start_cycle: min((r) => r.dram_ifmap_start_cycle),
    dram_ifmap_stop_cycle: max((r) => r.dram_ifmap_stop_cycle),
    dram_filter_start_cycle: min((r) => r.dram_filter_start_cycle),
    dram_filter_stop_cycle: max((r) => r.dram_filter_stop_cycle),
    dram_ofmap_start_cycle: min((r) => r.dram_ofmap_start_cycle),
    dram_ofmap_stop_cycle: max((r) => r.dram_ofmap_stop_cycle),
    avg_ifmap_sram_bw: 0,
    avg_filter_sram_bw: 0,
    avg_ofmap_sram_bw: 0,
    avg_ifmap_dram_bw: 0,
    avg_filter_dram_bw: 0,
    avg_ofmap_dram_bw: 0,
    arrays_used: used,
  };
  out.avg_ifmap_sram_bw = exactRatio(out.sram_ifmap_reads, total);
  out.avg_filter_sram_bw = exactRatio(out.sram_filter_reads, total);
  out.avg_ofmap_sram_bw = exactRatio(out.sram_ofmap_writes, total);
  out.avg_ifmap_dram_bw = dram(out.dram_ifmap_reads, out.dram_ifmap_start_cycle, out.dram_ifmap_stop_cycle);
  out.avg_filter_dram_bw = dram(out.dram_filter_reads, out.dram_filter_start_cycle, out.dram_filter_stop_cycle);
  out.avg_ofmap_dram_bw = dram(out.dram_ofmap_writes, out.dram_ofmap_start_cycle, out.dram_ofmap_stop_cycle);
  return out;
}
