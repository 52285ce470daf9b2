import type { ChipSpec } from "../spec/chip-spec.js";
import type { NpuDesignSpec } from "../spec/npu-design-spec.js";
import type { Provenance, SourcedValue } from "../spec/sourced.js";
import { DTYPES, type DType } from "../units/dtype.js";

/**
 * The normalised hardware model: what the cost models read. Every number is SI (bytes, bytes/s,
 * FLOP/s, Hz, W, s, USD). Built once from a validated {@link ChipSpec}; immutable afterwards.
 */
export interface MemoryLevel {
  name: string;
  type?: string;
  capacity_bytes: number;
  /** Peak bandwidth (aggregate read+write); undefined when no source gives it. */
  bandwidth_bytes_per_s?: number;
  latency_s?: number;
  /** "unit": each compute unit has its own copy of this capacity. */
  scope: "chip" | "unit";
}

export interface Link {
  name: string;
  bandwidth_per_direction_bytes_per_s?: number;
  links?: number;
  latency_s?: number;
}

export interface MatrixEngine {
  name?: string;
  kind: ChipSpec["compute"]["matrix"] extends infer M ? (M extends { kind: infer K } ? K : never) : never;
  /** Total matrix engines on the chip. */
  count?: number;
  shape?: { rows: number; cols: number; depth?: number };
  /** Dense peak per dtype, FLOP/s (OP/s for integer dtypes). */
  peak_flops_per_s: Partial<Record<DType, number>>;
}

export interface Chip {
  id: string;
  name: string;
  vendor: string;
  kind: ChipSpec["kind"];
  category?: string;
  family: string;
  year?: number;
  aliases: string[];
  clock_hz?: number;
  compute_units: number;
  unit_name: string;
  matrix: MatrixEngine;
  vector: { peak_flops_per_s: Partial<Record<DType, number>> };
  memory: { main: MemoryLevel; on_chip: MemoryLevel[] };
  interconnect: { scale_up?: Link; host?: Link };
  power: { tdp_w?: number; idle_w?: number };
  cost: { price_usd?: number; cloud_usd_per_hour?: number };
  process: { node?: string; die_area_mm2?: number; transistors?: number };
  /** Per-chip overrides of the family efficiency parameters. */
  efficiency_overrides: Readonly<Record<string, unknown>>;
  /** Where each figure came from, keyed by field path of the normalised model. */
  provenance: Readonly<Record<string, Provenance>>;
  sources: ChipSpec["sources"];
  /** What this chip's data cannot support; shown by `xpusim chips`. */
  limitations: string[];
  caveats: string[];
  notes?: string;
  /** Custom-NPU design block (mapping, energy and area), as validated; absent on catalog chips. */
  design?: NpuDesignSpec;
}

