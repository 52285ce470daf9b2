import type { Scenario } from "../spec/scenario-spec.js";
import type { Job } from "./job.js";
import { breakdownJob } from "./jobs/breakdown-job.js";
import { compareJob } from "./jobs/compare-job.js";
import { inferenceJob } from "./jobs/inference-job.js";
import { opJob } from "./jobs/op-job.js";
import { scalingJob } from "./jobs/scaling-job.js";
import { trainingJob } from "./jobs/training-job.js";
import { trainingSearchJob } from "./jobs/training-search-job.js";
import { validationJob } from "./jobs/validation-job.js";

/**
 * Every job the product offers, by id. A front end calls `runJob(id, request, catalog)` or the job
 * object directly; `xpusim estimate` reaches the same jobs through `scenarioJob`.
 * Adding a job: one file under jobs/, one line here.
 */
export const JOBS = {
  op: opJob,
  inference: inferenceJob,
  training: trainingJob,
  "training-search": trainingSearchJob,
  scaling: scalingJob,
  validation: validationJob,
  breakdown: breakdownJob,
  compare: compareJob,
} as const;

export type JobId = keyof typeof JOBS;

/** All jobs, for listings and docs. */
export function listJobs(): ReadonlyArray<Job<unknown, unknown>> {
  return Object.values(JOBS) as unknown as ReadonlyArray<Job<unknown, unknown>>;
}

/** The job that answers a scenario kind. */
export function scenarioJob(kind: Scenario["kind"]): Job<unknown, unknown> | undefined {
  return listJobs().find((j) => j.scenarioKinds?.includes(kind));
}
