import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import {
  type DesignSummary,
  type LayerMapResult,
  type LayerProblem,
  mapLayer,
  type MapObjective,
  mappingFromObject,
  type NetworkTotals,
  type NpuDesign,
  parseLayerSpec,
  problemFromConv,
  problemFromGemm,
  replayMapping,
  resolveDesign,
  summarizeDesign,
  totalsOf,
} from "../../npu/index.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import { buildWorkload } from "../../workload/build-workload.js";
import { DEFAULT_PRECISION } from "../../workload/precision.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";

export type { MapObjective } from "../../npu/index.js";

/**
 * Loop-nest mapping search on a custom NPU design (a chip with an optional `design:` block), layer by
 * layer: the layers given (`layers`, as `conv:h=..` / `gemm:m=..` specs or parsed problems) or every
 * conv/GEMM layer of `model`. `mapping` replays one given mapping on a single layer instead of searching.
 */
export interface NpuMapJobRequest {
  chip: SpecRef;
  layers?: ReadonlyArray<string | LayerProblem>;
  model?: SpecRef;
  /** Images or sequences (with `model`; default 1). */
  batch?: number;
  /** Image size (with `model`; default the model's). */
  image_size?: number;
  /** PRNG seed of the search (default 1). */
  seed?: number;
  /** Mappings evaluated per layer (default 2000). */
  max_evals?: number;
  objective?: MapObjective;
  /** A mapping to replay (as printed in a layer result's `mapping`), with the file it came from. */
  mapping?: { object: unknown; file?: string };
}

export interface NpuMapJobResult {
  kind: "npu-map";
  /** Which model answered, what it counts and how it relates to `run` and `systolic` (docs/npu.md). */
  model: "npu-mapper";
  scope: string;
  other_models: string;
  /** The array and process the design resolved to. */
  array: Pick<NpuDesign, "chip_name" | "rows" | "cols" | "arrays" | "dtype" | "dataflow" | "clock_hz" | "process_nm">;
  design: DesignSummary;
  totals: NetworkTotals;
  layers: LayerMapResult[];
}

export const NPU_MAP_SCOPE =
  "conv and GEMM layers only, each on its best loop-nest mapping (tiles divide the layer, no padding), layers back to back; latency = max(compute, DRAM) cycles per layer at the design clock; energy = per-action energies (MACs, registers, SRAM, NoC, DRAM) + leakage + un-gated clock; excludes pooling, element-wise, softmax and normalisation ops, launch and layer-switch overheads";

export const NPU_MAP_OTHER_MODELS =
  "`xpusim run` prices the whole graph (every op, incl. pooling and element-wise) with the chip's cost models (systolic-tile, vector), energy from the family's pJ/FLOP and pJ/byte plus a static share of TDP (none without a TDP); `xpusim systolic` simulates cycle by cycle the layers of a SCALE-Sim topology on the .cfg's array and SRAMs (fill/drain per fold, no energy). See docs/npu.md, 'Three models of one design'.";

/** Every conv/GEMM layer of the model as a mapping problem, repeats folded in. */
function modelLayers(model: ModelSpec, batch: number, image: number | undefined): LayerProblem[] {
  const graph = buildWorkload(model, { batch, new_tokens: 1, context_tokens: 1, phase: "forward", ...(image ? { image_size: image } : {}) }, { ...DEFAULT_PRECISION });
  const out: LayerProblem[] = [];
  for (const b of graph.blocks)
    for (const op of b.ops) {
      const p = op.kind === "conv2d" ? problemFromConv(op) : op.kind === "gemm" ? problemFromGemm(op) : undefined;
      if (p) out.push({ ...p, name: b.repeat > 1 ? `${b.name}/${p.name}` : p.name, repeats: p.repeats * b.repeat });
    }
  return out;
}

