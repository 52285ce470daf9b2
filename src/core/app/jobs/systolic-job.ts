import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { type LayerSpec, simulateSystolic, type SystolicConfig, type SystolicLayerResult, type SystolicSemantics } from "../../systolic/index.js";
import { defineJob } from "../job.js";

export type { SystolicLayerResult, SystolicSemantics } from "../../systolic/index.js";

/**
 * A systolic array (SCALE-Sim v2 config) on a list of layers, as data: the front end reads the
 * `.cfg` and topology CSV (src/node/scalesim-files.ts) and passes what it parsed.
 */
export interface SystolicJobRequest {
  config: SystolicConfig;
  layers: readonly LayerSpec[];
  /** "scalesim" reproduces SCALE-Sim v2 exactly; "corrected" fixes its known errors (docs/systolic.md). */
  semantics: SystolicSemantics;
  /** Images per layer for layers without a Batch column (corrected semantics only). */
  batch?: number;
  /** Bytes per word, overriding the config's WordSizeBytes. */
  word_size_bytes?: number;
  /** Zero padding (each side) for conv layers without a Padding column (corrected semantics only). */
  padding?: number;
  /** Identical arrays sharing the DRAM port, overriding the config's ArrayCount (corrected semantics only). */
  arrays?: number;
  /** The topology file the layers came from, named in warnings. */
  topology_file?: string;
}

export interface SystolicJobResult {
  kind: "systolic";
  /** Which model answered, and what it counts: the cycle-level systolic simulator (see `scope`). */
  model: "systolic-cycle-sim";
  scope: string;
  other_models: string;
  semantics: SystolicSemantics;
  /** The configuration simulated (word size overridden when asked). */
  config: SystolicConfig;
  results: SystolicLayerResult[];
  totals: { layers: number; cycles: number; stall_cycles: number; macs: number };
  /** Options the semantics ignore, and the parsers' warnings the front end passes on. */
  warnings: Diagnostic[];
}

/** What the cycle simulator counts, so its numbers can be read next to `run` and `map` (docs/npu.md). */
export const SYSTOLIC_SCOPE =
  "array cycles per layer (preload, fill, compute, drain per fold; DRAM stalls only under a USER interface bandwidth, none under CALC) of the layers in the topology file, back to back, with the .cfg's SRAM sizes; no clock (cycles, not seconds), no energy, no pooling/element-wise layers unless listed, no launch or layer-switch overhead";

/** How the simulator's cycles relate to the other two models of an NPU design (docs/npu.md). */
export const SYSTOLIC_OTHER_MODELS =
  "`xpusim map` searches a loop-nest mapping per conv/GEMM layer (no preload term, DRAM bound included, per-action energy); `xpusim run` prices every op of the model graph with the chip's cost models. See docs/npu.md, 'Three models of one design'.";

function ignored(path: string, message: string, file?: string): Diagnostic {
  return { code: "W_UNKNOWN_FIELD", severity: "warning", path, message, ...(file ? { file } : {}) };
}

/** What SCALE-Sim v2 cannot express: each option or column given is ignored under `semantics: scalesim`, with a warning. */
function scaleSimIgnored(req: SystolicJobRequest, cfg: SystolicConfig): Diagnostic[] {
  const file = req.topology_file;
  const layers = req.layers;
  const out: Diagnostic[] = [];
  if (cfg.word_size_bytes !== 1) out.push(ignored("word_size_bytes", `SCALE-Sim v2 always uses 1-byte words; word size ${cfg.word_size_bytes} is ignored in --compat scalesim`));
  if (req.batch !== undefined && req.batch !== 1) out.push(ignored("batch", `SCALE-Sim v2 is fixed at batch 1; --batch ${req.batch} is ignored in --compat scalesim`));
  if (layers.some((l) => (l.batch ?? 1) !== 1 || (l.kind === "conv" && (l.groups ?? 1) !== 1))) out.push(ignored("Batch/Groups", "the Batch and Groups columns are ignored in --compat scalesim", file));
  if (layers.some((l) => l.kind === "conv" && (l.pad_h !== undefined || l.pad_w !== undefined)) || req.padding !== undefined)
    out.push(ignored("Padding", "padding (Padding column, --padding) is ignored in --compat scalesim: SCALE-Sim has none", file));
  if (layers.some((l) => l.op_type !== undefined && l.op_type !== l.kind)) out.push(ignored("Type", "the Type column is ignored in --compat scalesim: every row runs on the array as SCALE-Sim does", file));
  if ((req.arrays ?? cfg.array_count ?? 1) !== 1) out.push(ignored("array_count", "SCALE-Sim v2 simulates one array; ArrayCount / --arrays is ignored in --compat scalesim"));
  return out;
}

export const systolicJob = defineJob<SystolicJobRequest, SystolicJobResult>({
  id: "systolic",
  summary: "a systolic array on a list of conv/GEMM layers: cycles, stalls, utilisation, SRAM/DRAM reads and writes per layer (SCALE-Sim v2 compatible)",
  supports: "ws/os/is dataflows, one or several arrays sharing DRAM, batch, padding, groups, vector layers (corrected semantics); byte-exact SCALE-Sim v2 reports under semantics scalesim",
  run(req) {
    const cfg: SystolicConfig = { ...req.config, ...(req.word_size_bytes !== undefined ? { word_size_bytes: req.word_size_bytes } : {}) };
    const warnings = req.semantics === "scalesim" ? scaleSimIgnored(req, cfg) : [];
    const results = simulateSystolic(cfg, req.layers, {
      semantics: req.semantics,
      batch: req.batch ?? 1,
      ...(req.padding !== undefined ? { padding: req.padding } : {}),
      ...(req.arrays !== undefined ? { arrays: req.arrays } : {}),
    });
    const totals = {
      layers: results.length,
      cycles: results.reduce((s, r) => s + r.total_cycles, 0),
      stall_cycles: results.reduce((s, r) => s + r.stall_cycles, 0),
      macs: results.reduce((s, r) => s + r.macs, 0),
    };
    return { kind: "systolic", model: "systolic-cycle-sim", scope: SYSTOLIC_SCOPE, other_models: SYSTOLIC_OTHER_MODELS, semantics: req.semantics, config: cfg, results, totals, warnings };
  },
});
