import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { CostContext } from "../../cost/contract.js";
import { estimateOpSpec, type OpEstimate } from "../../estimate/estimate-op.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { unnamedMathDType } from "../../estimate/native-precision.js";
import type { OpSpec } from "../../spec/scenario-spec.js";
import type { SpecRef } from "../catalog.js";
import { completeOpSpec } from "../complete-op-spec.js";
import { defineJob } from "../job.js";

export type { OpEstimate } from "../../estimate/estimate-op.js";
export type { OpSpec } from "../../spec/scenario-spec.js";

/**
 * One operator on one chip, or on each of a list of chips, priced by the best cost model that
 * supports it (or the one forced). The op is checked and its defaults filled here without zod
 * (complete-op-spec.ts), so a front end may pass what the user typed and the `op` command starts
 * without loading the schemas.
 */
export interface OpRequest {
  /** An op as the scenario contract writes it; optional fields take the schema defaults. */
  op: OpSpec | Record<string, unknown>;
  /** One chip → one result; a list → one result per chip, in order. */
  chip: SpecRef | readonly SpecRef[];
  /** Force a cost model id (default: the highest-fidelity model that supports the op). */
  cost_model?: string;
  execution?: "graph" | "eager";
  /**
   * When the op names no dtype: "native" runs each chip's native math dtype (bf16, else fp16, fp8,
   * int8; estimate/native-precision.ts) and says so in the notes; "schema" (default) uses the
   * scenario schema's bf16.
   */
  dtype_default?: "native" | "schema";
  /** Where the op came from, for error messages ("command line", a scenario file). */
  source?: string;
}

/** One estimate for one chip; an array, in order, for a list of chips. */
export type OpResult = OpEstimate | OpEstimate[];

export const opJob = defineJob<OpRequest, OpResult>({
  id: "op",
  summary: "one operator (GEMM, conv2d, attention, ...) on one or more chips: latency, bound, bytes, energy",
  supports: "every op kind of the scenario contract on every chip; the cost-model registry picks the model",
  scenarioKinds: ["op"],
  fromScenario(s) {
    if (!("op" in s.workload)) {
      throw new XpusimError(error("E_SCHEMA", "workload", "kind: op needs `workload: { op: {...} }`", { hint: "or set kind: inference / training for a model" }));
    }
    if (s.hardware.count > 1 && s.workload.op.type !== "collective") {
      throw new XpusimError(error("E_UNSUPPORTED", "hardware.count", "a single op runs on one chip; sharded ops arrive with the parallelism models (issue #3)"));
    }
    return { op: s.workload.op, chip: s.hardware.chip, execution: s.execution, ...(s.cost_model ? { cost_model: s.cost_model } : {}) };
  },
  run(req, catalog) {
    const op = completeOpSpec(req.op, req.source);
    const opts = { ...(req.execution ? { execution: req.execution } : {}), ...(req.cost_model ? { costModel: req.cost_model } : {}) };
    const native = req.dtype_default === "native" && (req.op as { dtype?: unknown }).dtype === undefined;
    const one = (ref: SpecRef) => {
      const chip = catalog.chip(ref);
      return native ? nativeOpEstimate(op, catalog.context(chip), opts) : estimateOpSpec(op, catalog.context(chip), opts);
    };
    if (!Array.isArray(req.chip)) return one(req.chip as SpecRef);
    if (req.chip.length === 0) throw new XpusimError(error("E_SCHEMA", "chip", "at least one chip is needed", { hint: "e.g. nvidia-h100-sxm" }));
    return req.chip.map(one);
  },
});

/** The op in the chip's native math dtype, with a note saying which and why. */
function nativeOpEstimate(op: OpSpec, ctx: CostContext, opts: EvaluateOptions): OpEstimate {
  const { dtype, note } = unnamedMathDType(ctx.chip);
  const est = estimateOpSpec({ ...op, dtype }, ctx, opts);
  return note ? { ...est, notes: [note, ...est.notes] } : est;
}
