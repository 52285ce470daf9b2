/**
 * Cross-check of the mapper's latency against the SCALE-Sim-compatible cycle simulator (src/core/systolic,
 * corrected semantics, CALC bandwidth mode so that DRAM never stalls): for a single systolic array with a
 * ws/os/is dataflow, the layer is lowered to SCALE-Sim's GEMM (a conv is given its padded input, as the
 * mapper's problem already is; conv groups and GEMM batch run `repeats` times) and its stall-free cycles
 * are returned. The simulator charges every fold 2R + C + T − 2 cycles (ws/is: R cycles of stationary-operand
 * preload, then skewed fill/drain, on the full array even when the fold is partial); the mapper charges
 * T + r + c − 2 with r, c the rows and columns the fold uses, so for weight-stationary GEMMs it is lower by
 * about R + (R − r) + (C − c) per fold. Other designs (mesh arrays, several arrays, rs) give undefined.
 */
import { calcModeConfig, simulateSystolic, type LayerSpec, type SystolicConfig } from "../systolic/index.js";
import type { NpuDesign } from "./design.js";
import type { LayerProblem } from "./problem.js";

export interface SystolicCrossCheck {
  /** Stall-free cycles of all repeats, from simulateSystolic (corrected semantics). */
  cycles_systolic_sim: number;
  gemm: { M: number; N: number; K: number };
  repeats: number;
}

/** SCALE-Sim's layer for a mapper problem, or undefined where the simulator does not model the design. */
export function systolicLayerOf(design: NpuDesign, p: LayerProblem): LayerSpec | undefined {
  if (design.array_kind !== "systolic" || design.arrays !== 1 || design.dataflow === "rs") return undefined;
  const d = p.dims;
  return {
    kind: "conv",
    name: p.name,
    ifmap_h: (d.P - 1) * p.stride_h + d.R,
    ifmap_w: (d.Q - 1) * p.stride_w + d.S,
    filter_h: d.R,
    filter_w: d.S,
    channels: d.C,
    num_filters: d.M,
    stride_h: p.stride_h,
    stride_w: p.stride_w,
    batch: d.N,
  };
}

export function systolicCrossCheck(design: NpuDesign, p: LayerProblem): SystolicCrossCheck | undefined {
  const layer = systolicLayerOf(design, p);
  if (!layer) return undefined;
  // Operand buffers: the outermost chip level split in three (only the DRAM model uses them; CALC never stalls).
  const chip = design.levels.find((l) => l.scope === "chip");
  const kb = Math.max(1, Math.floor((chip?.capacity_bytes ?? 3 * 1024 * 1024) / 3 / 1024));
  const config = calcModeConfig({
    run_name: design.chip_id,
    array_rows: design.rows,
    array_cols: design.cols,
    dataflow: design.dataflow as SystolicConfig["dataflow"],
    ifmap_sram_kb: kb,
    filter_sram_kb: kb,
    ofmap_sram_kb: kb,
    word_size_bytes: Math.max(1, Math.round(design.dtype_bits / 8)),
  });
  const [r] = simulateSystolic(config, [layer], { semantics: "corrected" });
  if (!r) return undefined;
  return { cycles_systolic_sim: (r.total_cycles - r.stall_cycles) * p.repeats, gemm: { M: r.gemm_m, N: r.gemm_n, K: r.gemm_k }, repeats: p.repeats };
}
