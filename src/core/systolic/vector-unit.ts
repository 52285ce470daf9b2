/**
 * The vector unit next to the systolic array(s) (corrected semantics only): runs non-GEMM layers
 * (pool, eltwise, act, softmax; their work is counted in gemm-lowering.ts `lowerVector`) on
 * A arrays × L lanes × p operations per lane per cycle, and fills the same per-layer fields as a
 * GEMM layer. Throughput model (a streaming SIMD unit, as the TPU v1 "activation/pooling" units,
 * Jouppi et al., ISCA 2017, §2):
 *   compute = ceil(ops / (A·L·p)),
 *   CALC: busy = compute;  USER (bandwidth B words/cycle per operand, shared by the arrays):
 *   busy = max(compute, ceil(dram_reads_of_each_operand / B), ceil(dram_writes / B)), stalls = busy − compute,
 *   total_cycles = busy + D (D = pipeline fill, `VectorPipelineCycles`, default 2: SRAM read, then op).
 * Utilisations are relative to the A·L·p lane-operations per cycle (macs and gemm_* are 0).
 * Reads occupy cycles [0, busy − 1], writes [D, total − 1]; DRAM words stream over the same spans.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { VectorWork } from "./gemm-lowering.js";
import { exactRatio } from "./python-numbers.js";
import type { SystolicConfig, SystolicLayerResult } from "./types.js";

/** Default pipeline fill of the vector unit, in cycles (model assumption: one SRAM read cycle, one op cycle). */
export const DEFAULT_VECTOR_PIPELINE_CYCLES = 2;

export interface VectorUnitShape {
  lanes: number;
  opsPerLane: number;
  pipelineCycles: number;
}

export function vectorUnitShape(cfg: SystolicConfig): VectorUnitShape {
  return {
    lanes: cfg.vector_lanes ?? cfg.array_cols,
    opsPerLane: cfg.vector_ops_per_lane ?? 1,
    pipelineCycles: cfg.vector_pipeline_cycles ?? DEFAULT_VECTOR_PIPELINE_CYCLES,
  };
}

/** Simulates one vector-unit layer on `arrays` arrays' vector units. */
export function simulateVectorLayer(work: VectorWork, layerId: number, name: string, cfg: SystolicConfig, arrays: number): SystolicLayerResult {
  const { lanes, opsPerLane, pipelineCycles: D } = vectorUnitShape(cfg);
  const perCycle = arrays * lanes * opsPerLane;
  const compute = Math.max(1, Math.ceil(work.ops / perCycle));
  let busy = compute;
  if (cfg.interface_bandwidth_mode === "USER") {
    const bw = cfg.user_bandwidth_words_per_cycle?.[0];
    if (bw === undefined || !(bw >= 1))
      throw new XpusimError(error("E_SCHEMA", "architecture_presets.Bandwidth", "USER bandwidth mode needs a Bandwidth (words/cycle)", { expected: "e.g. Bandwidth : 10" }));
    busy = Math.max(compute, Math.ceil(work.dramIfmapReads / bw), Math.ceil(work.dramFilterReads / bw), Math.ceil(work.dramOfmapWrites / bw));
  }
  const stall = busy - compute;
  const total = busy + D;
  const readSpan = (words: number): [number, number] => (words > 0 ? [0, busy - 1] : [0, 0]);
  const writeSpan = (words: number): [number, number] => (words > 0 ? [D, total - 1] : [0, 0]);
  const bw = (words: number, span: [number, number]): number => exactRatio(words, span[1] - span[0] + 1);
  const sIf = readSpan(work.sramIfmapReads);
  const sFl = readSpan(work.sramFilterReads);
  const sOf = writeSpan(work.sramOfmapWrites);
  const dIf = readSpan(work.dramIfmapReads);
  const dFl = readSpan(work.dramFilterReads);
  const dOf = writeSpan(work.dramOfmapWrites);
  return {
    layer_id: layerId,
    layer_name: name,
    gemm_m: 0,
    gemm_n: 0,
    gemm_k: 0,
    macs: 0,
    total_cycles: total,
    stall_cycles: stall,
    overall_util_pct: exactRatio(work.ops * 100, total * perCycle),
    mapping_efficiency_pct: exactRatio(work.ops * 100, compute * perCycle),
    compute_util_pct: exactRatio(work.ops * 100, (total - stall) * perCycle),
    sram_ifmap_reads: work.sramIfmapReads,
    sram_filter_reads: work.sramFilterReads,
    sram_ofmap_writes: work.sramOfmapWrites,
    dram_ifmap_reads: work.dramIfmapReads,
    dram_filter_reads: work.dramFilterReads,
    dram_ofmap_writes: work.dramOfmapWrites,
    sram_ifmap_start_cycle: sIf[0],
    sram_ifmap_stop_cycle: sIf[1],
    sram_filter_start_cycle: sFl[0],
    sram_filter_stop_cycle: sFl[1],
    sram_ofmap_start_cycle: sOf[0],
    sram_ofmap_stop_cycle: sOf[1],
    dram_ifmap_start_cycle: dIf[0],
    dram_ifmap_stop_cycle: dIf[1],
    dram_filter_start_cycle: dFl[0],
    dram_filter_stop_cycle: dFl[1],
    dram_ofmap_start_cycle: dOf[0],
    dram_ofmap_stop_cycle: dOf[1],
    avg_ifmap_sram_bw: exactRatio(work.sramIfmapReads, total),
    avg_filter_sram_bw: exactRatio(work.sramFilterReads, total),
    avg_ofmap_sram_bw: exactRatio(work.sramOfmapWrites, total),
    avg_ifmap_dram_bw: bw(work.dramIfmapReads, dIf),
    avg_filter_dram_bw: bw(work.dramFilterReads, dFl),
    avg_ofmap_dram_bw: bw(work.dramOfmapWrites, dOf),
    ...(arrays > 1 ? { arrays_used: arrays } : {}),
    unit: "vector",
    vector_ops: work.ops,
  };
}