/** Builds the normalised model from a validated spec. Pure; no I/O. */
export function buildChip(spec: ChipSpec): Chip {
  const provenance: Record<string, Provenance> = {};
  const defaultSource = spec.source === undefined ? undefined : Array.isArray(spec.source) ? spec.source : [spec.source];
  const take = <T>(path: string, v: SourcedValue<T> | undefined): T | undefined => {
    if (!v) return undefined;
    const { value, ...prov } = v;
    const p: Provenance = { ...prov };
    if (!p.source && defaultSource) p.source = defaultSource;
    provenance[path] = p;
    return value;
  };

  const clock_hz = take("clock_hz", spec.clock.boost);
  const units = spec.compute.units;
  const m = spec.compute.matrix;
  const matrixCount = m ? (m.count ?? (m.per_unit ? m.per_unit * units : undefined)) : undefined;
  const matrixPeak: Partial<Record<DType, number>> = {};
  const limitations = [...spec.limitations];
  if (m) {
    for (const dt of DTYPES) {
      const given = take(`matrix.peak_flops_per_s.${dt}`, m.peak[dt]);
      if (given !== undefined) {
        matrixPeak[dt] = given;
        continue;
      }
      const macs = m.macs_per_cycle?.[dt];
      if (macs !== undefined && clock_hz !== undefined && matrixCount !== undefined) {
        matrixPeak[dt] = 2 * macs * matrixCount * clock_hz;
        provenance[`matrix.peak_flops_per_s.${dt}`] = {
          derived: `2 × ${macs} MAC/cycle × ${matrixCount} engines × ${clock_hz / 1e9} GHz`,
          ...(defaultSource ? { source: defaultSource } : {}),
        };
      }
    }
  }
  const vectorPeak: Partial<Record<DType, number>> = {};
  const v = spec.compute.vector;
  if (v) {
    for (const dt of DTYPES) {
      const given = take(`vector.peak_flops_per_s.${dt}`, v.peak[dt]);
      if (given !== undefined) {
        vectorPeak[dt] = given;
        continue;
      }
      const perCycle = v.flops_per_cycle_per_unit?.[dt];
      if (perCycle !== undefined && clock_hz !== undefined) {
        vectorPeak[dt] = perCycle * units * clock_hz;
        provenance[`vector.peak_flops_per_s.${dt}`] = {
          derived: `${perCycle} FLOP/cycle/unit × ${units} units × ${clock_hz / 1e9} GHz`,
          ...(defaultSource ? { source: defaultSource } : {}),
        };
      }
    }
  }
  if (Object.keys(matrixPeak).length === 0 && Object.keys(vectorPeak).length === 0) {
    limitations.push("no dense compute peak in its sources: compute-time estimates are unavailable");
  }

  const main: MemoryLevel = {
    name: "main",
    type: spec.memory.main.type,
    capacity_bytes: take("memory.main.capacity_bytes", spec.memory.main.capacity)!,
    bandwidth_bytes_per_s: take("memory.main.bandwidth_bytes_per_s", spec.memory.main.bandwidth)!,
    scope: "chip",
  };
  const mainLatency = take("memory.main.latency_s", spec.memory.main.latency);
  if (mainLatency !== undefined) main.latency_s = mainLatency;

  const on_chip: MemoryLevel[] = spec.memory.on_chip.map((l, i) => {
    const level: MemoryLevel = {
      name: l.name,
      capacity_bytes: take(`memory.on_chip[${i}].capacity_bytes`, l.capacity)!,
      scope: l.scope,
    };
    if (l.type) level.type = l.type;
    const bw = take(`memory.on_chip[${i}].bandwidth_bytes_per_s`, l.bandwidth);
    if (bw !== undefined) level.bandwidth_bytes_per_s = bw;
    const lat = take(`memory.on_chip[${i}].latency_s`, l.latency);
    if (lat !== undefined) level.latency_s = lat;
    return level;
  });

  const buildLink = (key: "scale_up" | "host"): Link | undefined => {
    const l = spec.interconnect[key];
    if (!l) return undefined;
    const out: Link = { name: l.name };
    const bw = take(`interconnect.${key}.bandwidth_per_direction_bytes_per_s`, l.bandwidth_per_direction);
    if (bw !== undefined) out.bandwidth_per_direction_bytes_per_s = bw;
    if (l.links !== undefined) out.links = l.links;
    const lat = take(`interconnect.${key}.latency_s`, l.latency);
    if (lat !== undefined) out.latency_s = lat;
    return out;
  };

  const chip: Chip = {
    id: spec.id,
    name: spec.name,
    vendor: spec.vendor,
    kind: spec.kind,
    family: spec.family,
    aliases: spec.aliases,
    compute_units: units,
    unit_name: spec.compute.unit_name,
    matrix: {
      kind: m?.kind ?? "none",
      peak_flops_per_s: matrixPeak,
      ...(m?.name ? { name: m.name } : {}),
      ...(matrixCount !== undefined ? { count: matrixCount } : {}),
      ...(m?.shape ? { shape: m.shape } : {}),
    },
    vector: { peak_flops_per_s: vectorPeak },
    memory: { main, on_chip },
    interconnect: {},
    power: {},
    cost: {},
    process: {},
    efficiency_overrides: spec.efficiency,
    provenance,
    sources: spec.sources,
    limitations,
    caveats: spec.caveats,
  };
  if (spec.category) chip.category = spec.category;
  if (spec.year !== undefined) chip.year = spec.year;
  if (clock_hz !== undefined) chip.clock_hz = clock_hz;
  if (spec.notes) chip.notes = spec.notes;
  if (spec.design) chip.design = spec.design;
  const su = buildLink("scale_up");
  if (su) chip.interconnect.scale_up = su;
  const host = buildLink("host");
  if (host) chip.interconnect.host = host;
  const tdp = take("power.tdp_w", spec.power.tdp);
  if (tdp !== undefined) chip.power.tdp_w = tdp;
  const idle = take("power.idle_w", spec.power.idle);
  if (idle !== undefined) chip.power.idle_w = idle;
  const price = take("cost.price_usd", spec.cost.price);
  if (price !== undefined) chip.cost.price_usd = price;
  const cph = take("cost.cloud_usd_per_hour", spec.cost.cloud_per_hour);
  if (cph !== undefined) chip.cost.cloud_usd_per_hour = cph;
  const node = take("process.node", spec.process.node);
  if (node !== undefined) chip.process.node = node;
  const area = take("process.die_area_mm2", spec.process.die_area);
  if (area !== undefined) chip.process.die_area_mm2 = area;
  const tr = take("process.transistors", spec.process.transistors);
  if (tr !== undefined) chip.process.transistors = tr;
  if (chip.power.tdp_w === undefined) chip.limitations.push("no TDP in its sources: energy estimates are unavailable");
  return chip;
}

/** Dtypes the chip's matrix engine runs natively (dense peak known). */
export function matrixDTypes(chip: Chip): DType[] {
  return DTYPES.filter((d) => chip.matrix.peak_flops_per_s[d] !== undefined);
}
