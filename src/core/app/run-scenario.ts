import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { InferenceEstimate } from "../estimate/estimate-inference.js";
import type { OpEstimate } from "../estimate/estimate-op.js";
import type { TrainingEstimate } from "../estimate/estimate-training.js";
import { type PipelineScenario, pipelineScenarioSpec } from "../spec/pipeline-spec.js";
import { type Scenario, scenarioSpec } from "../spec/scenario-spec.js";
import { parseWith } from "../spec/validate.js";
import type { Catalog } from "./catalog.js";
import type { CollectiveJobResult } from "./jobs/collective-job.js";
import { type PipelineEstimate, pipelineJob } from "./jobs/pipeline-job.js";
import type { ServingJobResult } from "./jobs/serving-job.js";
import { jobForScenario } from "./registry.js";

/**
 * The pipeline behind `xpusim estimate`, drawn:
 *
 *   scenario (YAML/JSON) ──validate──▶ Scenario ──scenarioJob(kind)──▶ job.fromScenario ──▶ request
 *   request ──job.run(request, catalog)──▶ result (the same call the dedicated command makes)
 *
 * Lookups are injected (`Catalog`) so the engine stays browser-safe.
 */
export type ScenarioEstimate = OpEstimate | InferenceEstimate | TrainingEstimate | CollectiveJobResult | ServingJobResult | PipelineEstimate;

/** A scenario of any kind: a chip/system scenario, or a heterogeneous pipeline (`kind: pipeline`). */
export type AnyScenario = Scenario | PipelineScenario;

function checkMapping(raw: unknown, file?: string): asserts raw is Record<string, unknown> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    // Otherwise zod reports "required field is missing, got nothing" for an empty file, a list or a string.
    throw new XpusimError(
      error("E_SCHEMA", "", "a scenario must be a mapping with kind, hardware and workload", {
        got: raw === null || raw === undefined ? "nothing (an empty file?)" : JSON.stringify(raw).slice(0, 60),
        hint: "see docs/scenario.md and examples/*.yaml",
        ...(file ? { file } : {}),
      }),
    );
  }
}

/** A chip or system scenario (kind op, inference, training, serving). */
export function parseScenario(raw: unknown, file?: string): Scenario {
  checkMapping(raw, file);
  if (raw.kind === "pipeline") {
    throw new XpusimError(error("E_UNSUPPORTED", "kind", "a kind: pipeline scenario is run by `xpusim estimate` or `xpusim pipeline`, not by this command", { ...(file ? { file } : {}) }));
  }
  return parseWith(scenarioSpec, raw, file);
}

/** A scenario of any kind, pipelines included (what `xpusim estimate` reads). */
export function parseAnyScenario(raw: unknown, file?: string): AnyScenario {
  checkMapping(raw, file);
  return raw.kind === "pipeline" ? parseWith(pipelineScenarioSpec, raw, file) : parseWith(scenarioSpec, raw, file);
}

export function runScenario(s: AnyScenario, catalog: Catalog): ScenarioEstimate {
  if (s.kind === "pipeline") return pipelineJob.run(s, catalog);
  if (s.kind !== "serving" && s.parallelism.replicas !== undefined) {
    throw new XpusimError(error("E_SCHEMA", "parallelism.replicas", "replicas applies to kind: serving", { hint: "inference: replicas = hardware.count ÷ (tp × pp × ep × cp); training: dp" }));
  }
  if (s.kind !== "serving" && s.serving !== undefined) throw new XpusimError(error("E_SCHEMA", "serving", `a serving section applies to kind: serving, not ${s.kind}`));
  const job = jobForScenario(s);
  if (!job?.fromScenario) throw new XpusimError(error("E_UNSUPPORTED", "kind", `no job answers scenario kind "${s.kind}"`));
  return job.run(job.fromScenario(s, catalog), catalog) as ScenarioEstimate;
}
