import { calcModeConfig, type SystolicConfig } from "../../src/core/systolic/index.js";

/** A small 4×4 output-stationary array with SCALE-Sim's default offsets and 64 KiB SRAMs (CALC mode). */
export const SMALL_OS_CONFIG: SystolicConfig = calcModeConfig({ run_name: "t", array_rows: 4, array_cols: 4, dataflow: "os", ifmap_sram_kb: 64, filter_sram_kb: 64, ofmap_sram_kb: 64 });
