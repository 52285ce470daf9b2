import type { CostContext, OpCost } from "../cost/contract.js";
import { achievableMainBandwidth, matrixEnergyPj, matrixWorkEngine } from "../cost/models/common.js";
import type { GraphCost } from "../estimate/evaluate-graph.js";
import type { DType } from "../units/dtype.js";

/**
 * A workload as the power model sees it: segments (an op, or a phase summarised) that each split
 * their time into a part bounded by clocked resources (matrix/vector math, on-chip SRAM and caches),
 * a part bounded by main memory, and a fixed part (launch gaps, host dispatch), with their dynamic
 * energy split the same way; plus time the chip waits (collectives, pipeline bubbles) at idle power.
 *
 * At clock ratio r = f / f_boost a segment takes max(clocked_s / r, memory_s) + fixed_s
 * (formulas.md §1 roofline with the compute term ∝ 1/f; HBM runs on its own clock, energy-area.md §8),
 * and its clocked dynamic energy scales with V(f)² (CMOS E = α·C·V² per switch; dvfs.ts).
 *
 * Struct of arrays (Float64Array): the DVFS bisection evaluates the whole profile tens of times
 * without allocating.
 */
export interface PowerProfile {
  n: number;
  clocked_s: Float64Array;
  memory_s: Float64Array;
  fixed_s: Float64Array;
  /** Executions of each segment (block repeat × scale). */
  count: Float64Array;
  /** Dynamic energy per execution at the boost clock: math + on-chip traffic (scales with V²). */
  e_clocked_j: Float64Array;
  /** Dynamic energy per execution of main-memory traffic (independent of the core clock). */
  e_memory_j: Float64Array;
  /** Time the chip waits at idle power (communication on the critical path, bubbles). */
  idle_s: number;
  /** Power drawn regardless of activity while busy: static_power_fraction × TDP (family data). */
  static_w: number;
  /** Power while waiting: the chip's measured idle power, else the static power. */
  idle_w: number;
  /** Named phases (inference: prefill, decode), in order, when the builder marked them. */
  phases?: readonly ProfilePhase[];
}

/** A named run of segments [first, end) and the waiting time inside it. */
export interface ProfilePhase {
  name: string;
  first: number;
  end: number;
  idle_s: number;
}

/** Collects segments, then freezes them into a {@link PowerProfile}. */
export class ProfileBuilder {
  private readonly rows: number[][] = [[], [], [], [], [], []];
  private idle = 0;
  private readonly marks: { name: string; first: number; idle: number }[] = [];

  constructor(private readonly ctx: CostContext) {}

  /** One segment: clocked, memory and fixed time of one execution, its count and energies. */
  segment(clocked_s: number, memory_s: number, fixed_s: number, count: number, e_clocked_j: number, e_memory_j: number): this {
    if (count <= 0) return this;
    const r = this.rows;
    r[0]!.push(clocked_s);
    r[1]!.push(memory_s);
    r[2]!.push(Math.max(0, fixed_s));
    r[3]!.push(count);
    r[4]!.push(e_clocked_j);
    r[5]!.push(e_memory_j);
    return this;
  }

  /** Every op of an evaluated graph, each executed `scale` × its block repeat. */
  graph(g: GraphCost, scale: number): this {
    for (const block of g.blocks) {
      for (const r of block.ops) {
        const count = r.repeat * scale;
        if (r.cost.engine === "network") {
          this.idle += r.time_s * count;
          continue;
        }
        this.op(r.cost, r.op.dtype, count, r.time_s);
      }
    }
    return this;
  }

