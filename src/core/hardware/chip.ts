import type { ChipSpec } from "../spec/chip-spec.js";
import type { CoolingType, FormFactor } from "../spec/energy-spec.js";
import type { NpuDesignSpec } from "../spec/npu-design-spec.js";
import type { Provenance } from "../spec/sourced.js";
import { DTYPES, type DType } from "../units/dtype.js";
import { buildSecurity, buildSoftware, type ChipSecurity, type ChipSoftware, unknownSecurity } from "./chip-security.js";
import { buildSupport, type ChipSupport, unknownSupport } from "./chip-support.js";
import { buildFpga, type ChipFpga } from "./chip-fpga.js";
import { ProvenanceRecorder } from "./provenance-recorder.js";

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
  /** `unpublished.tdp_w`: why no TDP is given (spec `power.unpublished.tdp`). */
  power: { tdp_w?: number; idle_w?: number; unpublished?: { tdp_w?: string } };
  /** Junction limits (°C), packaging and usual cooling; each field absent when unpublished. */
  thermal: ChipThermal;
  /** Purchase price and cloud rate when a source gives them; `note` says why one is absent. */
  cost: {
    price_usd?: number;
    cloud_usd_per_hour?: number;
    price_scope?: "chip" | "module" | "system";
    /** Why a figure is absent, keyed by the field it stands for (spec `cost.unpublished`). */
    unpublished?: { price_usd?: string; cloud_usd_per_hour?: string };
    note?: string;
  };
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
  /** Confidential computing, memory encryption, secure boot, attestation, isolation ("unknown" where unsourced). */
  security: ChipSecurity;
  /** The software ecosystem the chip runs (CUDA, ROCm, XLA, ...), sourced; empty when unknown. */
  software: ChipSoftware;
  /** Ops the toolchain cannot run natively and where they go; `known: false` when the file has no `support:` section. */
  support: ChipSupport;
  /** FPGA resources (DSP type and count, LUTs, block RAM, family clock ceiling); only on FPGAs whose file has an `fpga:` section. */
  fpga?: ChipFpga;
}

export interface ChipThermal {
  tj_max_c?: number;
  tj_slowdown_c?: number;
  form_factor?: FormFactor;
  cooling?: CoolingType;
}

/** Builds the normalised model from a validated spec. Pure; no I/O. */
export function buildChip(spec: ChipSpec): Chip {
  const rec = new ProvenanceRecorder(spec.source);
  const clock_hz = rec.take("clock_hz", spec.clock.boost);
  const units = spec.compute.units;
  const m = spec.compute.matrix;
  const matrixCount = m ? (m.count ?? (m.per_unit ? m.per_unit * units : undefined)) : undefined;
  const matrixPeak = matrixPeaks(spec, clock_hz, matrixCount, rec);
  const vectorPeak = vectorPeaks(spec, clock_hz, rec);
  const limitations = [...spec.limitations];
  if (Object.keys(matrixPeak).length === 0 && Object.keys(vectorPeak).length === 0) {
    limitations.push("no dense compute peak in its sources: compute-time estimates are unavailable");
  }
  const main = mainMemory(spec, rec);
  const on_chip = onChipMemory(spec, rec);
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
    thermal: thermalOf(spec, rec),
    cost: {},
    process: {},
    efficiency_overrides: spec.efficiency,
    provenance: rec.provenance,
    sources: spec.sources,
    limitations,
    caveats: spec.caveats,
    security: unknownSecurity(),
    software: { stacks: [] },
    support: unknownSupport(),
  };
  if (spec.category) chip.category = spec.category;
  if (spec.year !== undefined) chip.year = spec.year;
  if (clock_hz !== undefined) chip.clock_hz = clock_hz;
  if (spec.notes) chip.notes = spec.notes;
  if (spec.design) chip.design = spec.design;
  addLinksPowerCostProcess(chip, spec, rec);
  chip.security = buildSecurity(spec, rec);
  chip.software = buildSoftware(spec, rec);
  chip.support = buildSupport(spec, rec);
  const fpga = buildFpga(spec, rec);
  if (fpga) chip.fpga = fpga;
  if (spec.cost.note) chip.cost.note = spec.cost.note;
  addUnpublished(chip, spec);
  if (chip.cost.price_usd !== undefined) chip.cost.price_scope = spec.cost.price_scope ?? "chip";
  if (chip.power.tdp_w === undefined) chip.limitations.push(`no TDP in its sources${chip.power.unpublished?.tdp_w ? ` (not published: ${chip.power.unpublished.tdp_w})` : ""}: energy estimates are unavailable`);
  return chip;
}

