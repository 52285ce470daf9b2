/**
 * The candidate mappings of one layer on one design, drawn with a seeded PRNG: every prime factor of
 * every dim can sit at a temporal level or on an array axis that the design's dataflow lets that dim
 * use. Makes the greedy first candidate, random candidates and mutations (move one prime factor,
 * swap two loops) for {@link searchMapping}. The same seed gives the same sequence.
 */
import { NPU_DIMS, type NpuDim } from "../spec/npu-design-spec.js";
import type { NpuDesign } from "./design.js";
import { ones, type Mapping } from "./mapping.js";
import type { LayerProblem } from "./problem.js";

type Axis = "rows" | "cols" | "arrays";
type Slot = { kind: "t"; level: number } | { kind: "s"; axis: Axis };

export function primeFactors(n: number): number[] {
  const out: number[] = [];
  let x = n;
  for (let f = 2; f * f <= x; f++) while (x % f === 0) { out.push(f); x /= f; }
  if (x > 1) out.push(x);
  return out;
}

function clone(m: Mapping): Mapping {
  return {
    temporal: m.temporal.map((l) => ({ factors: { ...l.factors }, order: [...l.order] })),
    spatial: { rows: { ...m.spatial.rows }, cols: { ...m.spatial.cols }, arrays: { ...m.spatial.arrays } },
  };
}

export class MappingSpace {
  /** Where each dim's factors may go: every temporal level, then the array axes it may use. */
  private readonly slots: Record<NpuDim, Slot[]>;
  private readonly primes: Record<NpuDim, number[]>;

  constructor(
    private readonly design: NpuDesign,
    p: LayerProblem,
    private readonly rand: () => number,
  ) {
    this.slots = Object.fromEntries(NPU_DIMS.map((d) => [d, this.slotsFor(d)])) as Record<NpuDim, Slot[]>;
    this.primes = Object.fromEntries(NPU_DIMS.map((d) => [d, primeFactors(p.dims[d])])) as Record<NpuDim, number[]>;
  }

  /** Random factor placement (array axes favoured where the factor still fits) and random loop orders. */
  randomMapping(): Mapping {
    const m: Mapping = { temporal: this.design.levels.map(() => ({ factors: ones(), order: this.shuffledDims() })), spatial: { rows: ones(), cols: ones(), arrays: ones() } };
    for (const d of NPU_DIMS) {
      const sl = this.slots[d];
      const spatial = sl.filter((s) => s.kind === "s");
      for (const f of this.primes[d]) {
        // Favour the array axes, but only where the factor still fits the axis.
        const fits = spatial.filter((s) => s.kind === "s" && this.axisUsed(m, s.axis) * f <= this.axisSize(s.axis));
        const s = fits.length > 0 && this.rand() < 0.6 ? this.pick(fits) : this.rand() < 0.5 ? sl[0]! : this.pick(sl.filter((x) => x.kind === "t"));
        set(m, s, d, get(m, s, d) * f);
      }
    }
    return m;
  }

  /** The first candidate: array axes filled greedily with the largest fitting prime factors, every other factor at DRAM. */
  greedyMapping(): Mapping {
    const m: Mapping = { temporal: this.design.levels.map(() => ({ factors: ones(), order: [...NPU_DIMS] })), spatial: { rows: ones(), cols: ones(), arrays: ones() } };
    for (const d of NPU_DIMS) {
      const spatial = this.slots[d].filter((x): x is Extract<Slot, { kind: "s" }> => x.kind === "s");
      for (const f of [...this.primes[d]].sort((a, b) => b - a)) {
        const s = spatial.find((x) => this.axisUsed(m, x.axis) * f <= this.axisSize(x.axis)) ?? this.slots[d][0]!;
        set(m, s, d, get(m, s, d) * f);
      }
    }
    return m;
  }

  /** A copy of `src` with two loops of one level swapped (30%) or one prime factor moved to another slot. */
  mutate(src: Mapping): Mapping {
    const m = clone(src);
    if (this.rand() < 0.3) {
      const lm = m.temporal[Math.floor(this.rand() * this.design.levels.length)]!;
      const i = Math.floor(this.rand() * lm.order.length);
      const j = Math.floor(this.rand() * lm.order.length);
      [lm.order[i], lm.order[j]] = [lm.order[j]!, lm.order[i]!];
      return m;
    }
    const movable = NPU_DIMS.filter((d) => this.primes[d].length > 0 && this.slots[d].length > 1);
    if (movable.length === 0) return m;
    const d = this.pick(movable);
    const from = this.slots[d].filter((s) => get(m, s, d) > 1);
    const a = this.pick(from);
    const f = this.pick(primeFactors(get(m, a, d)));
    const b = this.pick(this.slots[d].filter((s) => s !== a));
    set(m, a, d, get(m, a, d) / f);
    set(m, b, d, get(m, b, d) * f);
    return m;
  }

  private slotsFor(d: NpuDim): Slot[] {
    const s: Slot[] = [];
    for (let i = 0; i < this.design.levels.length; i++) s.push({ kind: "t", level: i });
    for (const axis of ["rows", "cols", "arrays"] as const) {
      if (this.axisSize(axis) > 1 && this.design.spatial[axis].includes(d)) s.push({ kind: "s", axis });
    }
    return s;
  }

  private pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.rand() * a.length)]!;
  }

  private shuffledDims(): NpuDim[] {
    const a = [...NPU_DIMS];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  private axisSize(a: Axis): number {
    return a === "rows" ? this.design.rows : a === "cols" ? this.design.cols : this.design.arrays;
  }

  private axisUsed(m: Mapping, a: Axis): number {
    let u = 1;
    for (const d of NPU_DIMS) u *= m.spatial[a][d];
    return u;
  }
}

function get(m: Mapping, s: Slot, d: NpuDim): number {
  return s.kind === "t" ? m.temporal[s.level]!.factors[d] : m.spatial[s.axis][d];
}

function set(m: Mapping, s: Slot, d: NpuDim, v: number): void {
  if (s.kind === "t") m.temporal[s.level]!.factors[d] = v;
  else m.spatial[s.axis][d] = v;
}
