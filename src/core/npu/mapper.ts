/**
 * Mapping search for one layer (Timeloop's random-pruned mapper, simplified): random factorizations of
 * every dim over the levels and the array axes (each prime factor placed at random, array axes favoured)
 * with random loop orders, then hill-climbing from the best (move one prime factor, swap two loops).
 * Bounded by `maxEvals`, reproducible with `seed` (mulberry32 PRNG), stoppable with `shouldStop()`.
 * Failure reasons of rejected candidates are counted and reported. Best by energy, latency or EDP;
 * ties keep the first found, so the same seed gives the same mapping.
 */
import { NPU_DIMS, type NpuDim } from "../spec/npu-design-spec.js";
import type { NpuDesign } from "./design.js";
import type { DesignActionEnergies } from "./energy-model.js";
import { evaluateMapping, type MappingEvaluation } from "./evaluate.js";
import { minimalTileReasons, ones, type Mapping } from "./mapping.js";
import type { LayerProblem } from "./problem.js";

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

export function primeFactors(n: number): number[] {
  const out: number[] = [];
  let x = n;
  for (let f = 2; f * f <= x; f++) while (x % f === 0) { out.push(f); x /= f; }
  if (x > 1) out.push(x);
  return out;
}

const axisSizeOf = (design: NpuDesign, a: "rows" | "cols" | "arrays"): number => (a === "rows" ? design.rows : a === "cols" ? design.cols : design.arrays);

type Slot = { kind: "t"; level: number } | { kind: "s"; axis: "rows" | "cols" | "arrays" };

function objectiveOf(ev: MappingEvaluation, o: MapObjective): number {
  return o === "energy" ? ev.energy_pj : o === "latency" ? ev.cycles : ev.edp_pj_s;
}

function clone(m: Mapping): Mapping {
  return {
    temporal: m.temporal.map((l) => ({ factors: { ...l.factors }, order: [...l.order] })),
    spatial: { rows: { ...m.spatial.rows }, cols: { ...m.spatial.cols }, arrays: { ...m.spatial.arrays } },
  };
}