/** The thermal section, provenance recorded under thermal.*. */
function thermalOf(spec: ChipSpec, rec: ProvenanceRecorder): ChipThermal {
  const t: ChipThermal = {};
  const tj = rec.take("thermal.tj_max_c", spec.thermal.tj_max_c);
  if (tj !== undefined) t.tj_max_c = tj;
  const slow = rec.take("thermal.tj_slowdown_c", spec.thermal.tj_slowdown_c);
  if (slow !== undefined) t.tj_slowdown_c = slow;
  const ff = rec.take("thermal.form_factor", spec.thermal.form_factor);
  if (ff !== undefined) t.form_factor = ff;
  const cooling = rec.take("thermal.cooling", spec.thermal.cooling);
  if (cooling !== undefined) t.cooling = cooling;
  return t;
}

/** Matrix-engine peaks per dtype: as given, else 2 × MACs/cycle × engines × clock (recorded as derived). */
function matrixPeaks(spec: ChipSpec, clock_hz: number | undefined, matrixCount: number | undefined, rec: ProvenanceRecorder): Partial<Record<DType, number>> {
  const peaks: Partial<Record<DType, number>> = {};
  const m = spec.compute.matrix;
  if (!m) return peaks;
  for (const dt of DTYPES) {
    const given = rec.take(`matrix.peak_flops_per_s.${dt}`, m.peak[dt]);
    if (given !== undefined) {
      peaks[dt] = given;
      continue;
    }
    const macs = m.macs_per_cycle?.[dt];
    if (macs !== undefined && clock_hz !== undefined && matrixCount !== undefined) {
      peaks[dt] = 2 * macs * matrixCount * clock_hz;
      rec.derive(`matrix.peak_flops_per_s.${dt}`, `2 × ${macs} MAC/cycle × ${matrixCount} engines × ${clock_hz / 1e9} GHz`);
    }
  }
  return peaks;
}

/** Vector peaks per dtype: as given, else FLOP/cycle/unit × units × clock (recorded as derived). */
function vectorPeaks(spec: ChipSpec, clock_hz: number | undefined, rec: ProvenanceRecorder): Partial<Record<DType, number>> {
  const peaks: Partial<Record<DType, number>> = {};
  const v = spec.compute.vector;
  if (!v) return peaks;
  const units = spec.compute.units;
  for (const dt of DTYPES) {
    const given = rec.take(`vector.peak_flops_per_s.${dt}`, v.peak[dt]);
    if (given !== undefined) {
      peaks[dt] = given;
      continue;
    }
    const perCycle = v.flops_per_cycle_per_unit?.[dt];
    if (perCycle !== undefined && clock_hz !== undefined) {
      peaks[dt] = perCycle * units * clock_hz;
      rec.derive(`vector.peak_flops_per_s.${dt}`, `${perCycle} FLOP/cycle/unit × ${units} units × ${clock_hz / 1e9} GHz`);
    }
  }
  return peaks;
}

function mainMemory(spec: ChipSpec, rec: ProvenanceRecorder): MemoryLevel {
  const main: MemoryLevel = {
    name: "main",
    type: spec.memory.main.type,
    capacity_bytes: rec.take("memory.main.capacity_bytes", spec.memory.main.capacity)!,
    bandwidth_bytes_per_s: rec.take("memory.main.bandwidth_bytes_per_s", spec.memory.main.bandwidth)!,
    scope: "chip",
  };
  const latency = rec.take("memory.main.latency_s", spec.memory.main.latency);
  if (latency !== undefined) main.latency_s = latency;
  return main;
}

