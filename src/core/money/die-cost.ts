import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { MoneyCatalog, MoneyValue } from "../spec/money-spec.js";
import { diesPerWafer } from "./dies-per-wafer.js";
import { findProcessNode } from "./process-node.js";
import { dieYield, YIELD_MODELS, type YieldModel } from "./yield-models.js";

/**
 * Cost of a custom die and of the packaged unit (routes-cost-security.md §2):
 *   C_die  = C_wafer ÷ (dies per wafer × yield)
 *   C_unit = C_die + HBM GB × USD/GB + interposer package + test/assembly   (package and HBM only when asked)
 *   NRE    = design cost × complexity factor + mask set   (or as given); per unit = NRE ÷ volume
 * Wafer price, defect density, design and mask cost come from catalog/money/silicon.yaml by node,
 * each overridable; the range of the cost per good die spans the wafer-price and defect-density ranges.
 */
export interface DieCostInput {
  area_mm2: number;
  node: string;
  yield_model?: YieldModel;
  defect_density_per_cm2?: number;
  alpha?: number;
  wafer_usd?: number;
  edge_exclusion_mm?: number;
  /** Units to build; NRE is spread over them. */
  volume?: number;
  /** Total NRE; default design cost × complexity + mask set of the node. */
  nre_usd?: number;
  design_complexity?: number;
  hbm_gb?: number;
  /** Interposer package from catalog/money/packaging.yaml ("cowos-s", "cowos-l", "cowos-s-soic"). */
  package?: string;
  months_to_first_silicon?: number;
}

export interface DieCostResult {
  node: string;
  node_nm: number;
  area_mm2: number;
  wafer_usd: number;
  wafer_diameter_mm: number;
  edge_exclusion_mm: number;
  yield_model: YieldModel;
  defect_density_per_cm2: number;
  alpha: number;
  dies_per_wafer: number;
  die_yield: number;
  /** The yield under every model, for comparison. */
  yields: Record<YieldModel, number>;
  good_dies_per_wafer: number;
  usd_per_good_die: number | null;
  /** Low/high over the wafer-price and defect-density ranges of the node (null when not given by range). */
  usd_per_good_die_range: [number, number] | null;
  packaging: { hbm_usd: number; package_usd: number; test_assembly_usd: number } | null;
  usd_per_packaged_unit: number | null;
  nre_usd: number | null;
  nre_basis: string;
  volume: number | null;
  wafers_needed: number | null;
  nre_usd_per_unit: number | null;
  /** Packaged (or die) cost plus NRE per unit at the volume. */
  usd_per_unit_at_volume: number | null;
  months_to_first_silicon: number;
  months_to_first_silicon_range: [number, number] | null;
  fab_and_osat_weeks: number;
  /** Why a figure is null ("no good die: yield 0"). */
  missing: string[];
}

export function dieCost(catalog: MoneyCatalog, input: DieCostInput): DieCostResult {
  const s = catalog.silicon;
  const node = findProcessNode(s, input.node);
  const model = input.yield_model ?? "negative-binomial";
  if (!YIELD_MODELS.includes(model))
    throw new XpusimError(error("E_SCHEMA", "yield_model", `unknown yield model "${model}"`, { expected: YIELD_MODELS.join(" | "), got: model }));
  const d0 = input.defect_density_per_cm2 ?? node.defect_density_per_cm2.value;
  const alpha = input.alpha ?? s.clustering_alpha.value;
  const wafer = positive("wafer_usd", input.wafer_usd ?? node.wafer_usd.value);
  const edge = input.edge_exclusion_mm ?? s.edge_exclusion_mm.value;
  const dpw = diesPerWafer(input.area_mm2, s.wafer_diameter_mm.value, edge);
  const y = dieYield(model, input.area_mm2, d0, alpha);
  const good = dpw * y;
  const missing: string[] = [];
  if (!(good > 0)) missing.push(dpw === 0 ? "a die that fits the wafer" : "a good die (yield 0)");
  const perDie = good > 0 ? wafer / good : null;
  const range = perDie === null ? null : dieCostRange(input, node.wafer_usd, node.defect_density_per_cm2, (d) => dpw * dieYield(model, input.area_mm2, d, alpha));
  const packaging = packagingCost(catalog, input);
  const unit = perDie === null ? null : perDie + (packaging ? packaging.hbm_usd + packaging.package_usd + packaging.test_assembly_usd : 0);
  const nre = nreOf(catalog, node, input);
  if (nre.usd === null) missing.push(`NRE for ${node.id} (no design cost in catalog/money/silicon.yaml: give nre_usd)`);
  const volume = input.volume ?? null;
  if (volume !== null && !(Number.isInteger(volume) && volume > 0)) throw new XpusimError(error("E_RANGE", "volume", "volume must be a positive integer", { got: String(volume) }));
  const nrePerUnit = nre.usd === null || volume === null ? null : nre.usd / volume;
  return {
    node: node.id,
    node_nm: node.node_nm,
    area_mm2: input.area_mm2,
    wafer_usd: wafer,
    wafer_diameter_mm: s.wafer_diameter_mm.value,
    edge_exclusion_mm: edge,
    yield_model: model,
    defect_density_per_cm2: d0,
    alpha,
    dies_per_wafer: dpw,
    die_yield: y,
    yields: Object.fromEntries(YIELD_MODELS.map((m) => [m, dieYield(m, input.area_mm2, d0, alpha)])) as Record<YieldModel, number>,
    good_dies_per_wafer: good,
    usd_per_good_die: perDie,
    usd_per_good_die_range: range,
    packaging,
    usd_per_packaged_unit: packaging ? unit : null,
    nre_usd: nre.usd,
    nre_basis: nre.basis,
    volume,
    wafers_needed: volume === null || !(good > 0) ? null : Math.ceil(volume / good),
    nre_usd_per_unit: nrePerUnit,
    usd_per_unit_at_volume: unit === null || nrePerUnit === null ? null : unit + nrePerUnit,
    months_to_first_silicon: input.months_to_first_silicon ?? s.months_to_first_silicon.value,
    months_to_first_silicon_range: input.months_to_first_silicon === undefined ? (s.months_to_first_silicon.range ?? null) : null,
    fab_and_osat_weeks: s.fab_and_osat_weeks.value,
    missing,
  };
}

