import type { SystolicConfig } from "./types.js";

/** What a config built in memory (not read from a SCALE-Sim .cfg) states; the rest takes SCALE-Sim's defaults. */
export type CalcConfigInput = Pick<SystolicConfig, "run_name" | "array_rows" | "array_cols" | "dataflow" | "ifmap_sram_kb" | "filter_sram_kb" | "ofmap_sram_kb"> & Partial<Pick<SystolicConfig, "word_size_bytes">>;

/**
 * A systolic config in CALC bandwidth mode (the DRAM bandwidth needed is estimated, never stalls) with
 * SCALE-Sim's default operand address offsets (ifmap 0, filter 10,000,000, ofmap 20,000,000, as in its
 * shipped configs) and 1-byte words unless given.
 */
export function calcModeConfig(c: CalcConfigInput): SystolicConfig {
  return {
    ifmap_offset: 0,
    filter_offset: 10_000_000,
    ofmap_offset: 20_000_000,
    interface_bandwidth_mode: "CALC",
    user_bandwidth_words_per_cycle: null,
    word_size_bytes: 1,
    ...c,
  };
}
