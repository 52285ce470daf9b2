/**
 * SCALE-Sim v2's report files as text (`simulator.py: generate_reports`): COMPUTE_REPORT.csv,
 * BANDWIDTH_REPORT.csv and DETAILED_ACCESS_REPORT.csv, same header, same column order, same number
 * printing (Python `str()`: floats with repr, start/stop cycles as floats, counts as ints) and the
 * same ", " separators and trailing comma, so the files diff cleanly against SCALE-Sim's.
 */
import { formatPythonFloat } from "./python-numbers.js";
import type { SystolicLayerResult } from "./types.js";

const f = formatPythonFloat;
const i = (x: number): string => String(x);

function render(header: string, rows: string[][]): string {
  return header + rows.map((r) => `${r.join(", ")},\n`).join("");
}

export function renderComputeReport(results: readonly SystolicLayerResult[]): string {
  return render(
    "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n",
    results.map((r, k) => [i(k), i(r.total_cycles), i(r.stall_cycles), f(r.overall_util_pct), f(r.mapping_efficiency_pct), f(r.compute_util_pct)]),
  );
}

export function renderBandwidthReport(results: readonly SystolicLayerResult[]): string {
  return render(
    "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n",
    results.map((r, k) => [
      i(k),
      f(r.avg_ifmap_sram_bw),
      f(r.avg_filter_sram_bw),
      f(r.avg_ofmap_sram_bw),
      f(r.avg_ifmap_dram_bw),
      f(r.avg_filter_dram_bw),
      f(r.avg_ofmap_dram_bw),
    ]),
  );
}

export function renderDetailedAccessReport(results: readonly SystolicLayerResult[]): string {
  return render(
    "LayerID, " +
      "SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, " +
      "SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter Reads, " +
      "SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP Writes, " +
      "DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, " +
      "DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter Reads, " +
      "DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,\n",
    results.map((r, k) => [
      i(k),
      f(r.sram_ifmap_start_cycle),
      f(r.sram_ifmap_stop_cycle),
      i(r.sram_ifmap_reads),
      f(r.sram_filter_start_cycle),
      f(r.sram_filter_stop_cycle),
      i(r.sram_filter_reads),
      f(r.sram_ofmap_start_cycle),
      f(r.sram_ofmap_stop_cycle),
      i(r.sram_ofmap_writes),
      f(r.dram_ifmap_start_cycle),
      f(r.dram_ifmap_stop_cycle),
      i(r.dram_ifmap_reads),
      f(r.dram_filter_start_cycle),
      f(r.dram_filter_stop_cycle),
      i(r.dram_filter_reads),
      f(r.dram_ofmap_start_cycle),
      f(r.dram_ofmap_stop_cycle),
      i(r.dram_ofmap_writes),
    ]),
  );
}

/** The three report files by name. */
export function renderScaleSimReports(results: readonly SystolicLayerResult[]): Record<string, string> {
  return {
    "COMPUTE_REPORT.csv": renderComputeReport(results),
    "BANDWIDTH_REPORT.csv": renderBandwidthReport(results),
    "DETAILED_ACCESS_REPORT.csv": renderDetailedAccessReport(results),
  };
}
