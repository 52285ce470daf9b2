/** The application layer: one typed request → one typed result per job, for every front end. */
export type { Catalog, SpecRef } from "./catalog.js";
export type { Job, RequestOf, ResultOf } from "./job.js";
export { JOBS, jobForScenario, listJobs, scenarioJob, type JobId } from "./registry.js";
export { parseScenario, runScenario, type ScenarioEstimate } from "./run-scenario.js";
export type { OpRequest } from "./jobs/op-job.js";
export type { InferenceJobRequest } from "./jobs/inference-job.js";
export type { TrainingJobRequest } from "./jobs/training-job.js";
export type { TrainingSearchJobRequest } from "./jobs/training-search-job.js";
export type { ScalePoint, ScalingRequest, ScalingResult } from "./jobs/scaling-job.js";
export { TRAINING_DEFAULTS, trainingRequest, trainingRequestFromScenario, trainingSearchRequest, type TrainingOverrides } from "./training-request.js";
export type { ValidationJobRequest } from "./jobs/validation-job.js";
export { sweepSizes, type CollectiveJobRequest, type CollectiveJobResult, type SizeSweep } from "./jobs/collective-job.js";
export { SYSTOLIC_OTHER_MODELS, SYSTOLIC_SCOPE, type SystolicJobRequest, type SystolicJobResult } from "./jobs/systolic-job.js";
export { NPU_MAP_OTHER_MODELS, NPU_MAP_SCOPE, scaleRepeats, type NpuMapJobRequest, type NpuMapJobResult } from "./jobs/npu-map-job.js";