function onChipMemory(spec: ChipSpec, rec: ProvenanceRecorder): MemoryLevel[] {
  return spec.memory.on_chip.map((l, i) => {
    const level: MemoryLevel = {
      name: l.name,
      capacity_bytes: rec.take(`memory.on_chip[${i}].capacity_bytes`, l.capacity)!,
      scope: l.scope,
    };
    if (l.type) level.type = l.type;
    const bw = rec.take(`memory.on_chip[${i}].bandwidth_bytes_per_s`, l.bandwidth);
    if (bw !== undefined) level.bandwidth_bytes_per_s = bw;
    const lat = rec.take(`memory.on_chip[${i}].latency_s`, l.latency);
    if (lat !== undefined) level.latency_s = lat;
    return level;
  });
}

function buildLink(spec: ChipSpec, key: "scale_up" | "host", rec: ProvenanceRecorder): Link | undefined {
  const l = spec.interconnect[key];
  if (!l) return undefined;
  const out: Link = { name: l.name };
  const bw = rec.take(`interconnect.${key}.bandwidth_per_direction_bytes_per_s`, l.bandwidth_per_direction);
  if (bw !== undefined) out.bandwidth_per_direction_bytes_per_s = bw;
  if (l.links !== undefined) out.links = l.links;
  const lat = rec.take(`interconnect.${key}.latency_s`, l.latency);
  if (lat !== undefined) out.latency_s = lat;
  return out;
}

/** The reasons the spec gives for absent price, cloud rate and TDP (only for figures that are absent). */
function addUnpublished(chip: Chip, spec: ChipSpec): void {
  const c = spec.cost.unpublished;
  const cost: NonNullable<Chip["cost"]["unpublished"]> = {};
  if (c?.price && chip.cost.price_usd === undefined) cost.price_usd = c.price;
  if (c?.cloud_per_hour && chip.cost.cloud_usd_per_hour === undefined) cost.cloud_usd_per_hour = c.cloud_per_hour;
  if (Object.keys(cost).length) chip.cost.unpublished = cost;
  const tdp = spec.power.unpublished?.tdp;
  if (tdp && chip.power.tdp_w === undefined) chip.power.unpublished = { tdp_w: tdp };
}

/** The optional figures: interconnect links, power, price and process (each only when a source gives it). */
function addLinksPowerCostProcess(chip: Chip, spec: ChipSpec, rec: ProvenanceRecorder): void {
  const su = buildLink(spec, "scale_up", rec);
  if (su) chip.interconnect.scale_up = su;
  const host = buildLink(spec, "host", rec);
  if (host) chip.interconnect.host = host;
  const tdp = rec.take("power.tdp_w", spec.power.tdp);
  if (tdp !== undefined) chip.power.tdp_w = tdp;
  const idle = rec.take("power.idle_w", spec.power.idle);
  if (idle !== undefined) chip.power.idle_w = idle;
  const price = rec.take("cost.price_usd", spec.cost.price);
  if (price !== undefined) chip.cost.price_usd = price;
  const cph = rec.take("cost.cloud_usd_per_hour", spec.cost.cloud_per_hour);
  if (cph !== undefined) chip.cost.cloud_usd_per_hour = cph;
  const node = rec.take("process.node", spec.process.node);
  if (node !== undefined) chip.process.node = node;
  const area = rec.take("process.die_area_mm2", spec.process.die_area);
  if (area !== undefined) chip.process.die_area_mm2 = area;
  const tr = rec.take("process.transistors", spec.process.transistors);
  if (tr !== undefined) chip.process.transistors = tr;
}

/** Dtypes the chip's matrix engine runs natively (dense peak known). */
export function matrixDTypes(chip: Chip): DType[] {
  return DTYPES.filter((d) => chip.matrix.peak_flops_per_s[d] !== undefined);
}
