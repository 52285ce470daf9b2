/**
 * The designer's systolic panel inputs (strings, as in the URL) → the `systolic` job's request: an
 * R×C array with a dataflow and SRAM sizes (CALC bandwidth: stall-free reads), on a built-in
 * topology (AlexNet, ResNet-50 convolutions) or one transformer layer's GEMMs of a catalog model
 * (QKV, attention output, FFN up, FFN down for `tokens` tokens, as the precision job sizes them).
 */
import { ALEXNET_CSV, calcModeConfig, type Catalog, type Dataflow, type LayerSpec, layerGemms, parseTopologyCsv, RESNET50_CSV, type SystolicConfig, type SystolicJobRequest } from "../../../core/app/index.js";

export const SYSTOLIC_DEFAULTS = { rows: "32", cols: "32", dataflow: "ws", ifmap_kb: "512", filter_kb: "512", ofmap_kb: "256", topology: "alexnet", gemm_model: "bert-base", tokens: "128" };
export type SystolicInputs = typeof SYSTOLIC_DEFAULTS;

export const TOPOLOGIES = [
  { value: "alexnet", label: "AlexNet (5 conv layers)" },
  { value: "resnet50", label: "ResNet-50 (conv layers)" },
  { value: "model", label: "a transformer layer's GEMMs of a model" },
] as const;

const int = (s: string, fallback: number) => (Number.isFinite(Number(s)) && s.trim() !== "" ? Number(s) : fallback);

export function systolicConfig(s: SystolicInputs): SystolicConfig {
  return calcModeConfig({
    run_name: "designer",
    array_rows: int(s.rows, 32),
    array_cols: int(s.cols, 32),
    dataflow: s.dataflow as Dataflow,
    ifmap_sram_kb: int(s.ifmap_kb, 512),
    filter_sram_kb: int(s.filter_kb, 512),
    ofmap_sram_kb: int(s.ofmap_kb, 256),
  });
}

export function systolicLayers(s: SystolicInputs, catalog: Catalog): LayerSpec[] {
  if (s.topology === "resnet50") return parseTopologyCsv(RESNET50_CSV, "conv").layers;
  if (s.topology === "model") {
    const gemms = layerGemms(catalog.model(s.gemm_model), int(s.tokens, 128), []);
    return gemms.map((g) => ({ kind: "gemm", name: g.name, M: g.m, N: g.n, K: g.k }));
  }
  return parseTopologyCsv(ALEXNET_CSV, "conv").layers;
}

export function systolicRequest(s: SystolicInputs, catalog: Catalog): SystolicJobRequest {
  return { config: systolicConfig(s), layers: systolicLayers(s, catalog), semantics: "corrected" };
}
