/**
 * Process-node scaling of per-action values (energy-area.md §4, catalog/energy/scaling.yaml): each entry
 * interpolates geometrically in log(node) between its 45 nm and 7 nm values; above 45 nm the Stillmaker &
 * Baas factor ratio, below 7 nm (node/7)^exponent. Also the log-log interpolation used for capacity curves.
 */
import { XpusimError, error } from "../diagnostics/diagnostic.js";
import type { EnergyCatalog, FactorPoint, NodeEnergyTable } from "../spec/energy-spec.js";

/** log-log interpolation over (x, y) points sorted by x; clamps to the end slopes outside. */
export function interpLogLog(points: readonly { x: number; y: number }[], x: number): number {
  const pts = [...points].sort((a, b) => a.x - b.x);
  if (pts.length === 1) return pts[0]!.y;
  let i = 0;
  while (i < pts.length - 2 && x > pts[i + 1]!.x) i++;
  const a = pts[i]!;
  const b = pts[i + 1]!;
  const s = Math.log(b.y / a.y) / Math.log(b.x / a.x);
  return a.y * Math.exp(s * Math.log(x / a.x));
}

export function nodeTables(cat: EnergyCatalog): { t45: NodeEnergyTable; t7: NodeEnergyTable } {
  const t45 = cat.nodes.find((n) => n.node_nm === 45);
  const t7 = cat.nodes.find((n) => n.node_nm === 7);
  if (!t45 || !t7) throw new XpusimError(error("E_IO", "catalog/energy", "the energy catalog needs 45 nm and 7 nm node tables"));
  return { t45, t7 };
}

export const factorAt = (pts: readonly FactorPoint[], nm: number): number => interpLogLog(pts.map((p) => ({ x: p.node_nm, y: p.value })), nm);

/** Scales a quantity given at 45 nm and 7 nm to `nm` (kind selects the energy or area factor table). */
export function scaleToNode(cat: EnergyCatalog, v45: number, v7: number, nm: number, kind: "energy" | "area"): { value: number; basis: string } {
  const sc = cat.scaling;
  if (nm <= 45 && nm >= 7) {
    const w = Math.log(45 / nm) / Math.log(45 / 7);
    return { value: v45 * Math.pow(v7 / v45, w), basis: `geometric interpolation between 45 nm (${v45}) and 7 nm (${v7}) at ${nm} nm` };
  }
  if (nm > 45) {
    const table = kind === "energy" ? sc.energy_factor_vs_45nm : sc.area_factor_vs_45nm;
    const f = factorAt(table, nm) / factorAt(table, 45);
    return { value: v45 * f, basis: `45 nm value ${v45} × Stillmaker ${kind} factor ${f.toFixed(3)} (${nm} nm)` };
  }
  const exp = kind === "energy" ? sc.extrapolation_energy_exponent.value : sc.extrapolation_area_exponent.value;
  const f = Math.pow(nm / 7, exp);
  return { value: v7 * f, basis: `7 nm value ${v7} × (${nm}/7)^${exp}` };
}

