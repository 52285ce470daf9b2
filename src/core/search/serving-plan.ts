import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { screenCandidates } from "./serving-plan-candidates.js";
import { simulateCandidate } from "./serving-plan-simulate.js";
import type { PlanCandidate, PlanDeployment, PlanRejection, ServingPlan, ServingPlanRequest } from "./serving-plan-types.js";

export type { PlanCandidateChip, PlanDeployment, PlanRejection, ServingPlan, ServingPlanRequest } from "./serving-plan-types.js";

/**
 * Hardware selection for serving (`xpusim plan serve`): which chip, how many, which tensor- and
 * expert-parallel degree and precision serve a model at a request rate within TTFT/TPOT SLOs,
 * cheapest first.
 *
 * Search, pruned hard so ~50 chips take seconds:
 *   1. chip × precision: math the chip has no engine for runs in its best native dtype with the
 *      storage kept narrow (execution-precision.ts); the candidate's notes say what runs and what
 *      the on-the-fly dequantisation adds. Only a chip with no usable engine at all is rejected.
 *   2. × tp (powers of two up to the scale-up domain and --max-chips; dividing the heads) × ep (MoE
 *      models: powers of two dividing the experts, tp·ep chips per replica within the same limits):
 *      memory — weights ÷ tp (routed experts ÷ tp·ep) + runtime + one request's KV must fit per chip;
 *      power — tp·ep × TDP within --power.
 *   3. batch-1 analytic latency (estimateInference): TTFT and TPOT of a lone request are lower
 *      bounds under load, so a miss here is final ("SLO missed by X").
 *   4. batch limit: the largest power-of-two batch whose analytic decode step meets the TPOT SLO
 *      (with 20 % headroom for prefill interference) and fits in memory → max_num_seqs (per
 *      attention group); capacity ≈ ep / (prefill of one request + output × TPOT(B) / B) requests/s
 *      per instance;
 *      replicas = ⌈rate / capacity⌉; budget check on tp × replicas × $/h.
 *   5. candidates are simulated (seeded, short: vLLM preset, Poisson arrivals at rate / replicas) to
 *      get p90 TTFT and TPOT; on a miss, replicas grow by half and the run repeats (at most twice).
 *      Which: the `simulate_top` cheapest by analytic $ per million output tokens (the best of each
 *      chip first), then every other candidate that can still win — simulation only adds replicas,
 *      so a candidate whose analytic cost is above the cheapest confirmed deployment cannot beat it
 *      (a sound bound) — up to `max_simulated` candidates (simulateWinners).
 * Ranked by $ per million output tokens (chips without a price: by power, after those with one).
 * Simulated deployments report energy per output token and mean power per replica from the
 * simulator's energy model (busy steps + idle power between them).
 * Everything not chosen carries its reason; with no deployment meeting the SLO, the closest one
 * (smallest worst-case SLO ratio) is named.
 *
 * Files: serving-plan-candidates.ts (steps 1–4), serving-plan-simulate.ts (step 5),
 * serving-plan-slo.ts (SLO ratios and misses), serving-plan-types.ts (request and result types).
 */
export function planServing(req: ServingPlanRequest): ServingPlan {
  checkPlanRequest(req);
  const screen = screenCandidates(req);
  const rejected = screen.rejected;
  const search = simulateWinners(req, simulationOrder(screen.candidates), rejected);
  const meeting = search.deployments.filter((d) => d.meets_slo).sort(byCost);
  const plan: ServingPlan = {
    model: req.model.id,
    rate_per_s: req.rate_per_s,
    slo: req.slo,
    input_tokens: req.input_tokens,
    output_tokens: req.output_tokens,
    deployments: meeting,
    rejected,
    candidates_considered: screen.considered,
    simulations: search.simulations,
    search: search.summary,
  };
  if (meeting.length === 0) {
    const closest = closestMiss(search.deployments, rejected);
    if (closest) plan.closest = closest;
  }
  return plan;
}

/**
 * Step 5 with a sound bound: the first `simulate_top` candidates (the best of each chip first) are
 * simulated; after them, every candidate that can still win is — one whose analytic cost floor is
 * not above the cheapest deployment confirmed so far. Simulation only adds replicas, so a
 * candidate's simulated cost (and power, and chips) is never below its analytic one: one whose
 * floor is already above the cheapest confirmed deployment cannot win. At most `max_simulated`
 * candidates are simulated in all; whatever that leaves out says so.
 */
