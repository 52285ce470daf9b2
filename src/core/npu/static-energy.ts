/**
 * Energy a design spends per unit time rather than per action (energy-area.md §8; catalog/energy/static-power.yaml):
 *  - leakage: leakage power density at the node (log-log in node between the tabulated points, flat outside)
 *    × the modelled area; energy = power × layer latency (no power gating);
 *  - clock network: clocked register bits × register access energy per bit at the node × the clock-to-access
 *    ratio, every cycle of the layer (no clock gating). Clocked bits: the per-PE register levels, plus for each
 *    tensor that no per-PE register level holds the MAC's own operand latch (inputs, weights: dtype bits) or
 *    accumulator (outputs: accumulator bits); chip-scope register levels once. SRAM macros are not counted.
 * Without a `static` table in the catalog both are zero.
 */
import type { EnergyCatalog } from "../spec/energy-spec.js";
import { NPU_TENSORS } from "../spec/npu-design-spec.js";
import { elementBits, type NpuDesign } from "./design.js";
import { interpLogLog, nodeTables, scaleToNode } from "./node-scaling.js";

export interface StaticPower {
  /** Leakage power of the whole design, W. */
  leakage_w: number;
  leakage_mw_per_mm2: number;
  leakage_basis: string;
  /** Flip-flop bits the clock network drives. */
  clocked_bits: number;
  /** Clock-network energy per cycle, pJ. */
  clock_pj_per_cycle: number;
  clock_pj_per_cycle_per_mm2: number;
  clock_basis: string;
}

/** Flip-flop bits clocked every cycle (see the file comment). */
export function clockedBits(design: NpuDesign): number {
  const pes = design.rows * design.cols * design.arrays;
  let perPe = 0;
  let chip = 0;
  const heldInPeRegisters = new Set<string>();
  for (const l of design.levels) {
    if (l.technology !== "register") continue;
    if (l.scope === "pe") {
      perPe += l.capacity_bytes * 8;
      for (const t of l.holds) heldInPeRegisters.add(t);
    } else if (l.scope === "chip") chip += l.capacity_bytes * 8;
  }
  for (const t of NPU_TENSORS) if (!heldInPeRegisters.has(t)) perPe += elementBits(design, t);
  return perPe * pes + chip;
}

export function designStaticPower(cat: EnergyCatalog, design: NpuDesign, area_mm2: number): StaticPower {
  const st = cat.static;
  if (!st)
    return { leakage_w: 0, leakage_mw_per_mm2: 0, leakage_basis: "no static table in the energy catalog", clocked_bits: clockedBits(design), clock_pj_per_cycle: 0, clock_pj_per_cycle_per_mm2: 0, clock_basis: "no static table in the energy catalog" };
  const pts = st.leakage_mw_per_mm2.map((p) => ({ x: p.node_nm, y: p.value }));
  const lo = Math.min(...pts.map((p) => p.x));
  const hi = Math.max(...pts.map((p) => p.x));
  const nm = Math.min(Math.max(design.process_nm, lo), hi);
  const density = interpLogLog(pts, nm);
  const { t45, t7 } = nodeTables(cat);
  const reg = scaleToNode(cat, t45.register_energy_pj_per_bit.value, t7.register_energy_pj_per_bit.value, design.process_nm, "energy");
  const ratio = st.clock_per_flop_bit_to_register_access.value;
  const bits = clockedBits(design);
  const clock = bits * reg.value * ratio;
  return {
    leakage_w: (density * area_mm2) / 1e3,
    leakage_mw_per_mm2: density,
    leakage_basis: `${density.toPrecision(3)} mW/mm² at ${nm} nm (${st.leakage_mw_per_mm2.map((p) => `${p.node_nm} nm ${p.value} ${p.confidence}`).join(", ")}; log-log in node, flat outside) × ${area_mm2.toFixed(3)} mm²`,
    clocked_bits: bits,
    clock_pj_per_cycle: clock,
    clock_pj_per_cycle_per_mm2: area_mm2 > 0 ? clock / area_mm2 : 0,
    clock_basis: `${bits} clocked bits × ${reg.value.toPrecision(3)} pJ/bit register access × ${ratio} (${st.clock_per_flop_bit_to_register_access.confidence}, range ${st.clock_per_flop_bit_to_register_access.range?.join("–") ?? "—"})`,
  };
}
