/** The application layer: one typed request → one typed result per job, for every front end. */
export type { Catalog, SpecRef } from "./catalog.js";
export type { Job, RequestOf, ResultOf } from "./job.js";
export { JOBS, jobForScenario, listJobs, scenarioJob, type JobId } from "./registry.js";
export { parseScenario, parseAnyScenario, runScenario, type AnyScenario, type ScenarioEstimate } from "./run-scenario.js";
export { pipelineDiagramFromEstimate, pipelineDiagramSvg, renderPipelineText } from "./pipeline-render.js";
export { pipelineJob, type PipelineEstimate, type PipelineStageResult, type PipelineLinkResult, type PipelineScenario } from "./jobs/pipeline-job.js";
export { fpgaJob, FPGA_SCOPE, type FpgaJobRequest, type FpgaJobResult, type FpgaDesignResult, type FpgaLayer, type FpgaLayerResult, type FpgaShortfall, type FpgaDevice } from "./jobs/fpga-job.js";
export type { Scenario, ServingScenario } from "../spec/scenario-spec.js";
export type { ServingJobResult } from "./jobs/serving-job.js";
export { servingRequestFromScenario } from "./serving-scenario.js";
export type { OpEstimate } from "../estimate/estimate-op.js";
export type { InferenceEstimate } from "../estimate/estimate-inference.js";
export type { ChosenDefault, TrainingEstimate, TrainingRequest } from "./jobs/training-job.js";
export type { OpRequest, OpResult, OpSpec } from "./jobs/op-job.js";
export type { BreakdownOpRow, BreakdownRequest, BreakdownResult } from "./jobs/breakdown-job.js";
export { checkInputsApply, isTokenModel, maxContext, modelTakes, type ModelInput } from "./model-inputs.js";
export type { AssessRequest } from "./jobs/assess-job.js";
export type { AssessResult, ChipAssessment, FactorValue, FactorKey, AssessConditions } from "../assess/factor.js";
export type { WeightedRanking, FactorFlip, WeightFlip } from "../assess/weights.js";
export { TRAINING_FACTORS, INFERENCE_FACTORS } from "../assess/factor.js";
export type { CompareRequest, CompareResult, CompareRow, DTypeChoice } from "./jobs/compare-job.js";
export type { CompareWorkload, CompareWorkloadRequest } from "./compare-workload.js";
export type { InferenceJobRequest } from "./jobs/inference-job.js";
export type { PowerJobRequest, PowerJobResult } from "./jobs/power-job.js";
export { powerRequestFromScenario } from "./jobs/power-job.js";
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
export { layoutLabel, type TrainingSearchJobRequest, type TrainingSearchResult } from "./jobs/training-search-job.js";
export type { ScalePoint, ScalingRequest, ScalingResult } from "./jobs/scaling-job.js";
export { defaultSoftwareId, resolveSoftware, softwareLine, type SoftwareRef, type SoftwareUsed } from "./software-stack.js";
export { softwareJob, type SoftwareJobRequest, type SoftwareJobResult, type SoftwarePresetSummary } from "./jobs/software-job.js";
export { TRAINING_DEFAULTS, trainingRequest, trainingRequestFromScenario, trainingSearchRequest, type TrainingOverrides } from "./training-request.js";
export type { ValidationJobRequest, ValidationSummary } from "./jobs/validation-job.js";
export type { CalibrationJobRequest, CalibrationJobResult } from "./jobs/calibration-job.js";
export { type CalibrationInfo, calibrationInfo, withCalibration } from "./calibrated-catalog.js";
export { type CalibrationOverlay, type ErrorBand, checkOverlayFamilies, overlayYaml, parseCalibrationOverlay } from "../calibrate/index.js";
export { sweepSizes, type CollectiveJobRequest, type CollectiveJobResult, type SizeSweep } from "./jobs/collective-job.js";
export { SYSTOLIC_OTHER_MODELS, SYSTOLIC_SCOPE, type SystolicJobRequest, type SystolicJobResult } from "./jobs/systolic-job.js";
export type { CostTcoJobRequest, CostTcoJobResult, OwnershipResult } from "./jobs/cost-tco-job.js";
export { YIELD_MODELS, type CostDieJobRequest, type CostDieJobResult, type DieCostResult, type YieldModel } from "./jobs/cost-die-job.js";
export { NPU_MAP_OTHER_MODELS, NPU_MAP_SCOPE, scaleRepeats, type NpuMapJobRequest, type NpuMapJobResult } from "./jobs/npu-map-job.js";
export {
  CHIP_KINDS,
  chipSummary,
  listCatalog,
  MODEL_CATEGORIES,
  modelSummary,
  systemSummary,
  type CatalogRequest,
  type CatalogResult,
  type CatalogResultFor,
  type Chip,
  type ChipKind,
  type ChipSummary,
  type ModelCategory,
  type ModelSummary,
  type SystemSummary,
} from "./jobs/catalog-job.js";
export { infeasibleReason, searchInfeasibleReason, type MemoryVerdict } from "./feasibility.js";
export { compareRecord, publicScenarioResult } from "./public-results.js";
export type { ReportJobResult, ReportRequest } from "./jobs/report-job.js";
export { renderReport } from "./report/render-report.js";
export { architectureOf, type RenderedReport, type ReportCharts, type ReportData } from "./report/report-data.js";
export { factorTableRows, factorValueText, type FactorTableRow } from "./report/factor-table.js";
export { parseCastValue, toJsonNumber, type JsonNumber, type PrecisionCastRequest, type PrecisionCastResult } from "./jobs/precision-cast-job.js";
export { PRECISION_GEMM_DEFAULTS, type Matrix2D, type PrecisionGemmRequest, type PrecisionGemmResult, type PrecisionGemmRow } from "./jobs/precision-gemm-job.js";
export { PRECISION_MODEL_DEFAULTS, type LayerGemm, type PrecisionModelRequest, type PrecisionModelResult, type PrecisionModelRow } from "./jobs/precision-model-job.js";
export type { FormatSpeed } from "./precision-speed.js";
export { ACCUMULATES, FORMAT_IDS, FORMATS, INT_GRANULARITIES, ROUNDINGS, type Accumulate, type FormatId, type IntGranularity, type Rounding } from "../numerics/index.js";
export { reweightAssessment } from "./reweight-assessment.js";
export { chipRoofs, rooflineInput } from "./report/gather-report-data.js";
export { factorChartInput } from "./report/factor-chart-input.js";
export { jobParts, type JobParts } from "./job-parts.js";
export { deploymentServingRequest } from "./deployment-serving.js";
/** A Catalog from the compiled catalog artefact's bytes, for a browser (docs/library.md). */
export { packedCatalog } from "./packed-catalog.js";
export { catalogFromLookups, contextsFrom, type LookupCatalogOptions } from "./lookup-catalog.js";
export { openPackedCatalog, createCatalogLookups, type CatalogLookups, type PackedCatalog, type SpecSupport, type SpecSupportLoader } from "../catalog/index.js";
export { chipFigures, chipHeadline, type ChipFigure, type ChipHeadline } from "./chip-figures.js";
export { calcModeConfig, parseTopologyCsv, type LayerSpec, type SystolicConfig, type SystolicLayerResult, type Dataflow } from "../systolic/index.js";
export { ALEXNET_CSV, RESNET50_CSV } from "../systolic/builtin-topologies.js";
export { layerGemms } from "./jobs/precision-model-job.js";
