import type { CostContext } from "../cost/contract.js";
import type { Chip } from "../hardware/chip.js";
import type { System } from "../network/build-system.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Precision } from "../workload/precision.js";

/** The request, result and row types of a serving plan (serving-plan.ts). */
export interface PlanCandidateChip {
  chip: Chip;
  ctx: CostContext;
  /** The system `count` chips of this chip sit in (undefined: single chip only). */
  system(count: number): System | undefined;
}

export interface ServingPlanRequest {
  model: ModelSpec;
  chips: readonly PlanCandidateChip[];
  slo: { ttft_s?: number; tpot_s?: number };
  rate_per_s: number;
  input_tokens: number;
  output_tokens: number;
  /** Precision names: "bf16", "fp8", "int8", "w4a16", … */
  precisions: readonly string[];
  max_chips: number;
  budget_usd_per_hour?: number;
  power_limit_w?: number;
  /** Candidates to confirm by simulation (default 6). */
  simulate_top?: number;
  /** Most candidates simulated in all (default 40; at least simulate_top). */
  max_simulated?: number;
  /** Requests per simulation (default: 30 s of arrivals, 100–300). */
  requests?: number;
  seed?: number;
}

export interface PlanDeployment {
  chip: string;
  chip_name: string;
  precision: string;
  /** The precision that runs (differs when the chip lacks the requested math dtype). */
  precision_executed: string;
  tp: number;
  /** Expert-parallel attention groups per replica (1 for dense models or no ep). */
  ep: number;
  replicas: number;
  chips: number;
  system?: string;
  max_num_seqs: number;
  /** Analytic batch-1 latencies. */
  ttft_batch1_s: number;
  tpot_batch1_s: number;
  /** Simulated p90 under the rate (absent when not simulated). */
  ttft_p90_s?: number;
  tpot_p90_s?: number;
  simulated: boolean;
  meets_slo: boolean;
  usd_per_hour?: number;
  usd_per_million_tokens?: number;
  /** TDP × tp·ep (W per replica, the power limit's measure); absent without power data. */
  watts_per_replica?: number;
  /** Simulated: mean power of one replica at its share of the rate, W. */
  average_watts_per_replica?: number;
  /** Simulated: energy per output token (busy steps + idle power between them), J. */
  energy_per_output_token_j?: number;
  /** What runs natively, and similar remarks. */
  notes: string[];
  memory_per_chip_bytes: number;
  /** max(ttft / SLO, tpot / SLO): ≤ 1 meets the SLO. */
  slo_ratio: number;
  note?: string;
}

export interface PlanRejection {
  chip: string;
  precision?: string;
  tp?: number;
  ep?: number;
  reason: string;
  /** SLO ratio when the miss is a latency miss. */
  slo_ratio?: number;
}

export interface ServingPlan {
  model: string;
  rate_per_s: number;
  slo: { ttft_s?: number; tpot_s?: number };
  input_tokens: number;
  output_tokens: number;
  deployments: PlanDeployment[];
  rejected: PlanRejection[];
  /** When nothing meets the SLO: the configuration that comes closest. */
  closest?: PlanDeployment | PlanRejection;
  candidates_considered: number;
  simulations: number;
  /**
   * How the simulated candidates were chosen: at least `simulate_top`, then every one that can
   * still win (analytic cost floor not above the cheapest confirmed deployment), at most `max_simulated`.
   */
  search: {
    simulate_top: number;
    max_simulated: number;
    simulated_candidates: number;
    /** Not simulated because their analytic floor was above the cheapest confirmed deployment. */
    pruned_by_bound: number;
    /** Not simulated because the budget ran out (they might have won). */
    left_by_budget: number;
  };
}

/** A deployment that passed the analytic screen, with what simulating it needs. */
export type PlanCandidate = PlanDeployment & { pc: PlanCandidateChip; p: Precision; sys?: System };
