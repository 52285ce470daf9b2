/** The application layer: one typed request → one typed result per job, for every front end. */
export type { Catalog, SpecRef } from "./catalog.js";
export type { Job, RequestOf, ResultOf } from "./job.js";
export { JOBS, listJobs, scenarioJob, type JobId } from "./registry.js";
export { parseScenario, runScenario, type ScenarioEstimate } from "./run-scenario.js";
export type { OpRequest } from "./jobs/op-job.js";
export type { InferenceJobRequest } from "./jobs/inference-job.js";
export type { TrainingJobRequest } from "./jobs/training-job.js";
export type { ServingJobRequest, ServingWorkload, SyntheticServingWorkload, TraceServingWorkload } from "./jobs/serving-job.js";
export { describeServingWorkload, servingRequests, SERVING_DEFAULT_ENGINE, SERVING_WORKLOAD_DEFAULTS } from "./jobs/serving-job.js";
export type { ServingPlanJobRequest } from "./jobs/serving-plan-job.js";
export { planCandidateChips, SERVING_PLAN_DEFAULTS } from "./jobs/serving-plan-job.js";
export * as servingText from "./serving-text.js";
export type { ServingPlan, PlanDeployment, PlanRejection } from "../search/serving-plan.js";
export type { ServingResult } from "../serving/simulate-serving.js";
export type { Distribution, ServingMetrics, Slo } from "../serving/metrics.js";
export type { ServingRequest } from "../serving/request.js";
export type { ServingConfigInput } from "../serving/serving-config.js";
