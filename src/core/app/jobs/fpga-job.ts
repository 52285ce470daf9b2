import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import {
  CLOCK_DERATING_K,
  DEFAULT_PIPELINE_DEPTH,
  dspCostOf,
  evaluateDesign,
  type DspCost,
  type FpgaDesignResult,
  type FpgaDevice,
  fpgaDevice,
  type FpgaDtype,
  type FpgaLayer,
  type FpgaShortfall,
  LUT_MODEL_NOTE,
  searchDesigns,
  toFpgaDtype,
} from "../../fpga/index.js";
import type { SpecRef } from "../catalog.js";
import { fpgaLayersOfModel, parseFpgaLayer } from "../fpga-layers.js";
import { defineJob } from "../job.js";

export type { FpgaDesignResult, FpgaDevice, FpgaLayer, FpgaLayerResult, FpgaShortfall } from "../../fpga/index.js";

export interface FpgaJobRequest {
  /** An FPGA chip with an `fpga:` section (catalog id, file or inline spec). */
  chip: SpecRef;
  /** A CNN model (its conv and FC layers); or give `layers`. */
  model?: SpecRef;
  /** Explicit layers: "conv:M=96,N=3,R=55,C=55,K=11,S=4,repeats=1" or objects. */
  layers?: ReadonlyArray<string | FpgaLayer>;
  /** "conv": conv layers only (as Zhang FPGA'15 and Qiu FPGA'16 report); "all" (default) adds FC layers. */
  scope?: "conv" | "all";
  /** fp32, fp16, int16 (fixed16), int8, int4; default int8. */
  dtype?: string;
  /** An explicit design: both Tm and Tn, evaluated as given. Absent: the design-space search. */
  tm?: number;
  tn?: number;
  /** Output pixels computed in parallel sharing each weight (AMD DPU's pixel parallelism); default 1. */
  tp?: number;
  /** Explicit design only: row and column tiles for every layer (both; capped at each layer's R and C). Chosen per layer when absent. */
  tr?: number;
  tc?: number;
  /** Design clock (Hz); derived from the family ceiling and DSP utilisation when absent. */
  clock_hz?: number;
  /** Off-chip bandwidth (B/s); default the chip's main-memory peak × the family's achievable fraction. */
  bandwidth_bytes_per_s?: number;
  batch?: number;
  image_size?: number;
  /** Pipeline depth − 1 of the MAC array (P); default 8. */
  pipeline_depth?: number;
  /** 2 when the DSPs run at twice the fabric clock (AMD DPU dpu_2x_clk); default 1. */
  dsp_clock_ratio?: number;
  /** Search only: at most this many DSPs (a published design's count); default the device's. */
  dsp_budget?: number;
}

export interface FpgaJobResult {
  kind: "fpga";
  model: "fpga-roofline";
  scope: string;
  mode: "design" | "search";
  device: FpgaDevice;
  dtype: FpgaDtype;
  dsp_per_mac: DspCost;
  workload: { name: string; layers: number; batch: number; scope: "conv" | "all" };
  feasible: boolean;
  /** The evaluated design (given), or the best one found; on an infeasible explicit design, its resources. */
  design?: FpgaDesignResult;
  /** When infeasible: the resource that ran out and by how much. */
  shortfall?: FpgaShortfall;
  search?: { candidates: number; evaluated: number; pe_budget: number };
  notes: string[];
}

export const FPGA_SCOPE =
  "a loop-tiled CNN engine (Zhang et al. FPGA'15): Tm × Tn MACs, per-layer Tr × Tc tiles, double-buffered tile buffers in block RAM; per layer time = max(⌈M/Tm⌉⌈N/Tn⌉⌈R/Tr⌉⌈C/Tc⌉(Tr·Tc·K² + P) cycles / f, DRAM bytes / bandwidth); layers back to back; conv and FC layers only (pooling, normalisation, element-wise ops excluded)";

function layersOf(req: FpgaJobRequest, model: { id: string } | undefined, layers: FpgaLayer[]): { name: string; layers: FpgaLayer[] } {
  if (layers.length === 0) throw new XpusimError(error("E_SCHEMA", req.layers ? "layers" : "model", "no conv or FC layer to run", { hint: "give a CNN model or layers" }));
  return { name: model?.id ?? "layers", layers };
}

