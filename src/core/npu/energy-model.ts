/**
 * Energy per action for a design at its process node, from the catalog tables (catalog/energy), and the
 * energy of a mapping: Σ actions × energy per action (Accelergy's model, energy-area.md §8).
 * Node scaling (energy-area.md §4, scaling.yaml): each entry interpolates geometrically in log(node)
 * between its 45 nm and 7 nm values; above 45 nm the Stillmaker energy-factor ratio, below 7 nm
 * (node/7)^0.5. SRAM energy per bit follows the capacity of one bank (capacity / banks), interpolated
 * log-log between the table's points. DRAM pJ/bit depends only on the memory type. Leakage and the clock
 * network (static-energy.ts) are priced per second and per cycle and added by evaluateMapping.
 */
import { XpusimError, error } from "../diagnostics/diagnostic.js";
import type { CapacityPoint, EnergyCatalog, EnergyValue, MacDtype } from "../spec/energy-spec.js";
import { NPU_TENSORS, type NpuTensor } from "../spec/npu-design-spec.js";
import type { AccessCounts } from "./access-counts.js";
import { elementBits, type NpuDesign } from "./design.js";
import { interpLogLog, nodeTables, scaleToNode } from "./node-scaling.js";
import { areaOf } from "./area-model.js";
import { designStaticPower, type StaticPower } from "./static-energy.js";

export interface ActionEnergy {
  pj: number;
  /** How the figure was obtained (table entries and scaling). */
  basis: string;
}

export interface DesignActionEnergies {
  mac_pj: ActionEnergy;
  noc_pj_per_word: ActionEnergy;
  /** Per level (index as in design.levels): read and write pJ per bit. */
  levels: { name: string; read_pj_per_bit: ActionEnergy; write_pj_per_bit: ActionEnergy }[];
  /** Leakage power and clock-network energy per cycle, spent over the layer's latency (static-energy.ts). */
  static_power: StaticPower;
}

export { interpLogLog, scaleToNode } from "./node-scaling.js";

function macDtype(design: NpuDesign): MacDtype {
  const d = design.dtype;
  if (d === "fp64") throw new XpusimError(error("E_UNSUPPORTED", "design.dtype", "no MAC energy table for fp64"));
  if (d === "fp4") return "int4";
  return d;
}

function need(v: EnergyValue | undefined, what: string): EnergyValue {
  if (!v) throw new XpusimError(error("E_UNSUPPORTED", "design.dtype", `no ${what} in the energy catalog`));
  return v;
}

const curve = (pts: readonly CapacityPoint[]): { x: number; y: number }[] => pts.map((p) => ({ x: p.capacity, y: p.value }));

/** Read energy per bit of a level of this capacity per bank, at the design's node. */
function levelReadPerBit(cat: EnergyCatalog, design: NpuDesign, li: number): ActionEnergy {
  const { t45, t7 } = nodeTables(cat);
  const l = design.levels[li]!;
  if (l.technology === "dram") {
    const key = dramKey(cat, design.dram.type);
    const v = cat.dram.pj_per_bit[key]!;
    return { pj: v.value, basis: `${key} ${v.value} pJ/bit (${v.confidence})${key !== design.dram.type.toLowerCase() ? `; memory type "${design.dram.type}" read as ${key}` : ""}` };
  }
  if (l.technology === "register") {
    const s = scaleToNode(cat, t45.register_energy_pj_per_bit.value, t7.register_energy_pj_per_bit.value, design.process_nm, "energy");
    return { pj: s.value, basis: `register: ${s.basis}` };
  }
  const bank = l.capacity_bytes / l.banks;
  const e45 = interpLogLog(curve(t45.sram_read_pj_per_bit), bank);
  const e7 = interpLogLog(curve(t7.sram_read_pj_per_bit), bank);
  const s = scaleToNode(cat, e45, e7, design.process_nm, "energy");
  return { pj: s.value, basis: `SRAM bank ${bank} B: ${s.basis}` };
}

