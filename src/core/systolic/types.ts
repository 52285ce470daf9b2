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
}

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
}

export interface SystolicOptions {
  semantics: SystolicSemantics;
  /** Default batch for layers that give none (corrected semantics only). */
  batch?: number;
}
