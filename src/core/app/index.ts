/** The application layer: one typed request → one typed result per job, for every front end. */
export type { Catalog, SpecRef } from "./catalog.js";
export type { Job, RequestOf, ResultOf } from "./job.js";
export { JOBS, listJobs, scenarioJob, type JobId } from "./registry.js";
export { parseScenario, runScenario, type ScenarioEstimate } from "./run-scenario.js";
export type { OpEstimate } from "../estimate/estimate-op.js";
export type { InferenceEstimate } from "../estimate/estimate-inference.js";
export type { TrainingEstimate } from "../estimate/estimate-training.js";
export type { OpRequest, OpResult } from "./jobs/op-job.js";
export type { BreakdownOpRow, BreakdownRequest, BreakdownResult } from "./jobs/breakdown-job.js";
export { checkInputsApply, isTokenModel, maxContext, modelTakes, type ModelInput } from "./model-inputs.js";
export type { CompareRequest, CompareResult, CompareRow, DTypeChoice } from "./jobs/compare-job.js";
export type { CompareWorkload, CompareWorkloadRequest } from "./compare-workload.js";
export type { InferenceJobRequest } from "./jobs/inference-job.js";
export type { TrainingJobRequest } from "./jobs/training-job.js";
export type { TrainingSearchJobRequest } from "./jobs/training-search-job.js";
export type { ScalePoint, ScalingRequest, ScalingResult } from "./jobs/scaling-job.js";
export { TRAINING_DEFAULTS, trainingRequest, trainingRequestFromScenario, trainingSearchRequest, type TrainingOverrides } from "./training-request.js";
export type { ValidationJobRequest } from "./jobs/validation-job.js";