/** A layer result for `n` identical runs of the mapped problem. */
export function scaleRepeats(r: LayerMapResult, n: number): LayerMapResult {
  if (!r.feasible || n === 1) return { ...r, repeats: n, macs: r.macs * n };
  const s = (x: number | undefined): number => (x ?? 0) * n;
  const comp = Object.fromEntries(Object.entries(r.energy_by_component_pj!).map(([k, v]) => [k, v * n]));
  const lv = Object.fromEntries(Object.entries(r.energy_by_level_pj!).map(([k, v]) => [k, { total: v.total * n, weights: v.weights * n, inputs: v.inputs * n, outputs: v.outputs * n, reads: v.reads * n, writes: v.writes * n }]));
  return { ...r, repeats: n, macs: r.macs * n, energy_pj: s(r.energy_pj), cycles: s(r.cycles), ...(r.cycles_systolic_sim !== undefined ? { cycles_systolic_sim: s(r.cycles_systolic_sim) } : {}), compute_cycles: s(r.compute_cycles), dram_cycles: s(r.dram_cycles), latency_s: s(r.latency_s), energy_by_component_pj: comp, energy_by_level_pj: lv };
}

function checkRequest(req: NpuMapJobRequest): void {
  if (req.objective !== undefined && !["energy", "latency", "edp"].includes(req.objective)) {
    throw new XpusimError(error("E_SCHEMA", "objective", `objective must be energy, latency or edp, got "${String(req.objective)}"`));
  }
  if ((req.layers === undefined) === (req.model === undefined)) throw new XpusimError(error("E_SCHEMA", "layers", "give layers or a model, exactly one of the two"));
  if (req.mapping && req.layers?.length !== 1) throw new XpusimError(error("E_SCHEMA", "mapping", "a mapping replays one layer: give exactly one layer"));
}

export const npuMapJob = defineJob<NpuMapJobRequest, NpuMapJobResult>({
  id: "npu-map",
  summary: "mapping search per layer on a custom NPU design: energy per action, energy and area breakdown, TOPS/W, TOPS/mm², cycles next to the systolic simulator's",
  supports: "systolic and mesh arrays with ws/os/is/rs dataflows, buffer hierarchies, 7-45 nm energy tables; conv and GEMM layers (given, or every one of a model)",
  run(req, catalog) {
    checkRequest(req);
    const design = resolveDesign(catalog.chip(req.chip));
    const summary = summarizeDesign(catalog.energy(), design);
    const energies = summary.action_energies;
    const layers = req.layers ? req.layers.map((l) => (typeof l === "string" ? parseLayerSpec(l) : l)) : modelLayers(catalog.model(req.model!), req.batch ?? 1, req.image_size);
    let results: LayerMapResult[];
    if (req.mapping) {
      results = [replayMapping(design, energies, layers[0]!, mappingFromObject(design, req.mapping.object, req.mapping.file))];
    } else {
      // Identical layer shapes (ResNet's repeated bottlenecks) are searched once.
      const cache = new Map<string, LayerMapResult>();
      const opts = { seed: req.seed ?? 1, maxEvals: req.max_evals ?? 2000, objective: req.objective ?? "energy" };
      results = layers.map((p) => {
        const key = JSON.stringify([p.dims, p.stride_h, p.stride_w]);
        const r = cache.get(key) ?? mapLayer(design, energies, { ...p, repeats: 1 }, opts);
        cache.set(key, r);
        return scaleRepeats({ ...r, layer: p.name }, p.repeats);
      });
    }
    const { chip_name, rows, cols, arrays, dtype, dataflow, clock_hz, process_nm } = design;
    return {
      kind: "npu-map",
      model: "npu-mapper",
      scope: NPU_MAP_SCOPE,
      other_models: NPU_MAP_OTHER_MODELS,
      array: { chip_name, rows, cols, arrays, dtype, dataflow, clock_hz, process_nm },
      design: summary,
      totals: totalsOf(results, summary.area.total_mm2),
      layers: results,
    };
  },
});