function simulateWinners(req: ServingPlanRequest, cands: PlanCandidate[], rejected: PlanRejection[]) {
  const top = req.simulate_top ?? 6;
  const budget = Math.max(top, req.max_simulated ?? DEFAULT_MAX_SIMULATED);
  const summary = { simulate_top: top, max_simulated: budget, simulated_candidates: 0, pruned_by_bound: 0, left_by_budget: 0 };
  const deployments: PlanDeployment[] = [];
  let simulations = 0;
  let best: PlanDeployment | undefined;
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    const row = { chip: c.chip, precision: c.precision, tp: c.tp, ...(c.ep > 1 ? { ep: c.ep } : {}), slo_ratio: c.slo_ratio };
    if (i >= top && best && floorKey(c, best) > 0) {
      summary.pruned_by_bound++;
      rejected.push({ ...row, reason: `not simulated: cannot win, its analytic cost floor (${costText(c)}) is above the cheapest deployment confirmed by simulation (${costText(best)})` });
      continue;
    }
    if (summary.simulated_candidates >= budget) {
      summary.left_by_budget++;
      rejected.push({ ...row, reason: `not simulated: the budget of ${budget} simulated candidates ran out (ranked ${i + 1} of ${cands.length} by analytic cost; raise max_simulated / --max-simulated)` });
      continue;
    }
    const s = simulateCandidate(req, c);
    summary.simulated_candidates++;
    simulations += s.simulations;
    deployments.push(s.deployment);
    if (s.rejection) rejected.push(s.rejection);
    else if (!best || byCost(s.deployment, best) < 0) best = s.deployment;
  }
  return { deployments, simulations, summary };
}

/** Candidates simulated at most, by default: enough for the bound to settle on ~50 chips in seconds. */
export const DEFAULT_MAX_SIMULATED = 40;

/** > 0 when candidate `c`'s analytic floor ($/M tokens, then power, then chips) is above deployment `d`. */
function floorKey(c: PlanDeployment, d: PlanDeployment): number {
  return usdKey(c) - usdKey(d) || powerKey(c) - powerKey(d) || c.chips - d.chips;
}

function costText(d: PlanDeployment): string {
  const usd = d.usd_per_million_tokens;
  return `${usd !== undefined ? `$${usd.toFixed(4)}/M tokens, ` : ""}${d.watts_per_replica !== undefined ? `${Math.round(d.watts_per_replica * d.replicas)} W, ` : ""}${d.chips} chip(s)`;
}

function checkPlanRequest(req: ServingPlanRequest): void {
  const model = req.model;
  if (model.category !== "decoder-llm") {
    throw new XpusimError(error("E_UNSUPPORTED", "model", `serving plans need a decoder LLM; ${model.id} is a ${model.category}`));
  }
  if (!(req.rate_per_s > 0) || !Number.isFinite(req.rate_per_s)) throw new XpusimError(error("E_RANGE", "rate", `the request rate must be a positive finite number, got ${String(req.rate_per_s)}`, { hint: "e.g. --rate 20/s" }));
  if (!req.slo.ttft_s && !req.slo.tpot_s) throw new XpusimError(error("E_SCHEMA", "slo", "an SLO needs ttft and/or tpot", { hint: "e.g. --slo ttft=500ms,tpot=50ms" }));
  if (req.input_tokens + req.output_tokens > model.max_context) {
    throw new XpusimError(error("E_RANGE", "input", `input ${req.input_tokens} + output ${req.output_tokens} tokens exceed the maximum context of ${model.id}, ${model.max_context}`, { hint: `keep input + output ≤ ${model.max_context}` }));
  }
}

/** Ranking: $ per million output tokens, then total power (chips without a price), chips, SLO ratio. */
const usdKey = (c: PlanDeployment) => c.usd_per_million_tokens ?? Infinity;
const powerKey = (c: PlanDeployment) => (c.watts_per_replica ?? Infinity) * c.replicas;
function byCost(a: PlanDeployment, b: PlanDeployment): number {
  return usdKey(a) - usdKey(b) || powerKey(a) - powerKey(b) || a.chips - b.chips || a.slo_ratio - b.slo_ratio;
}

/** Candidates by analytic cost, the best one of each chip first so the confirmed list spans chips. */
function simulationOrder(cands: PlanCandidate[]): PlanCandidate[] {
  const sorted = [...cands].sort(byCost);
  const seen = new Set<string>();
  const firsts: PlanCandidate[] = [];
  const rest: PlanCandidate[] = [];
  for (const c of sorted) (seen.has(c.chip) ? rest : (seen.add(c.chip), firsts)).push(c);
  return [...firsts, ...rest];
}

/** With nothing meeting the SLO: the configuration with the smallest worst-case SLO ratio. */
function closestMiss(deployments: PlanDeployment[], rejected: PlanRejection[]): PlanDeployment | PlanRejection | undefined {
  const near = [...deployments.filter((d) => Number.isFinite(d.slo_ratio)), ...rejected.filter((r) => r.slo_ratio !== undefined && Number.isFinite(r.slo_ratio))] as Array<PlanDeployment | PlanRejection>;
  near.sort((a, b) => (a.slo_ratio ?? Infinity) - (b.slo_ratio ?? Infinity));
  return near[0];
}
