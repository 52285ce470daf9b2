/**
 * Mapping search for one layer (Timeloop's random-pruned mapper, simplified): random factorizations of
 * every dim over the levels and the array axes (each prime factor placed at random, array axes favoured)
 * with random loop orders, then hill-climbing from the best (move one prime factor, swap two loops).
 * Bounded by `maxEvals`, reproducible with `seed` (mulberry32 PRNG), stoppable with `shouldStop()`.
 * Failure reasons of rejected candidates are counted and reported. Best by energy, latency or EDP;
 * ties keep the first found, so the same seed gives the same mapping.
 */
import type { NpuDesign } from "./design.js";
import type { DesignActionEnergies } from "./energy-model.js";
import { evaluateMapping, type MappingEvaluation } from "./evaluate.js";
import { minimalTileReasons, type Mapping } from "./mapping.js";
import { MappingSpace } from "./mapping-space.js";
import type { LayerProblem } from "./problem.js";

export { primeFactors } from "./mapping-space.js";

export type MapObjective = "energy" | "latency" | "edp";

export interface MapperOptions {
  seed?: number;
  maxEvals?: number;
  objective?: MapObjective;
  /** Polled once per evaluation; returning true ends the search with the best so far. */
  shouldStop?: () => boolean;
}

export interface MapperResult {
  feasible: boolean;
  best?: { mapping: Mapping; evaluation: MappingEvaluation };
  evaluations: number;
  valid_evaluations: number;
  stopped: "max-evals" | "cancelled" | "infeasible-design";
  /** Rejection reasons (the part before the first digit-bearing detail) and how often each occurred. */
  failures: { reason: string; count: number; example: string }[];
}

/** mulberry32: small, fast, deterministic 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function objectiveOf(ev: MappingEvaluation, o: MapObjective): number {
  return o === "energy" ? ev.energy_pj : o === "latency" ? ev.cycles : ev.edp_pj_s;
}

type FailureTally = Map<string, { count: number; example: string }>;

/** Counts each rejection reason under its key: the text with numbers (and sizes) replaced by #. */
function recordFailures(failures: FailureTally, reasons: readonly string[]): void {
  for (const r of reasons) {
    const key = r.replace(/\d[\d.,]*\s*(KiB|MiB|B)?/g, "#").slice(0, 120);
    const f = failures.get(key);
    if (f) f.count++;
    else failures.set(key, { count: 1, example: r });
  }
}

/** Most frequent reason first (ties by reason). */
function failureList(failures: FailureTally): MapperResult["failures"] {
  return [...failures.entries()].map(([reason, v]) => ({ reason, count: v.count, example: v.example })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

export function searchMapping(design: NpuDesign, p: LayerProblem, energies: DesignActionEnergies, opts: MapperOptions = {}): MapperResult {
  const maxEvals = Math.max(1, opts.maxEvals ?? 2000);
  const objective = opts.objective ?? "energy";
  const minimal = minimalTileReasons(design);
  if (minimal.length > 0)
    return { feasible: false, evaluations: 0, valid_evaluations: 0, stopped: "infeasible-design", failures: minimal.map((r) => ({ reason: r, count: 1, example: r })) };
  const rand = mulberry32(opts.seed ?? 1);
  const space = new MappingSpace(design, p, rand);
  const failures: FailureTally = new Map();
  let best: { mapping: Mapping; evaluation: MappingEvaluation; score: number } | undefined;
  let evals = 0;
  let valid = 0;
  let stopped: MapperResult["stopped"] = "max-evals";
  // Random candidates for the first 40% of the budget, then mostly mutations of the best (10% random restarts).
  const randomPhase = Math.max(1, Math.floor(maxEvals * 0.4));
  while (evals < maxEvals) {
    if (opts.shouldStop?.()) {
      stopped = "cancelled";
      break;
    }
    const cand = evals === 0 ? space.greedyMapping() : best === undefined || evals < randomPhase || rand() < 0.1 ? space.randomMapping() : space.mutate(best.mapping);
    const ev = evaluateMapping(design, p, cand, energies);
    evals++;
    if (!ev.valid) {
      recordFailures(failures, ev.reasons);
      continue;
    }
    valid++;
    const score = objectiveOf(ev, objective);
    if (best === undefined || score < best.score) best = { mapping: cand, evaluation: ev, score };
  }
  return {
    feasible: best !== undefined,
    ...(best ? { best: { mapping: best.mapping, evaluation: best.evaluation } } : {}),
    evaluations: evals,
    valid_evaluations: valid,
    stopped,
    failures: failureList(failures),
  };
}
