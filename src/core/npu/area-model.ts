/**
 * Area of a design from the catalog tables at its process node (energy-area.md §5): MACs (per dtype,
 * registers included), per-PE register levels (bits × register area), SRAM levels (mm²/MiB at the bank
 * size, log-log interpolation; small arrays pay for their periphery), and an estimated overhead fraction
 * for control, accumulators and wiring. PHYs and I/O are not included. Node scaling as in energy-model.ts.
 */
import { XpusimError, error } from "../diagnostics/diagnostic.js";
import type { EnergyCatalog, MacDtype } from "../spec/energy-spec.js";
import type { NpuDesign } from "./design.js";
import { interpLogLog, scaleToNode } from "./node-scaling.js";

export interface AreaComponent {
  name: string;
  area_mm2: number;
  basis: string;
}

export interface AreaBreakdown {
  total_mm2: number;
  components: AreaComponent[];
}

export function areaOf(cat: EnergyCatalog, design: NpuDesign): AreaBreakdown {
  const t45 = cat.nodes.find((n) => n.node_nm === 45);
  const t7 = cat.nodes.find((n) => n.node_nm === 7);
  if (!t45 || !t7) throw new XpusimError(error("E_IO", "catalog/energy", "the energy catalog needs 45 nm and 7 nm node tables"));
  const nm = design.process_nm;
  const dt = (design.dtype === "fp4" ? "int4" : design.dtype) as MacDtype;
  const a45 = t45.mac_area_um2[dt];
  const a7 = t7.mac_area_um2[dt];
  if (!a45 || !a7) throw new XpusimError(error("E_UNSUPPORTED", "design.dtype", `no MAC area for ${design.dtype} in the energy catalog`));
  const pes = design.rows * design.cols * design.arrays;
  const mac = scaleToNode(cat, a45.value, a7.value, nm, "area");
  const comps: AreaComponent[] = [{ name: "macs", area_mm2: (pes * mac.value) / 1e6, basis: `${pes} × ${mac.value.toFixed(1)} µm² (${mac.basis})` }];
  const reg = scaleToNode(cat, t45.register_area_um2_per_bit.value, t7.register_area_um2_per_bit.value, nm, "area");
  for (const l of design.levels) {
    if (l.technology === "dram") continue;
    const inst = l.scope === "pe" ? pes : 1;
    const bits = l.capacity_bytes * 8 * inst;
    if (l.technology === "register") {
      comps.push({ name: l.name, area_mm2: (bits * reg.value) / 1e6, basis: `${inst} × ${l.capacity_bytes} B registers × ${reg.value.toFixed(2)} µm²/bit` });
    } else {
      const bank = l.capacity_bytes / l.banks;
      const pts = (t: typeof t45) => t.sram_area_mm2_per_mib.map((p) => ({ x: p.capacity, y: p.value }));
      // Outside the table the density stays flat (macros are tiled from ≤ 512 KiB units; no extrapolation below 4 KiB).
      const at = (t: typeof t45): number => {
        const p = pts(t);
        const maxCap = Math.max(...p.map((q) => q.x));
        const minCap = Math.min(...p.map((q) => q.x));
        return interpLogLog(p, Math.min(Math.max(bank, minCap), maxCap));
      };
      const s = scaleToNode(cat, at(t45), at(t7), nm, "area");
      const mib = (l.capacity_bytes * inst) / 1048576;
      comps.push({ name: l.name, area_mm2: mib * s.value, basis: `${mib.toFixed(4)} MiB × ${s.value.toFixed(2)} mm²/MiB (bank ${bank} B; ${s.basis})` });
    }
  }
  const sub = comps.reduce((s, c) => s + c.area_mm2, 0);
  const ov = scaleToNode(cat, t45.area_overhead_fraction.value, t7.area_overhead_fraction.value, nm, "energy").value;
  comps.push({ name: "control_and_wiring", area_mm2: sub * ov, basis: `${ov} × (MACs + memories), estimated` });
  return { total_mm2: sub * (1 + ov), components: comps };
}
