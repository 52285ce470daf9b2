import type { Scenario } from "../spec/scenario-spec.js";
import type { Job, ScenarioKind } from "./job.js";
import { assessJob } from "./jobs/assess-job.js";
import { breakdownJob } from "./jobs/breakdown-job.js";
import { calibrationJob } from "./jobs/calibration-job.js";
import { catalogJob } from "./jobs/catalog-job.js";
import { compareJob } from "./jobs/compare-job.js";
import { costDieJob } from "./jobs/cost-die-job.js";
import { costTcoJob } from "./jobs/cost-tco-job.js";
import { collectiveJob } from "./jobs/collective-job.js";
import { npuMapJob } from "./jobs/npu-map-job.js";
import { systolicJob } from "./jobs/systolic-job.js";
import { inferenceJob } from "./jobs/inference-job.js";
import { opJob } from "./jobs/op-job.js";
import { reportJob } from "./jobs/report-job.js";
import { precisionCastJob } from "./jobs/precision-cast-job.js";
import { precisionGemmJob } from "./jobs/precision-gemm-job.js";
import { precisionModelJob } from "./jobs/precision-model-job.js";
import { routesJob } from "./jobs/routes-job.js";
import { pipelineJob } from "./jobs/pipeline-job.js";
import { fpgaJob } from "./jobs/fpga-job.js";
import { powerJob } from "./jobs/power-job.js";
import { servingJob } from "./jobs/serving-job.js";
import { servingPlanJob } from "./jobs/serving-plan-job.js";
import { softwareJob } from "./jobs/software-job.js";
import { scalingJob } from "./jobs/scaling-job.js";
import { trainingJob } from "./jobs/training-job.js";
import { trainingSearchJob } from "./jobs/training-search-job.js";
import { validationJob } from "./jobs/validation-job.js";

/**
 * Every job the product offers, by id. A front end calls `JOBS[id].run(request, catalog)`; `xpusim estimate` reaches the same jobs through `scenarioJob`.
 * Adding a job: one file under jobs/, one line here.
 */
export const JOBS = {
  op: opJob,
  inference: inferenceJob,
  training: trainingJob,
  serving: servingJob,
  "serving-plan": servingPlanJob,
  "training-search": trainingSearchJob,
  scaling: scalingJob,
  validation: validationJob,
  calibration: calibrationJob,
  breakdown: breakdownJob,
  compare: compareJob,
  collective: collectiveJob,
  systolic: systolicJob,
  "npu-map": npuMapJob,
  catalog: catalogJob,
  assess: assessJob,
  report: reportJob,
  "precision-cast": precisionCastJob,
  "precision-gemm": precisionGemmJob,
  "precision-model": precisionModelJob,
  "cost-tco": costTcoJob,
  "cost-die": costDieJob,
  power: powerJob,
  pipeline: pipelineJob,
  routes: routesJob,
  software: softwareJob,
  fpga: fpgaJob,
} as const;

export type JobId = keyof typeof JOBS;

/** All jobs, for listings and docs. */
export function listJobs(): ReadonlyArray<Job<unknown, unknown>> {
  return Object.values(JOBS) as unknown as ReadonlyArray<Job<unknown, unknown>>;
}

/** The job that answers a scenario kind. */
export function scenarioJob(kind: ScenarioKind): Job<unknown, unknown> | undefined {
  return listJobs().find((j) => j.scenarioKinds?.includes(kind));
}

/**
 * The job that answers a scenario: by kind, except that a `kind: op` scenario whose op is a
 * collective goes to the collective job (a collective is priced on a system, not by a chip's cost models).
 */
export function jobForScenario(s: Scenario): Job<unknown, unknown> | undefined {
  if (s.kind === "op" && "op" in s.workload && s.workload.op.type === "collective") return JOBS.collective as unknown as Job<unknown, unknown>;
  return scenarioJob(s.kind);
}
