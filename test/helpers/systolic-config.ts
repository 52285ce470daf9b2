import type { SystolicConfig } from "../../src/core/systolic/index.js";

/** A small 4×4 output-stationary array with SCALE-Sim's default offsets and 64 KiB SRAMs (CALC mode). */
export const SMALL_OS_CONFIG: SystolicConfig = {
  run_name: "t",
  array_rows: 4,
  array_cols: 4,
  dataflow: "os",
  ifmap_sram_kb: 64,
  filter_sram_kb: 64,
  ofmap_sram_kb: 64,
  ifmap_offset: 0,
  filter_offset: 10_000_000,
  ofmap_offset: 20_000_000,
  interface_bandwidth_mode: "CALC",
  user_bandwidth_words_per_cycle: null,
  word_size_bytes: 1,
};
