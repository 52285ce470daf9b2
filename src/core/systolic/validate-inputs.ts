/**
 * Checks a configuration and layers built in code (the parsers already check file input): every
 * size a positive integer, known dataflow and bandwidth mode, so the engine never divides by zero,
 * loops forever or reports a negative count.
 */
import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { LayerSpec, SystolicConfig } from "./types.js";

function positiveInt(errors: Diagnostic[], path: string, v: unknown, min = 1): void {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)
    errors.push(error("E_RANGE", path, `${path} must be an integer ≥ ${min}`, { got: String(v) }));
}

export function validateSystolicInputs(config: SystolicConfig, layers: readonly LayerSpec[]): void {
  const errors: Diagnostic[] = [];
  for (const k of ["array_rows", "array_cols", "ifmap_sram_kb", "filter_sram_kb", "ofmap_sram_kb", "word_size_bytes"] as const) positiveInt(errors, k, config[k]);
  if (!["os", "ws", "is"].includes(config.dataflow)) errors.push(error("E_SCHEMA", "dataflow", "dataflow must be os, ws or is", { got: String(config.dataflow) }));
  if (config.interface_bandwidth_mode !== "CALC" && config.interface_bandwidth_mode !== "USER")
    errors.push(error("E_SCHEMA", "interface_bandwidth_mode", "interface_bandwidth_mode must be CALC or USER", { got: String(config.interface_bandwidth_mode) }));
  for (const k of ["array_count", "vector_lanes", "vector_ops_per_lane"] as const) if (config[k] !== undefined) positiveInt(errors, k, config[k]);
  if (config.vector_pipeline_cycles !== undefined) positiveInt(errors, "vector_pipeline_cycles", config.vector_pipeline_cycles, 0);
  if (config.interface_bandwidth_mode === "USER") positiveInt(errors, "user_bandwidth_words_per_cycle[0]", config.user_bandwidth_words_per_cycle?.[0]);
  layers.forEach((l, i) => {
    const at = `layers[${i}]`;
    const fields = l.kind === "gemm" ? (["M", "N", "K"] as const) : (["ifmap_h", "ifmap_w", "filter_h", "filter_w", "channels", "num_filters", "stride_h", "stride_w"] as const);
    for (const f of fields) positiveInt(errors, `${at}.${f}`, (l as unknown as Record<string, unknown>)[f]);
    if (l.batch !== undefined) positiveInt(errors, `${at}.batch`, l.batch);
    if (l.kind === "conv") {
      if (l.groups !== undefined) positiveInt(errors, `${at}.groups`, l.groups);
      if (l.pad_h !== undefined) positiveInt(errors, `${at}.pad_h`, l.pad_h, 0);
      if (l.pad_w !== undefined) positiveInt(errors, `${at}.pad_w`, l.pad_w, 0);
      // With padding the lowering checks the filter against the padded ifmap (corrected semantics).
      if (l.pad_h === undefined && l.pad_w === undefined && (l.filter_h > l.ifmap_h || l.filter_w > l.ifmap_w))
        errors.push(error("E_RANGE", `${at}.filter_h`, `layer "${l.name}": the filter (${l.filter_h}×${l.filter_w}) is larger than the ifmap (${l.ifmap_h}×${l.ifmap_w})`, { hint: "SCALE-Sim has no padding: give the padded ifmap size, or a Padding column (corrected semantics)" }));
    }
    if (l.op_type !== undefined && !["conv", "gemm", "pool", "eltwise", "act", "softmax"].includes(l.op_type))
      errors.push(error("E_SCHEMA", `${at}.op_type`, "op_type must be conv, gemm, pool, eltwise, act or softmax", { got: String(l.op_type) }));
  });
  if (errors.length > 0) throw new XpusimError(errors);
}
