/**
 * An NPU design is a chip spec (array shape and count, clock, process node, main memory) plus its optional
 * `design:` block (dataflow, buffer levels, MAC dtype). `resolveDesign` turns a Chip into the normalised
 * hierarchy the mapper works on: level 0 is DRAM, then the on-chip levels from outermost to innermost;
 * the spatial fan-out (array rows × cols × arrays) sits just above the first per-PE level. A chip
 * without a design block gets a default one: weight-stationary, its chip-scope on-chip levels holding all
 * tensors.
 */
import { error, XpusimError, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import type { NpuDataflow, NpuDesignSpec, NpuDim, NpuTensor } from "../spec/npu-design-spec.js";
import { DTYPE_BYTES, type DType } from "../units/dtype.js";

export interface NpuLevel {
  name: string;
  /** Bytes per instance (Infinity for DRAM). */
  capacity_bytes: number;
  scope: "dram" | "chip" | "pe";
  word_bits: number;
  banks: number;
  holds: ReadonlySet<NpuTensor>;
  double_buffered: boolean;
  technology: "dram" | "register" | "sram";
}

export interface NpuDesign {
  chip_id: string;
  chip_name: string;
  rows: number;
  cols: number;
  arrays: number;
  clock_hz: number;
  dataflow: NpuDataflow;
  array_kind: "systolic" | "mesh";
  dtype: DType;
  dtype_bits: number;
  accumulator_bits: number;
  process_nm: number;
  spatial: { rows: readonly NpuDim[]; cols: readonly NpuDim[]; arrays: readonly NpuDim[] };
  /** levels[0] is DRAM. */
  levels: NpuLevel[];
  /** Index of the first per-PE level (levels.length when there is none). */
  split: number;
  dram: { type: string; bandwidth_bytes_per_s: number; capacity_bytes: number };
}

/** Dims each array axis may span, by dataflow (SCALE-Sim's table for ws/os/is; Eyeriss for rs). */
export const DATAFLOW_SPATIAL: Readonly<Record<NpuDataflow, { rows: NpuDim[]; cols: NpuDim[] }>> = {
  ws: { rows: ["C", "R", "S"], cols: ["M"] },
  os: { rows: ["N", "P", "Q"], cols: ["M"] },
  is: { rows: ["C", "R", "S"], cols: ["N", "P", "Q"] },
  rs: { rows: ["R", "C", "M"], cols: ["P", "Q", "N"] },
};

/** Several arrays split independent outputs (no cross-array reduction). */
const ARRAY_DIMS: NpuDim[] = ["M", "N", "P", "Q"];

/** "7 nm", "N7", "TSMC 7nm FinFET", "16FF", "28 nm" -> 7, 7, 7, 16, 28. */
export function parseNodeNm(node: string | undefined): number | undefined {
  if (!node) return undefined;
  const m = /(\d+(?:\.\d+)?)\s*(?:nm|ff|n\b)/i.exec(node) ?? /\bN(\d+)/.exec(node) ?? /(\d+(?:\.\d+)?)/.exec(node);
  const v = m ? Number(m[1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

export function resolveDesign(chip: Chip): NpuDesign {
  const spec: NpuDesignSpec = chip.design ?? { dataflow: "ws", dtype: "int8", array: "systolic" };
  const diags: Diagnostic[] = [];
  const shape = chip.matrix.shape;
  if (!shape) diags.push(error("E_SCHEMA", "compute.matrix.shape", "a mapped NPU needs the array shape", { expected: "shape: { rows: 128, cols: 128 }" }));
  if (chip.clock_hz === undefined) diags.push(error("E_SCHEMA", "clock.boost", "a mapped NPU needs a clock", { expected: "clock: { boost: 1 GHz }" }));
  const processNm = spec.process_nm ?? parseNodeNm(chip.process.node);
  if (processNm === undefined)
    diags.push(error("E_SCHEMA", "process.node", "the energy and area models need the process node", { expected: 'process: { node: "7 nm" } or design.process_nm: 7' }));
  const levels = memoryLevels(chip, spec, diags);
  if (diags.length > 0) throw new XpusimError(diags.map((d) => ({ ...d, message: `chip "${chip.id}": ${d.message}` })));
  const dtypeBits = DTYPE_BYTES[spec.dtype] * 8;
  const split = levels.findIndex((l) => l.scope === "pe");
  const df = DATAFLOW_SPATIAL[spec.dataflow];
  return {
    chip_id: chip.id,
    chip_name: chip.name,
    rows: shape!.rows,
    cols: shape!.cols,
    arrays: chip.matrix.count ?? 1,
    clock_hz: chip.clock_hz!,
    dataflow: spec.dataflow,
    array_kind: spec.array,
    dtype: spec.dtype,
    dtype_bits: dtypeBits,
    accumulator_bits: spec.accumulator_bits ?? Math.max(32, dtypeBits),
    process_nm: processNm!,
    spatial: { rows: spec.spatial?.rows ?? df.rows, cols: spec.spatial?.cols ?? df.cols, arrays: ARRAY_DIMS },
    levels,
    split: split < 0 ? levels.length : split,
    dram: {
      type: chip.memory.main.type ?? "unknown",
      bandwidth_bytes_per_s: chip.memory.main.bandwidth_bytes_per_s ?? Infinity,
      capacity_bytes: chip.memory.main.capacity_bytes,
    },
  };
}

/** The design's buffers, else the chip's chip-scope on-chip memories (innermost last), each holding every tensor. */
function bufferSpecs(chip: Chip, spec: NpuDesignSpec) {
  return (
    spec.buffers ??
    chip.memory.on_chip
      .filter((l) => l.scope === "chip")
      .slice()
      .reverse()
      .map((l) => ({ name: l.name.replace(/[^A-Za-z0-9_-]/g, "_"), capacity: l.capacity_bytes, scope: "chip" as const, word_bits: 64, banks: 1, holds: ["weights", "inputs", "outputs"] as NpuTensor[], double_buffered: false }))
  );
}

/** DRAM then the buffer levels, outermost first; problems (no buffer, duplicate names, missing capacity, chip level inside a PE level) go to `diags`. */
function memoryLevels(chip: Chip, spec: NpuDesignSpec, diags: Diagnostic[]): NpuLevel[] {
  const dram: NpuLevel = { name: "dram", capacity_bytes: Infinity, scope: "dram", word_bits: 64, banks: 1, holds: new Set<NpuTensor>(["weights", "inputs", "outputs"]), double_buffered: false, technology: "dram" };
  const levels: NpuLevel[] = [dram];
  const buffers = bufferSpecs(chip, spec);
  if (buffers.length === 0)
    diags.push(error("E_SCHEMA", "design.buffers", "a mapped NPU needs at least one on-chip buffer level", { hint: "add design.buffers or memory.on_chip" }));
  let seenPe = false;
  const names = new Set<string>(["dram"]);
  buffers.forEach((b, i) => {
    const path = `design.buffers[${i}]`;
    if (names.has(b.name)) diags.push(error("E_SCHEMA", `${path}.name`, `duplicate level name "${b.name}"`));
    names.add(b.name);
    const cap = b.capacity ?? chip.memory.on_chip.find((l) => l.name === b.name)?.capacity_bytes;
    if (cap === undefined) diags.push(error("E_SCHEMA", `${path}.capacity`, `level "${b.name}" has no capacity and no memory.on_chip level of that name`));
    if (b.scope === "pe") seenPe = true;
    else if (seenPe) diags.push(error("E_SCHEMA", `${path}.scope`, `chip-scope level "${b.name}" is listed inside a per-PE level`, { hint: "list levels from the outermost (next to DRAM) to the innermost" }));
    const tech = "technology" in b && b.technology ? b.technology : (cap ?? 0) <= 1024 && b.scope === "pe" ? "register" : "sram";
    levels.push({
      name: b.name,
      capacity_bytes: cap ?? 0,
      scope: b.scope,
      word_bits: b.word_bits,
      banks: b.banks,
      holds: new Set(b.holds),
      double_buffered: b.double_buffered,
      technology: tech,
    });
  });
  return levels;
}

/** Bits of one element of a tensor at a level: partial sums on chip are accumulator-wide. */
export function elementBits(design: NpuDesign, t: NpuTensor): number {
  return t === "outputs" ? design.accumulator_bits : design.dtype_bits;
}
