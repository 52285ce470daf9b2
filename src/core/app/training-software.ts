import type { Chip } from "../hardware/chip.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Catalog } from "./catalog.js";
import { resolveSoftware, type SoftwareRef, type SoftwareUsed } from "./software-stack.js";

/** The stack fields a training request states (each wins over the preset) and those the preset fills. */
export interface TrainingStackFields {
  software?: SoftwareRef;
  flash_attention?: boolean;
  dropout?: boolean;
  overlap_grad_reduce?: boolean;
  zero_prefetch_layers?: number;
  zero?: number;
  interleave?: number;
  options?: EvaluateOptions;
}

/** What the estimate reads from the stack: the booleans, execution, and the layout knobs the stack implies. */
export interface AppliedTrainingStack {
  flash_attention: boolean;
  dropout: boolean;
  overlap_grad_reduce: boolean;
  zero_prefetch_layers?: number;
  /** The ZeRO stage the stack implies (FSDP: 3), when the request leaves it unset. */
  zero?: number;
  /** 1 when the stack runs plain 1F1B and the request leaves interleave unset. */
  interleave?: number;
  options: EvaluateOptions;
  software: SoftwareUsed;
  notes: string[];
}

/**
 * A training request's stack: the preset it names (else the default for the chip and model), the
 * request's stated booleans and execution on top. Settings neither states fall back to the engine's
 * historical defaults (fused attention, no dropout, overlapped DP reduction, graph execution).
 */
export function applyTrainingStack(req: TrainingStackFields, chip: Chip, model: ModelSpec, catalog: Pick<Catalog, "software">): AppliedTrainingStack {
  const stated = {
    flash_attention: req.flash_attention,
    dropout: req.dropout,
    overlap_grad_reduce: req.overlap_grad_reduce,
    zero_prefetch_layers: req.zero_prefetch_layers,
    execution: req.options?.execution,
  };
  const r = resolveSoftware(req.software, { kind: "training", chip, category: model.category }, catalog, stated);
  const s = r.used.settings;
  const notes = [...r.notes, ...Object.keys(r.extra).map((k) => `software.${k} is not a training stack setting; passed over`)];
  const zero = req.zero === undefined && typeof s.zero === "number" ? s.zero : undefined;
  const interleave = req.interleave === undefined && s.pipeline_schedule === "1f1b" ? 1 : undefined;
  return {
    flash_attention: s.flash_attention ?? true,
    dropout: s.dropout ?? false,
    overlap_grad_reduce: s.overlap_grad_reduce ?? true,
    ...(typeof s.zero_prefetch_layers === "number" ? { zero_prefetch_layers: s.zero_prefetch_layers } : {}),
    ...(zero !== undefined ? { zero } : {}),
    ...(interleave !== undefined ? { interleave } : {}),
    options: { ...(req.options ?? {}), execution: s.execution ?? "graph" },
    software: r.used,
    notes,
  };
}
