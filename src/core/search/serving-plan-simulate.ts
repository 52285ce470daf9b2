import { simulateServing } from "../serving/simulate-serving.js";
import { generateWorkload } from "../serving/workload-gen.js";
import { sloMiss, sloRatio } from "./serving-plan-slo.js";
import type { PlanCandidate, PlanDeployment, PlanRejection, ServingPlanRequest } from "./serving-plan-types.js";

/** A simulated candidate: its deployment row, and the rejection when it fails. */
export interface SimulatedCandidate {
  deployment: PlanDeployment;
  rejection?: PlanRejection;
  simulations: number;
}

/** Requests per simulation: the request's, else 30 s of arrivals within 100–300. */
export function simulationRequests(req: Pick<ServingPlanRequest, "requests" | "rate_per_s">): number {
  return req.requests ?? Math.max(100, Math.min(300, Math.round(req.rate_per_s * 30)));
}

interface Run {
  replicas: number;
  ratio: number;
  ttft90: number;
  tpot90: number;
  energy?: { per_output_token_j: number; average_power_per_chip_w: number };
  simulations: number;
}

/**
 * Step 5 of the plan: the candidate is simulated (seeded, short: vLLM preset, Poisson arrivals at
 * rate / replicas) for p90 TTFT and TPOT; on a miss, replicas grow by half and the run repeats (at
 * most twice). Replicas only grow, so the simulated cost is never below the analytic one.
 */
function runSimulations(req: ServingPlanRequest, c: PlanCandidate): Run {
  const run: Run = { replicas: c.replicas, ratio: Infinity, ttft90: 0, tpot90: 0, simulations: 0 };
  const nRequests = simulationRequests(req);
  for (let attempt = 0; attempt < 3; attempt++) {
    const requests = generateWorkload({ requests: nRequests, rate_per_s: req.rate_per_s / run.replicas, input: req.input_tokens, output: req.output_tokens, seed: req.seed ?? 1 });
    run.simulations++;
    const r = simulateServing(req.model, c.pc.ctx, c.p, { engine: "vllm", max_num_seqs: c.max_num_seqs }, requests, { series_points: 2, ...(c.tp * c.ep > 1 && c.sys ? { tp: c.tp, ep: c.ep, system: c.sys } : {}) });
    if (!r.feasible || !r.metrics) {
      run.ratio = Infinity;
      c.note = r.infeasible_reason ?? "infeasible";
      break;
    }
    run.energy = r.metrics.energy;
    run.ttft90 = r.metrics.ttft_s.p90;
    run.tpot90 = r.metrics.tpot_s.p90;
    run.ratio = sloRatio(req.slo, run.ttft90, run.tpot90);
    if (run.ratio <= 1) break;
    run.replicas = run.replicas + Math.max(1, Math.ceil(run.replicas / 2));
  }
  return run;
}

export function simulateCandidate(req: ServingPlanRequest, c: PlanCandidate): SimulatedCandidate {
  const run = runSimulations(req, c);
  const { replicas, ratio, energy } = run;
  const cph = c.pc.chip.cost.cloud_usd_per_hour;
  const usdPerHour = cph !== undefined ? cph * c.tp * c.ep * replicas : undefined;
  const overBudget = req.budget_usd_per_hour !== undefined && usdPerHour !== undefined && usdPerHour > req.budget_usd_per_hour;
  const { pc: _pc, p: _p, sys: _s, ...row } = c;
  const d: PlanDeployment = {
    ...row,
    replicas,
    chips: c.tp * c.ep * replicas,
    simulated: true,
    ...(energy && Number.isFinite(energy.per_output_token_j)
      ? { energy_per_output_token_j: energy.per_output_token_j, average_watts_per_replica: energy.average_power_per_chip_w * c.tp * c.ep }
      : {}),
    ...(Number.isFinite(ratio) ? { ttft_p90_s: run.ttft90, tpot_p90_s: run.tpot90 } : {}),
    slo_ratio: ratio,
    meets_slo: ratio <= 1 && !overBudget,
    ...(usdPerHour !== undefined ? { usd_per_hour: usdPerHour, usd_per_million_tokens: (usdPerHour / (req.rate_per_s * req.output_tokens * 3600)) * 1e6 } : {}),
  };
  if (d.meets_slo) return { deployment: d, simulations: run.simulations };
  const why = overBudget
    ? `over budget after simulation: $${usdPerHour!.toFixed(2)}/h for ${replicas} replicas`
    : Number.isFinite(ratio)
      ? missUnderLoad(req, run)
      : `infeasible in simulation: ${c.note ?? ""}`;
  const rejection: PlanRejection = { chip: c.chip, precision: c.precision, tp: c.tp, ...(c.ep > 1 ? { ep: c.ep } : {}), reason: why, ...(Number.isFinite(ratio) ? { slo_ratio: ratio } : {}) };
  return { deployment: { ...d, meets_slo: false }, rejection, simulations: run.simulations };
}

function missUnderLoad(req: ServingPlanRequest, run: Run): string {
  const miss = sloMiss(req.slo, run.ttft90, run.tpot90, "p90 ");
  return `SLO missed by ${miss.text} under load at ${run.replicas} replica(s) (${miss.detail})`;
}
