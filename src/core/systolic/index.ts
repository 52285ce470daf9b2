/**
 * Public API of the systolic-array simulator (SCALE-Sim v2 compatible). Browser-safe: parsers take
 * text, the engine takes plain objects; reading and writing files lives in src/node/scalesim-files.ts.
 */
import { XpusimError } from "../diagnostics/diagnostic.js";
import { lowerLayers } from "./gemm-lowering.js";
import { simulateLoweredLayer } from "./simulate-layer.js";
import type { LayerSpec, SystolicConfig, SystolicLayerResult, SystolicOptions } from "./types.js";
import { validateSystolicInputs } from "./validate-inputs.js";

export type * from "./types.js";
export { parseScaleSimConfig, type ParsedSystolicConfig } from "./scalesim-config.js";
export { parseTopologyCsv, type ParsedTopology, type TopologyFormat } from "./topology-csv.js";
export { lowerLayers, type GemmProblem, type LoweredLayer } from "./gemm-lowering.js";
export { simulateGemm, simulateLoweredLayer } from "./simulate-layer.js";
export { renderScaleSimReports, renderComputeReport, renderBandwidthReport, renderDetailedAccessReport } from "./scalesim-reports.js";
export { formatPythonFloat } from "./python-numbers.js";
export { validateSystolicInputs } from "./validate-inputs.js";

/** Simulates every layer of a topology; one result per simulated layer (SCALE-Sim splits "DP" layers). */
export function simulateSystolic(config: SystolicConfig, layers: readonly LayerSpec[], options: SystolicOptions = { semantics: "scalesim" }): SystolicLayerResult[] {
  validateSystolicInputs(config, layers);
  if (options.batch !== undefined && !(Number.isSafeInteger(options.batch) && options.batch >= 1))
    throw new XpusimError({ code: "E_RANGE", severity: "error", path: "batch", message: "batch must be a positive integer", got: String(options.batch) });
  const lowered = lowerLayers(layers, options.semantics, options.batch ?? 1);
  return lowered.map((l, id) => {
    try {
      return simulateLoweredLayer(l, id, config, options.semantics);
    } catch (e) {
      if (!(e instanceof XpusimError)) throw e;
      const where = `layer ${id} "${l.name}"${l.line !== undefined ? ` (topology line ${l.line})` : ""}`;
      throw new XpusimError(e.diagnostics.map((d) => ({ ...d, message: `${where}: ${d.message}` })));
    }
  });
}
