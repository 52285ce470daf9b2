import type { PlanDeployment } from "../search/serving-plan-types.js";
import { simulationRequests } from "../search/serving-plan-simulate.js";
import type { SpecRef } from "./catalog.js";
import { SERVING_DEFAULT_ENGINE, type ServingJobRequest, type SyntheticServingWorkload } from "./jobs/serving-job.js";
import { SERVING_PLAN_DEFAULTS, type ServingPlanJobRequest } from "./jobs/serving-plan-job.js";

/**
 * The serving job's request that replays how the plan simulated one of its deployments: one
 * replica (tp·ep chips, the chip's usual system) on the vLLM preset with the deployment's batch
 * limit, Poisson arrivals at rate / replicas, the plan's request count, lengths and seed. Its p90
 * TTFT and TPOT are the deployment's. `workload` overrides parts of the stream (length
 * distributions, a longer run).
 */
export function deploymentServingRequest(plan: ServingPlanJobRequest, d: PlanDeployment, workload: Partial<Omit<SyntheticServingWorkload, "kind">> = {}): ServingJobRequest {
  const D = SERVING_PLAN_DEFAULTS;
  const rate = plan.rate_per_s ?? D.rate_per_s;
  const stream: SyntheticServingWorkload = {
    kind: "synthetic",
    requests: simulationRequests({ rate_per_s: rate, ...(plan.requests !== undefined ? { requests: plan.requests } : {}) }),
    rate_per_s: rate / d.replicas,
    input: plan.input_tokens ?? D.input_tokens,
    output: plan.output_tokens ?? D.output_tokens,
    seed: plan.seed ?? D.seed,
    ...workload,
  };
  return {
    model: plan.model,
    chip: chipRef(plan.chips, d.chip),
    engine: SERVING_DEFAULT_ENGINE,
    precision: d.precision,
    config: { max_num_seqs: d.max_num_seqs },
    workload: stream,
    slo: plan.slo,
    ...(d.tp * d.ep > 1 ? { tp: d.tp, ep: d.ep } : {}),
  };
}

/** The plan's reference of the chip with this id (an inline spec stays inline), else the id. */
function chipRef(chips: ServingPlanJobRequest["chips"], id: string): SpecRef {
  if (chips === undefined || chips === "all") return id;
  return chips.find((r) => (typeof r === "string" ? r === id : (r as { id?: unknown }).id === id)) ?? id;
}
