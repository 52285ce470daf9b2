/**
 * A chip's figures as rows: every number the normalised model holds (peaks per dtype, memory levels,
 * bandwidths, links, power, clock, price, process) with its unit and where it came from (the
 * `provenance` of that field: source references, derivation, estimate flag and range, note), as
 * `xpusim chips <id>` prints them. The web workbench's spec table and its exports read these rows.
 */
import type { Chip } from "../hardware/chip.js";
import type { Provenance } from "../spec/sourced.js";

export interface ChipFigure {
  /** Field path in the normalised chip (the provenance key), e.g. "memory.main.bandwidth_bytes_per_s". */
  path: string;
  /** Section: compute, memory, interconnect, power, cost, process. */
  group: string;
  label: string;
  /** The value in SI units (bytes, bytes/s, FLOP/s, Hz, W, USD) or text (process node). */
  value: number | string;
  unit: string;
  /** Source references into `chip.sources` ([] when the figure names none). */
  source: number[];
  derived?: string;
  estimated?: boolean;
  range?: [number, number];
  note?: string;
}

const opUnit = (dtype: string) => (dtype.startsWith("int") ? "OP/s" : "FLOP/s");

function figure(chip: Chip, path: string, group: string, label: string, value: number | string | undefined, unit: string): ChipFigure[] {
  if (value === undefined) return [];
  const p: Provenance = chip.provenance[path] ?? {};
  return [
    {
      path,
      group,
      label,
      value,
      unit,
      source: p.source ?? [],
      ...(p.derived ? { derived: p.derived } : {}),
      ...(p.estimated ? { estimated: true } : {}),
      ...(p.range ? { range: p.range } : {}),
      ...(p.note ? { note: p.note } : {}),
    },
  ];
}

function computeFigures(c: Chip): ChipFigure[] {
  return [
    ...figure(c, "clock_hz", "compute", "clock (boost)", c.clock_hz, "Hz"),
    ...figure(c, "compute_units", "compute", `compute units (${c.unit_name})`, c.compute_units, ""),
    ...Object.entries(c.matrix.peak_flops_per_s).flatMap(([dt, v]) => figure(c, `matrix.peak_flops_per_s.${dt}`, "compute", `matrix peak ${dt}`, v, opUnit(dt))),
    ...Object.entries(c.vector.peak_flops_per_s).flatMap(([dt, v]) => figure(c, `vector.peak_flops_per_s.${dt}`, "compute", `vector peak ${dt}`, v, opUnit(dt))),
  ];
}

function memoryFigures(c: Chip): ChipFigure[] {
  const main = c.memory.main;
  return [
    ...figure(c, "memory.main.capacity_bytes", "memory", `main memory${main.type ? ` (${main.type})` : ""}`, main.capacity_bytes, "B"),
    ...figure(c, "memory.main.bandwidth_bytes_per_s", "memory", "main memory bandwidth", main.bandwidth_bytes_per_s, "B/s"),
    ...figure(c, "memory.main.latency_s", "memory", "main memory latency", main.latency_s, "s"),
    ...c.memory.on_chip.flatMap((l, i) => [
      ...figure(c, `memory.on_chip[${i}].capacity_bytes`, "memory", `${l.name}${l.scope === "unit" ? ` (per ${c.unit_name})` : ""}`, l.capacity_bytes, "B"),
      ...figure(c, `memory.on_chip[${i}].bandwidth_bytes_per_s`, "memory", `${l.name} bandwidth`, l.bandwidth_bytes_per_s, "B/s"),
      ...figure(c, `memory.on_chip[${i}].latency_s`, "memory", `${l.name} latency`, l.latency_s, "s"),
    ]),
  ];
}

function linkFigures(c: Chip): ChipFigure[] {
  return (["scale_up", "host"] as const).flatMap((key) => {
    const l = c.interconnect[key];
    if (!l) return [];
    const what = `${key === "scale_up" ? "scale-up" : "host"} link ${l.name}`;
    return [
      ...figure(c, `interconnect.${key}.bandwidth_per_direction_bytes_per_s`, "interconnect", `${what}, per direction`, l.bandwidth_per_direction_bytes_per_s, "B/s"),
      ...figure(c, `interconnect.${key}.links`, "interconnect", `${what}, links`, l.links, ""),
      ...figure(c, `interconnect.${key}.latency_s`, "interconnect", `${what}, latency`, l.latency_s, "s"),
    ];
  });
}

function powerCostProcessFigures(c: Chip): ChipFigure[] {
  return [
    ...figure(c, "power.tdp_w", "power", "TDP", c.power.tdp_w, "W"),
    ...figure(c, "power.idle_w", "power", "idle power", c.power.idle_w, "W"),
    ...figure(c, "thermal.tj_max_c", "power", "Tj max", c.thermal.tj_max_c, "°C"),
    ...figure(c, "cost.price_usd", "cost", `price (${c.cost.price_scope ?? "chip"})`, c.cost.price_usd, "USD"),
    ...figure(c, "cost.cloud_usd_per_hour", "cost", "cloud rate", c.cost.cloud_usd_per_hour, "USD/h"),
    ...figure(c, "process.node", "process", "process node", c.process.node, ""),
    ...figure(c, "process.die_area_mm2", "process", "die area", c.process.die_area_mm2, "mm²"),
    ...figure(c, "process.transistors", "process", "transistors", c.process.transistors, ""),
  ];
}

/** Every figure of the chip, in the order `xpusim chips <id>` shows them. */
export function chipFigures(chip: Chip): ChipFigure[] {
  return [...computeFigures(chip), ...memoryFigures(chip), ...linkFigures(chip), ...powerCostProcessFigures(chip)];
}

/** The headline figures a variant is compared on. */
export interface ChipHeadline {
  peak_bf16_flops_per_s?: number;
  memory_bandwidth_bytes_per_s?: number;
  memory_capacity_bytes: number;
  tdp_w?: number;
}

export function chipHeadline(chip: Chip): ChipHeadline {
  const bf16 = chip.matrix.peak_flops_per_s.bf16 ?? chip.matrix.peak_flops_per_s.fp16;
  return {
    ...(bf16 !== undefined ? { peak_bf16_flops_per_s: bf16 } : {}),
    ...(chip.memory.main.bandwidth_bytes_per_s !== undefined ? { memory_bandwidth_bytes_per_s: chip.memory.main.bandwidth_bytes_per_s } : {}),
    memory_capacity_bytes: chip.memory.main.capacity_bytes,
    ...(chip.power.tdp_w !== undefined ? { tdp_w: chip.power.tdp_w } : {}),
  };
}