export function dramKey(cat: EnergyCatalog, type: string): string {
  const t = type.toLowerCase().replace(/[^a-z0-9]/g, "");
  const keys = [...Object.keys(cat.dram.pj_per_bit), ...Object.keys(cat.dram.aliases)].sort((a, b) => b.length - a.length);
  for (const k of keys) if (t.startsWith(k)) return cat.dram.aliases[k] ?? k;
  for (const k of keys) if (t.includes(k)) return cat.dram.aliases[k] ?? k;
  return cat.dram.default_type;
}

export function designActionEnergies(cat: EnergyCatalog, design: NpuDesign): DesignActionEnergies {
  const { t45, t7 } = nodeTables(cat);
  const dt = macDtype(design);
  const m45 = need(t45.mac_energy_pj[dt], `45 nm ${dt} MAC energy`);
  const m7 = need(t7.mac_energy_pj[dt], `7 nm ${dt} MAC energy`);
  const mac = scaleToNode(cat, m45.value, m7.value, design.process_nm, "energy");
  const ratio = scaleToNode(cat, t45.noc_hop_to_mac_ratio.value, t7.noc_hop_to_mac_ratio.value, design.process_nm, "energy").value;
  const wr = scaleToNode(cat, t45.sram_write_to_read_ratio.value, t7.sram_write_to_read_ratio.value, design.process_nm, "energy").value;
  return {
    mac_pj: { pj: mac.value, basis: `${dt} MAC: ${mac.basis}` },
    noc_pj_per_word:
      design.array_kind === "systolic"
        ? (() => {
            const reg = scaleToNode(cat, t45.register_energy_pj_per_bit.value, t7.register_energy_pj_per_bit.value, design.process_nm, "energy").value;
            return { pj: 2 * reg * design.dtype_bits, basis: `systolic neighbour hop: pipeline-register write + read, 2 × ${reg.toFixed(4)} pJ/bit × ${design.dtype_bits} b` };
          })()
        : { pj: ratio * mac.value, basis: `${ratio} × MAC energy per word-hop (Eyeriss inter-PE ratio)` },
    levels: design.levels.map((l, i) => {
      const r = levelReadPerBit(cat, design, i);
      const w = l.technology === "sram" ? wr : 1;
      return { name: l.name, read_pj_per_bit: r, write_pj_per_bit: { pj: r.pj * w, basis: w === 1 ? "= read" : `read × ${w}` } };
    }),
    static_power: designStaticPower(cat, design, areaOf(cat, design).total_mm2),
  };
}

export interface LevelEnergy {
  name: string;
  reads: Record<NpuTensor, number>;
  writes: Record<NpuTensor, number>;
  energy_pj: number;
  energy_by_tensor_pj: Record<NpuTensor, number>;
}

export interface EnergyBreakdown {
  total_pj: number;
  mac_pj: number;
  noc_pj: number;
  /** Leakage over the layer latency (0 from energyOf; evaluateMapping adds it once the latency is known). */
  static_pj: number;
  /** Clock network over the layer's cycles (likewise). */
  clock_pj: number;
  levels: LevelEnergy[];
}

/** Energy of one repeat of the layer (multiply by repeats outside). */
export function energyOf(design: NpuDesign, e: DesignActionEnergies, counts: AccessCounts): EnergyBreakdown {
  const mac = counts.macs * e.mac_pj.pj;
  const noc = counts.noc_words * e.noc_pj_per_word.pj;
  let total = mac + noc;
  const levels = counts.levels.map((lc, i) => {
    const ae = e.levels[i]!;
    const by = { weights: 0, inputs: 0, outputs: 0 };
    let sum = 0;
    for (const t of NPU_TENSORS) {
      const bits = design.levels[i]!.technology === "dram" && t === "outputs" ? design.dtype_bits : elementBits(design, t);
      const v = (lc.reads[t] * ae.read_pj_per_bit.pj + lc.writes[t] * ae.write_pj_per_bit.pj) * bits;
      by[t] = v;
      sum += v;
    }
    total += sum;
    return { name: lc.name, reads: lc.reads, writes: lc.writes, energy_pj: sum, energy_by_tensor_pj: by };
  });
  return { total_pj: total, mac_pj: mac, noc_pj: noc, static_pj: 0, clock_pj: 0, levels };
}