  /**
   * One priced op (not a collective), `count` executions, each scheduled over `scheduled_s` (its time
   * plus any eager dispatch gap; default its own time).
   */
  op(c: OpCost, dtype: DType, count: number, scheduled_s = c.time_s): this {
    const eff = this.ctx.efficiency;
    const busy = c.time_s - c.overhead_time_s;
    const fixed = c.overhead_time_s + (scheduled_s - c.time_s);
    // Busy time beyond the main-memory time is bounded by a clocked resource (math or on-chip traffic).
    const clocked = busy > c.memory_time_s * (1 + 1e-9) ? busy : c.compute_time_s;
    const onchip = onChipBytes(c.bytes_by_level);
    const pjFlop = c.engine === "matrix" ? matrixEnergyPj(eff, dtype) : eff.energy_pj_per_vector_flop;
    const eClocked = (c.flops * pjFlop + onchip * eff.energy_pj_per_byte_onchip) * 1e-12;
    const eMemory = c.bytes * eff.energy_pj_per_byte_main * 1e-12;
    return this.segment(clocked, c.memory_time_s, fixed, count, eClocked, eMemory);
  }

  /**
   * A phase known only by its totals (decode: FLOPs, main-memory bytes, busy time): one roofline
   * segment, compute time at the achievable matrix rate of `dtype`, memory time at the achievable
   * bandwidth, the rest of the busy time fixed. `count` executions of the totals. `dynamic_j`: the
   * phase's dynamic energy per execution when the estimate knows it (split: main-memory bytes × pJ/B,
   * the rest clocked).
   */
  phase(t: { busy_s: number; flops: number; bytes: number; dynamic_j?: number }, dtype: DType, count: number): this {
    const { chip, efficiency: eff } = this.ctx;
    const engine = matrixWorkEngine(chip, eff, dtype);
    const rate = engine ? engine.peak * engine.efficiency : 0;
    const bw = achievableMainBandwidth(chip, eff);
    let clocked = rate > 0 ? t.flops / rate : 0;
    let memory = bw > 0 ? t.bytes / bw : 0;
    const roof = Math.max(clocked, memory);
    if (roof > t.busy_s && roof > 0) {
      clocked *= t.busy_s / roof;
      memory *= t.busy_s / roof;
    }
    const eMemory = t.bytes * eff.energy_pj_per_byte_main * 1e-12;
    // The estimate's own dynamic energy when given (it priced each op: vector math, on-chip traffic), else FLOPs × pJ/FLOP.
    const eClocked = t.dynamic_j !== undefined ? Math.max(0, t.dynamic_j - eMemory) : t.flops * matrixEnergyPj(eff, dtype) * 1e-12;
    return this.segment(clocked, memory, t.busy_s - Math.max(clocked, memory), count, eClocked, eMemory);
  }

  /** Time at idle power (communication on the critical path, pipeline bubbles). */
  wait(seconds: number): this {
    if (seconds > 0) this.idle += seconds;
    return this;
  }

  /** Starts a named phase: the segments and waits added from here on, up to the next mark, belong to it. */
  mark(name: string): this {
    this.marks.push({ name, first: this.rows[0]!.length, idle: this.idle });
    return this;
  }

  build(): PowerProfile {
    const [a, b, c, d, e, f] = this.rows.map((r) => Float64Array.from(r)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const tdp = this.ctx.chip.power.tdp_w ?? 0;
    const staticW = tdp * this.ctx.efficiency.static_power_fraction;
    const phases = this.marks.map((m, i) => {
      const next = this.marks[i + 1];
      return { name: m.name, first: m.first, end: next ? next.first : a.length, idle_s: (next ? next.idle : this.idle) - m.idle };
    });
    return { n: a.length, clocked_s: a, memory_s: b, fixed_s: c, count: d, e_clocked_j: e, e_memory_j: f, idle_s: this.idle, static_w: staticW, idle_w: this.ctx.chip.power.idle_w ?? staticW, ...(phases.length ? { phases } : {}) };
  }
}

function onChipBytes(byLevel: Record<string, number>): number {
  let s = 0;
  for (const k in byLevel) if (k !== "main") s += byLevel[k]!;
  return s;
}
