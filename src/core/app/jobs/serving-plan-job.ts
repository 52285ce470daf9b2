import type { Chip } from "../../hardware/chip.js";
import type { System } from "../../network/build-system.js";
import { DEFAULT_MAX_SIMULATED, planServing, type PlanCandidateChip, type ServingPlan } from "../../search/serving-plan.js";
import type { Slo } from "../../serving/metrics.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";

/** `xpusim plan serve`: the deployments that serve a model at a rate within TTFT/TPOT SLOs, cheapest first. */
export interface ServingPlanJobRequest {
  model: SpecRef;
  /** SLOs on p90 latency. */
  slo: Slo;
  /** Requests per second (default 1). */
  rate_per_s?: number;
  /** Candidate chips: "all" (every catalog chip, the default) or references. */
  chips?: "all" | readonly SpecRef[];
  /** Largest tensor/expert-parallel group per replica (default 8). */
  max_chips?: number;
  /** Precisions to try (default bf16, fp8, int8, w4a16). */
  precisions?: readonly string[];
  budget_usd_per_hour?: number;
  power_limit_w?: number;
  input_tokens?: number;
  output_tokens?: number;
  /** Simulate at least this many of the analytically cheapest candidates (default 6); then every one that can still win. */
  simulate_top?: number;
  /** Most simulated candidates in all (default 40). */
  max_simulated?: number;
  /** Requests per simulation (default: 30 s of arrivals, 100–300). */
  requests?: number;
  seed?: number;
}

export const SERVING_PLAN_DEFAULTS = {
  rate_per_s: 1,
  chips: "all",
  max_chips: 8,
  precisions: ["bf16", "fp8", "int8", "w4a16"],
  input_tokens: 1024,
  output_tokens: 256,
  simulate_top: 6,
  max_simulated: DEFAULT_MAX_SIMULATED,
  seed: 1,
} as const;

/** The system `count` chips sit in (count 1: probe the scale-up domain with 2), or undefined when none can be built. */
function systemResolver(catalog: Catalog, chip: Chip): (count: number) => System | undefined {
  const cache = new Map<number, System | undefined>();
  return (count) => {
    const n = Math.max(2, count);
    if (!cache.has(n)) {
      let s: System | undefined;
      try {
        s = catalog.system(undefined, chip, n);
      } catch {
        s = undefined;
      }
      cache.set(n, s);
    }
    return cache.get(n);
  };
}

/** The candidate chips of a plan, each with its cost context and systems. */
export function planCandidateChips(chips: "all" | readonly SpecRef[] | undefined, catalog: Catalog): PlanCandidateChip[] {
  const refs = chips === undefined || chips === "all" ? catalog.chipIds() : chips;
  return refs.map((ref) => {
    const chip = catalog.chip(ref);
    return { chip, ctx: catalog.context(chip), system: systemResolver(catalog, chip) };
  });
}

export const servingPlanJob = defineJob<ServingPlanJobRequest, ServingPlan>({
  id: "serving-plan",
  summary: "hardware selection for serving: chips × counts × tp/ep × precision × batch limit meeting TTFT/TPOT SLOs at a rate, cheapest first",
  supports: "decoder LLMs (dense, MoE); every catalog or user chip; analytic screen, then seeded simulation of the candidates that can still win",
  run(req, catalog) {
    const d = SERVING_PLAN_DEFAULTS;
    return planServing({
      model: catalog.model(req.model),
      chips: planCandidateChips(req.chips ?? d.chips, catalog),
      slo: req.slo,
      rate_per_s: req.rate_per_s ?? d.rate_per_s,
      input_tokens: req.input_tokens ?? d.input_tokens,
      output_tokens: req.output_tokens ?? d.output_tokens,
      precisions: req.precisions ?? d.precisions,
      max_chips: req.max_chips ?? d.max_chips,
      simulate_top: req.simulate_top ?? d.simulate_top,
      seed: req.seed ?? d.seed,
      max_simulated: req.max_simulated ?? d.max_simulated,
      ...(req.requests !== undefined ? { requests: req.requests } : {}),
      ...(req.budget_usd_per_hour !== undefined ? { budget_usd_per_hour: req.budget_usd_per_hour } : {}),
      ...(req.power_limit_w !== undefined ? { power_limit_w: req.power_limit_w } : {}),
    });
  },
});
