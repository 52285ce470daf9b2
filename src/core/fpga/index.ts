/**
 * FPGA accelerator model (docs/fpga.md): the roofline design-space method of Zhang et al., FPGA'15, for a
 * loop-tiled CNN engine on a catalog FPGA — resources, clock, cycles, bandwidth, throughput, power — and its
 * search over ⟨Tm, Tn, Tr, Tc⟩. Browser-safe, closed forms per layer.
 */
export * from "./types.js";
export * from "./dsp-packing.js";
export { bufferBlocks, dspUsed, lutEstimate, LUT_MODEL_NOTE, peBudget, tileBufferBlocks } from "./resources.js";
export { CLOCK_DERATING_K, CLOCK_DERATING_RANGE, derivedClockHz, DYNAMIC_W_PER_DSP_GHZ, fpgaPower, type FpgaPower } from "./clock-power.js";
export { bestLayerTiles, DEFAULT_PIPELINE_DEPTH, evaluateLayer, layerCycles, layerDramBytes, layerOps, type LayerContext } from "./layer-model.js";
export { dspCostOf, evaluateDesign, type EvaluateOptions, type FpgaDesignResult } from "./evaluate-design.js";
export { searchDesigns, type FpgaSearchResult, type SearchOptions } from "./search-designs.js";
export { fpgaDevice } from "./device.js";