function positive(name: string, v: number): number {
  if (!(v > 0)) throw new XpusimError(error("E_RANGE", name, `${name} must be greater than zero`, { got: String(v) }));
  return v;
}

/** Cheapest (low wafer price, low D0) and dearest (high, high) cost per good die; user overrides pin their end. */
function dieCostRange(input: DieCostInput, wafer: MoneyValue, d0: MoneyValue, goodDies: (d0: number) => number): [number, number] | null {
  const w = input.wafer_usd !== undefined ? [input.wafer_usd, input.wafer_usd] : (wafer.range ?? [wafer.value, wafer.value]);
  const d = input.defect_density_per_cm2 !== undefined ? [input.defect_density_per_cm2, input.defect_density_per_cm2] : (d0.range ?? [d0.value, d0.value]);
  const lo = w[0]! / goodDies(d[0]!);
  const hi = w[1]! / goodDies(d[1]!);
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null;
}

function packagingCost(catalog: MoneyCatalog, input: DieCostInput): DieCostResult["packaging"] {
  if (input.package === undefined && input.hbm_gb === undefined) return null;
  const p = catalog.packaging;
  const hbmGb = input.hbm_gb ?? 0;
  if (!(hbmGb >= 0)) throw new XpusimError(error("E_RANGE", "hbm_gb", "HBM capacity must be ≥ 0", { got: String(hbmGb) }));
  let pkg = 0;
  if (input.package !== undefined && input.package !== "none") {
    const entry = p.package_usd[input.package];
    if (!entry)
      throw new XpusimError(error("E_UNKNOWN_ID", "package", `unknown package "${input.package}"`, { expected: [...Object.keys(p.package_usd), "none"].join(" | "), got: input.package }));
    pkg = entry.value;
  }
  return { hbm_usd: hbmGb * p.hbm_usd_per_gb.value, package_usd: pkg, test_assembly_usd: pkg > 0 ? p.test_assembly_usd.value : 0 };
}

function nreOf(catalog: MoneyCatalog, node: ReturnType<typeof findProcessNode>, input: DieCostInput): { usd: number | null; basis: string } {
  if (input.nre_usd !== undefined) {
    if (!(input.nre_usd >= 0)) throw new XpusimError(error("E_RANGE", "nre_usd", "NRE must be ≥ 0", { got: String(input.nre_usd) }));
    return { usd: input.nre_usd, basis: "given" };
  }
  if (!node.design_cost_usd) return { usd: null, basis: "no design cost for this node" };
  const k = input.design_complexity ?? catalog.silicon.design_complexity_factor.value;
  const mask = node.mask_set_usd?.value ?? 0;
  return {
    usd: node.design_cost_usd.value * k + mask,
    basis: `design ${fmtM(node.design_cost_usd.value)} × complexity ${k}${node.mask_set_usd ? ` + mask set ${fmtM(mask)}` : " (no mask-set figure for this node)"}`,
  };
}

const fmtM = (usd: number): string => `USD ${(usd / 1e6).toFixed(1)}M`;
