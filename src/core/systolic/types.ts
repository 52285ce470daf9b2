/**
 * Types of the systolic-array simulator: the array configuration (what a SCALE-Sim `.cfg` holds),
 * the layers of a topology, the two semantics (`scalesim`: SCALE-Sim v2 bit for bit, `corrected`:
 * its known errors fixed) and the per-layer result whose fields map 1:1 to SCALE-Sim's
 * COMPUTE_REPORT, BANDWIDTH_REPORT and DETAILED_ACCESS_REPORT columns.
 * Units: cycles, words (one word = `word_size_bytes` bytes), words per cycle, percent.
 */

export type Dataflow = "os" | "ws" | "is";

/** `CALC`: estimate the DRAM bandwidth needed for stall-free reads; `USER`: a fixed bandwidth that can stall. */
export type BandwidthMode = "CALC" | "USER";

/**
 * `scalesim`: reproduce SCALE-Sim v2 (commit 22f88b1) exactly, quirks included.
 * `corrected`: fix its known errors and add batch, groups and word size (see docs/systolic.md).
 */
export type SystolicSemantics = "scalesim" | "corrected";

export interface SystolicConfig {
  run_name: string;
  array_rows: number;
  array_cols: number;
  dataflow: Dataflow;
  ifmap_sram_kb: number;
  filter_sram_kb: number;
  ofmap_sram_kb: number;
  ifmap_offset: number;
  filter_offset: number;
  ofmap_offset: number;
  interface_bandwidth_mode: BandwidthMode;
  /** SCALE-Sim's `Bandwidth` list (words/cycle); only its first value is used, and only in USER mode. */
  user_bandwidth_words_per_cycle: number[] | null;
  /** Bytes per word. SCALE-Sim hard-codes 1; the corrected semantics honour other values. */
  word_size_bytes: number;
  /** `TopologyCsvLoc` of a `[network_presets]` section, if any. */
  topology_path?: string;
  /**
   * Identical R×C arrays sharing the DRAM port (`ArrayCount`; corrected semantics only, default 1).
   * Each has its own IFMAP/filter/OFMAP SRAMs of the configured sizes.
   */
  array_count?: number;
  /** Lanes of the vector unit next to each array (`VectorLanes`; default: array_cols). */
  vector_lanes?: number;
  /** Operations per lane per cycle (`VectorOpsPerLane`; default 1). */
  vector_ops_per_lane?: number;
  /** Pipeline fill of the vector unit in cycles (`VectorPipelineCycles`; default 2: SRAM read, then op + write). */
  vector_pipeline_cycles?: number;
}

/**
 * Work a layer does: `conv`/`gemm` run on the systolic array(s); the others run on the vector unit
 * (corrected semantics only): `pool` (window max/avg: Fh·Fw ops per output), `eltwise` (two operands,
 * one op per element), `act` (one operand, one op per element), `softmax` (3 passes: max, exp-sum, scale).
 */
export type VectorOpType = "pool" | "eltwise" | "act" | "softmax";
export type LayerOpType = "conv" | "gemm" | VectorOpType;

export interface ConvLayerSpec {
  kind: "conv";
  name: string;
  ifmap_h: number;
  ifmap_w: number;
  filter_h: number;
  filter_w: number;
  channels: number;
  num_filters: number;
  stride_h: number;
  stride_w: number;
  /** Images per layer (corrected semantics only; SCALE-Sim is fixed at 1). */
  batch?: number;
  /** Convolution groups (corrected semantics only; channels and num_filters must divide by it). */
  groups?: number;
  /**
   * Zero padding on each side, rows and columns (corrected semantics only). When given (0 included)
   * the output size is the usual floor((H + 2P − F)/S) + 1; padded positions are never read.
   */
  pad_h?: number;
  pad_w?: number;
  /** Vector-unit work instead of a convolution (`Type` column; corrected semantics only). */
  op_type?: LayerOpType;
  /** 1-based line of the topology file the layer came from, for messages. */
  line?: number;
}

export interface GemmLayerSpec {
  kind: "gemm";
  name: string;
  M: number;
  N: number;
  K: number;
  batch?: number;
  /** Vector-unit work on an M×N matrix instead of a GEMM (`Type` column; corrected semantics only). */
  op_type?: LayerOpType;
  line?: number;
}

export type LayerSpec = ConvLayerSpec | GemmLayerSpec;

/** One layer's result; the field names match the reference cases and the CLI's JSON output. */
export interface SystolicLayerResult {
  layer_id: number;
  layer_name: string;
  gemm_m: number;
  gemm_n: number;
  gemm_k: number;
  macs: number;
  total_cycles: number;
  stall_cycles: number;
  overall_util_pct: number;
  mapping_efficiency_pct: number;
  compute_util_pct: number;
  sram_ifmap_reads: number;
  sram_filter_reads: number;
  sram_ofmap_writes: number;
  dram_ifmap_reads: number;
  dram_filter_reads: number;
  dram_ofmap_writes: number;
  sram_ifmap_start_cycle: number;
  sram_ifmap_stop_cycle: number;
  sram_filter_start_cycle: number;
  sram_filter_stop_cycle: number;
  sram_ofmap_start_cycle: number;
  sram_ofmap_stop_cycle: number;
  dram_ifmap_start_cycle: number;
  dram_ifmap_stop_cycle: number;
  dram_filter_start_cycle: number;
  dram_filter_stop_cycle: number;
  dram_ofmap_start_cycle: number;
  dram_ofmap_stop_cycle: number;
  avg_ifmap_sram_bw: number;
  avg_filter_sram_bw: number;
  avg_ofmap_sram_bw: number;
  avg_ifmap_dram_bw: number;
  avg_filter_dram_bw: number;
  avg_ofmap_dram_bw: number;
  /** Corrected semantics with several arrays: arrays that got work (absent otherwise). */
  arrays_used?: number;
  /** Vector-unit layers only: the unit that ran it and its lane operations (macs and gemm_* are 0). */
  unit?: "vector";
  vector_ops?: number;
}

export interface SystolicOptions {
  semantics: SystolicSemantics;
  /** Default batch for layers that give none (corrected semantics only). */
  batch?: number;
  /** Default zero padding (each side) for conv layers that give none (corrected semantics only). */
  padding?: number;
  /** Number of arrays, overriding config.array_count (corrected semantics only). */
  arrays?: number;
}