function checkRequest(req: FpgaJobRequest): FpgaDtype {
  if ((req.model === undefined) === (req.layers === undefined)) throw new XpusimError(error("E_SCHEMA", "model", "give a model or layers, exactly one of the two"));
  if ((req.tm === undefined) !== (req.tn === undefined)) throw new XpusimError(error("E_SCHEMA", req.tm === undefined ? "tm" : "tn", "an explicit design needs both Tm and Tn", { hint: "give --tm and --tn, or neither to search" }));
  for (const [k, v] of [["tm", req.tm], ["tn", req.tn], ["tp", req.tp], ["tr", req.tr], ["tc", req.tc], ["batch", req.batch], ["dsp_budget", req.dsp_budget]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new XpusimError(error("E_RANGE", k, `${k} must be a positive integer`, { got: String(v) }));
  }
  for (const [k, v] of [["clock_hz", req.clock_hz], ["bandwidth_bytes_per_s", req.bandwidth_bytes_per_s]] as const) {
    if (v !== undefined && !(v > 0)) throw new XpusimError(error("E_RANGE", k, `${k} must be greater than zero`, { got: String(v) }));
  }
  if ((req.tr === undefined) !== (req.tc === undefined)) throw new XpusimError(error("E_SCHEMA", req.tr === undefined ? "tr" : "tc", "row and column tiles go together: give both Tr and Tc"));
  if (req.tr !== undefined && req.tm === undefined) throw new XpusimError(error("E_SCHEMA", "tr", "Tr and Tc belong to an explicit design: give Tm and Tn too", { hint: "without Tm and Tn the search picks every tile" }));
  if (req.dsp_clock_ratio !== undefined && req.dsp_clock_ratio !== 1 && req.dsp_clock_ratio !== 2) throw new XpusimError(error("E_RANGE", "dsp_clock_ratio", "dsp_clock_ratio must be 1 or 2", { got: String(req.dsp_clock_ratio) }));
  const dtype = toFpgaDtype(req.dtype ?? "int8");
  if (!dtype) throw new XpusimError(error("E_UNSUPPORTED", "dtype", `the FPGA model has no format "${req.dtype}"`, { expected: "fp32, fp16, int16 (fixed16), int8 (fixed8), int4" }));
  return dtype;
}

export const fpgaJob = defineJob<FpgaJobRequest, FpgaJobResult>({
  id: "fpga",
  summary: "an FPGA CNN accelerator (loop-tiled engine, Zhang FPGA'15 roofline): resources, clock, cycles, bandwidth, throughput and power of a design, or the best design that fits",
  supports: "FPGA chips with an fpga: section; CNN conv and FC layers; fp32, fp16, int16/fixed16, int8, int4 with DSP packing per DSP type; explicit ⟨Tm, Tn⟩ or a search; infeasible designs name the resource that ran out",
  run(req, catalog) {
    const dtype = checkRequest(req);
    const chip = catalog.chip(req.chip);
    const device = fpgaDevice(chip, catalog.context(chip).efficiency.main_memory_efficiency, req.bandwidth_bytes_per_s);
    const batch = req.batch ?? 1;
    const scope = req.scope ?? "all";
    const model = req.model !== undefined ? catalog.model(req.model) : undefined;
    const parsed = model ? fpgaLayersOfModel(model, batch, scope, req.image_size) : req.layers!.map((l, i) => (typeof l === "string" ? parseFpgaLayer(l, `layers[${i}]`) : l));
    const work = layersOf(req, model, parsed);
    const P = req.pipeline_depth ?? DEFAULT_PIPELINE_DEPTH;
    const notes = [
      `clock: ${req.clock_hz ? "given" : `family ceiling ${(device.clock_ceiling_hz / 1e6).toFixed(0)} MHz × (1 − ${CLOCK_DERATING_K} × DSP utilisation)`}`,
      `bandwidth: ${(device.dram_bytes_per_s / 1e9).toFixed(2)} GB/s${req.bandwidth_bytes_per_s ? " (given)" : " (main-memory peak × the family's achievable fraction)"}`,
      LUT_MODEL_NOTE,
    ];
    const base = { kind: "fpga" as const, model: "fpga-roofline" as const, scope: FPGA_SCOPE, device, dtype, dsp_per_mac: dspCostOf(device, dtype), workload: { name: work.name, layers: work.layers.length, batch, scope }, notes };
    const clock = { ...(req.tp ? { tp: req.tp } : {}), ...(req.clock_hz ? { clock_hz: req.clock_hz } : {}), ...(req.dsp_clock_ratio ? { dsp_clock_ratio: req.dsp_clock_ratio } : {}) };
    if (req.tm !== undefined && req.tn !== undefined) {
      const tiles = req.tr !== undefined && req.tc !== undefined ? { tr: req.tr, tc: req.tc } : {};
      const design = evaluateDesign(device, work.layers, { tm: req.tm, tn: req.tn, dtype, ...clock, ...tiles }, { pipeline_depth: P, batch });
      return { ...base, mode: "design", feasible: design.feasible, design, ...(design.shortfall ? { shortfall: design.shortfall } : {}) };
    }
    const s = searchDesigns(device, work.layers, { dtype, pipeline_depth: P, batch, ...clock, ...(req.dsp_budget ? { dsp_limit: req.dsp_budget } : {}) });
    const search = { candidates: s.candidates, evaluated: s.evaluated, pe_budget: s.pe_budget };
    if (s.best) return { ...base, mode: "search", feasible: true, design: s.best, search };
    return { ...base, mode: "search", feasible: false, ...(s.shortfall ? { shortfall: s.shortfall } : {}), search };
  },
});
