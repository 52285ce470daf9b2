/**
 * Public API of the systolic-array simulator (SCALE-Sim v2 compatible). Browser-safe: parsers take
 * text, the engine takes plain objects; reading and writing files lives in src/node/scalesim-files.ts.
 */
import { XpusimError } from "../diagnostics/diagnostic.js";
import { lowerLayers } from "./gemm-lowering.js";
import { simulateOnArrays } from "./multi-array.js";
import { simulateLoweredLayer } from "./simulate-layer.js";
import type { LayerSpec, SystolicConfig, SystolicLayerResult, SystolicOptions } from "./types.js";
import { validateSystolicInputs } from "./validate-inputs.js";
import { simulateVectorLayer } from "./vector-unit.js";

export type * from "./types.js";
export { parseScaleSimConfig, type ParsedSystolicConfig } from "./scalesim-config.js";
export { calcModeConfig, type CalcConfigInput } from "./calc-config.js";
export { parseTopologyCsv, type ParsedTopology, type TopologyFormat } from "./topology-csv.js";
export { lowerLayers, type GemmProblem, type LoweredLayer } from "./gemm-lowering.js";
export { simulateGemm, simulateLoweredLayer } from "./simulate-layer.js";
export { renderScaleSimReports, renderComputeReport, renderBandwidthReport, renderDetailedAccessReport } from "./scalesim-reports.js";
export { formatPythonFloat } from "./python-numbers.js";
export { validateSystolicInputs } from "./validate-inputs.js";
export { arrayJobs, simulateOnArrays } from "./multi-array.js";
export { simulateVectorLayer, vectorUnitShape, DEFAULT_VECTOR_PIPELINE_CYCLES } from "./vector-unit.js";

/**
 * Simulates every layer of a topology; one result per simulated layer (SCALE-Sim splits "DP" layers).
 * The corrected semantics also honour padding, several arrays (`config.array_count` or
 * `options.arrays`) and vector-unit layers; `--compat scalesim` ignores all three.
 */
export function simulateSystolic(config: SystolicConfig, layers: readonly LayerSpec[], options: SystolicOptions = { semantics: "scalesim" }): SystolicLayerResult[] {
  validateSystolicInputs(config, layers);
  const option = (name: "batch" | "padding" | "arrays", min: number): void => {
    const v = options[name];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= min))
      throw new XpusimError({ code: "E_RANGE", severity: "error", path: name, message: `${name} must be an integer ≥ ${min}`, got: String(v) });
  };
  option("batch", 1);
  option("padding", 0);
  option("arrays", 1);
  const corrected = options.semantics === "corrected";
  const arrays = corrected ? (options.arrays ?? config.array_count ?? 1) : 1;
  const lowered = lowerLayers(layers, options.semantics, options.batch ?? 1, corrected ? options.padding : undefined);
  return lowered.map((l, id) => {
    try {
      if (l.vector) return simulateVectorLayer(l.vector, id, l.name, config, arrays);
      if (arrays > 1) return simulateOnArrays(l, id, config, arrays);
      return simulateLoweredLayer(l, id, config, options.semantics);
    } catch (e) {
      if (!(e instanceof XpusimError)) throw e;
      const where = `layer ${id} "${l.name}"${l.line !== undefined ? ` (topology line ${l.line})` : ""}`;
      throw new XpusimError(e.diagnostics.map((d) => ({ ...d, message: `${where}: ${d.message}` })));
    }
  });
}
