/**
 * Public API of the systolic-array simulator (SCALE-Sim v2 compatible). Browser-safe: parsers take
 * text, the engine takes plain objects; reading and writing files lives in src/node/scalesim-files.ts.
 */
import { lowerLayers } from "./gemm-lowering.js";
import { simulateLoweredLayer } from "./simulate-layer.js";
import type { LayerSpec, SystolicConfig, SystolicLayerResult, SystolicOptions } from "./types.js";

export type * from "./types.js";
export { parseScaleSimConfig, type ParsedSystolicConfig } from "./scalesim-config.js";
export { parseTopologyCsv, type ParsedTopology, type TopologyFormat } from "./topology-csv.js";
export { lowerLayers, type GemmProblem, type LoweredLayer } from "./gemm-lowering.js";
export { simulateGemm, simulateLoweredLayer } from "./simulate-layer.js";
export { renderScaleSimReports, renderComputeReport, renderBandwidthReport, renderDetailedAccessReport } from "./scalesim-reports.js";
export { formatPythonFloat } from "./python-numbers.js";

/** Simulates every layer of a topology; one result per simulated layer (SCALE-Sim splits "DP" layers). */
export function simulateSystolic(config: SystolicConfig, layers: readonly LayerSpec[], options: SystolicOptions = { semantics: "scalesim" }): SystolicLayerResult[] {
  const lowered = lowerLayers(layers, options.semantics, options.batch ?? 1);
  return lowered.map((l, id) => simulateLoweredLayer(l, id, config, options.semantics));
}