export function searchMapping(design: NpuDesign, p: LayerProblem, energies: DesignActionEnergies, opts: MapperOptions = {}): MapperResult {
  const seed = opts.seed ?? 1;
  const maxEvals = Math.max(1, opts.maxEvals ?? 2000);
  const objective = opts.objective ?? "energy";
  const rand = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const failures = new Map<string, { count: number; example: string }>();
  const minimal = minimalTileReasons(design);
  if (minimal.length > 0)
    return { feasible: false, evaluations: 0, valid_evaluations: 0, stopped: "infeasible-design", failures: minimal.map((r) => ({ reason: r, count: 1, example: r })) };

  const L = design.levels.length;
  const slotsFor = (d: NpuDim): Slot[] => {
    const s: Slot[] = [];
    for (let i = 0; i < L; i++) s.push({ kind: "t", level: i });
    for (const axis of ["rows", "cols", "arrays"] as const) {
      if (axisSizeOf(design, axis) > 1 && design.spatial[axis].includes(d)) s.push({ kind: "s", axis });
    }
    return s;
  };
  const slots = Object.fromEntries(NPU_DIMS.map((d) => [d, slotsFor(d)])) as Record<NpuDim, Slot[]>;
  const primes = Object.fromEntries(NPU_DIMS.map((d) => [d, primeFactors(p.dims[d])])) as Record<NpuDim, number[]>;
  const get = (m: Mapping, s: Slot, d: NpuDim): number => (s.kind === "t" ? m.temporal[s.level]!.factors[d] : m.spatial[s.axis][d]);
  const set = (m: Mapping, s: Slot, d: NpuDim, v: number): void => {
    if (s.kind === "t") m.temporal[s.level]!.factors[d] = v;
    else m.spatial[s.axis][d] = v;
  };
  const shuffled = (): NpuDim[] => {
    const a = [...NPU_DIMS];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const axisSize = (a: "rows" | "cols" | "arrays"): number => (a === "rows" ? design.rows : a === "cols" ? design.cols : design.arrays);
  const axisUsed = (m: Mapping, a: "rows" | "cols" | "arrays"): number => {
    let u = 1;
    for (const d of NPU_DIMS) u *= m.spatial[a][d];
    return u;
  };
  const randomMapping = (): Mapping => {
    const m: Mapping = { temporal: design.levels.map(() => ({ factors: ones(), order: shuffled() })), spatial: { rows: ones(), cols: ones(), arrays: ones() } };
    for (const d of NPU_DIMS) {
      const sl = slots[d];
      const spatial = sl.filter((s) => s.kind === "s");
      for (const f of primes[d]) {
        // Favour the array axes, but only where the factor still fits the axis.
        const fits = spatial.filter((s) => s.kind === "s" && axisUsed(m, s.axis) * f <= axisSize(s.axis));
        const s = fits.length > 0 && rand() < 0.6 ? pick(fits) : rand() < 0.5 ? sl[0]! : pick(sl.filter((x) => x.kind === "t"));
        set(m, s, d, get(m, s, d) * f);
      }
    }
    return m;
  };
  /** The first candidate: array axes filled greedily with the largest fitting prime factors, every other factor at DRAM. */
  const greedyMapping = (): Mapping => {
    const m: Mapping = { temporal: design.levels.map(() => ({ factors: ones(), order: [...NPU_DIMS] })), spatial: { rows: ones(), cols: ones(), arrays: ones() } };
    for (const d of NPU_DIMS) {
      const spatial = slots[d].filter((x): x is Extract<Slot, { kind: "s" }> => x.kind === "s");
      for (const f of [...primes[d]].sort((a, b) => b - a)) {
        const s = spatial.find((x) => axisUsed(m, x.axis) * f <= axisSize(x.axis)) ?? slots[d][0]!;
        set(m, s, d, get(m, s, d) * f);
      }
    }
    return m;
  };
  const mutate = (src: Mapping): Mapping => {
    const m = clone(src);
    if (rand() < 0.3) {
      const lm = m.temporal[Math.floor(rand() * L)]!;
      const i = Math.floor(rand() * lm.order.length);
      const j = Math.floor(rand() * lm.order.length);
      [lm.order[i], lm.order[j]] = [lm.order[j]!, lm.order[i]!];
      return m;
    }
    const movable = NPU_DIMS.filter((d) => primes[d].length > 0 && slots[d].length > 1);
    if (movable.length === 0) return m;
    const d = pick(movable);
    const from = slots[d].filter((s) => get(m, s, d) > 1);
    const a = pick(from);
    const f = pick(primeFactors(get(m, a, d)));
    const b = pick(slots[d].filter((s) => s !== a));
    set(m, a, d, get(m, a, d) / f);
    set(m, b, d, get(m, b, d) * f);
    return m;
  };

  let best: { mapping: Mapping; evaluation: MappingEvaluation; score: number } | undefined;
  let evals = 0;
  let valid = 0;
  let stopped: MapperResult["stopped"] = "max-evals";
  const randomPhase = Math.max(1, Math.floor(maxEvals * 0.4));
  while (evals < maxEvals) {
    if (opts.shouldStop?.()) {
      stopped = "cancelled";
      break;
    }
    const cand = evals === 0 ? greedyMapping() : best === undefined || evals < randomPhase || rand() < 0.1 ? randomMapping() : mutate(best.mapping);
    const ev = evaluateMapping(design, p, cand, energies);
    evals++;
    if (!ev.valid) {
      for (const r of ev.reasons) {
        const key = r.replace(/\d[\d.,]*\s*(KiB|MiB|B)?/g, "#").slice(0, 120);
        const f = failures.get(key);
        if (f) f.count++;
        else failures.set(key, { count: 1, example: r });
      }
      continue;
    }
    valid++;
    const score = objectiveOf(ev, objective);
    if (best === undefined || score < best.score) best = { mapping: cand, evaluation: ev, score };
  }
  const failList = [...failures.entries()].map(([reason, v]) => ({ reason, count: v.count, example: v.example })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return {
    feasible: best !== undefined,
    ...(best ? { best: { mapping: best.mapping, evaluation: best.evaluation } } : {}),
    evaluations: evals,
    valid_evaluations: valid,
    stopped,
    failures: failList,
  };
}
