import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { estimateOpSpec, type OpEstimate } from "../../estimate/estimate-op.js";
import type { OpSpec } from "../../spec/scenario-spec.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";

/** One operator on one chip, priced by the best cost model that supports it (or the one forced). */
export interface OpRequest {
  op: OpSpec;
  chip: SpecRef;
  /** Force a cost model id (default: the highest-fidelity model that supports the op). */
  cost_model?: string;
  execution?: "graph" | "eager";
}

export const opJob = defineJob<OpRequest, OpEstimate>({
  id: "op",
  summary: "one operator (GEMM, conv2d, attention, ...) on one chip: latency, bound, bytes, energy",
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
    const ctx = catalog.context(catalog.chip(req.chip));
    return estimateOpSpec(req.op, ctx, { ...(req.execution ? { execution: req.execution } : {}), ...(req.cost_model ? { costModel: req.cost_model } : {}) });
  },
});
