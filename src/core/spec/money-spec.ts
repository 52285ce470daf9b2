import { z } from "zod";
import { sourceRefs } from "./sourced.js";

/**
 * Schema of the cost-of-ownership and silicon-cost tables in catalog/money/*.yaml (issue #9):
 *  - `silicon`: per process node, the 300 mm wafer price, the killer-defect density, the full-chip
 *    design cost and the mask-set cost; the wafer geometry, the negative-binomial clustering α and the
 *    schedule (time to first silicon);
 *  - `packaging`: HBM $/GB, CoWoS-S/-L interposer packaging and test/assembly per accelerator;
 *  - `ownership`: TCO defaults: electricity price, PUE, amortisation period, chip→server price and
 *    power factors, average power fraction, cluster-network share, grid carbon intensity.
 * Every value carries its source numbers, a confidence tag (the research notes' [V]/[V2]/[R]/[D] plus
 * "estimated") and, where uncertain, a range; values are in the unit their field name says.
 */
export const MONEY_CONFIDENCES = ["verified", "secondary", "recalled", "derived", "estimated"] as const;

export const moneyValue = z.strictObject({
  value: z.number().nonnegative(),
  source: sourceRefs,
  confidence: z.enum(MONEY_CONFIDENCES),
  range: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).optional(),
  derived: z.string().optional(),
  note: z.string().optional(),
});
export type MoneyValue = z.output<typeof moneyValue>;

const sourceEntry = z.strictObject({ title: z.string(), url: z.string().optional(), type: z.string().optional() });
const sources = z.record(z.string().regex(/^\d+$/), sourceEntry);

const processNode = z.strictObject({
  /** The name users type: "5nm", "n3", "28nm". */
  id: z.string().regex(/^[a-z0-9.]+$/),
  aliases: z.array(z.string()).default([]),
  node_nm: z.number().positive(),
  wafer_usd: moneyValue,
  defect_density_per_cm2: moneyValue,
  design_cost_usd: moneyValue.optional(),
  mask_set_usd: moneyValue.optional(),
});
export type ProcessNodeCost = z.output<typeof processNode>;

export const siliconCostSchema = z.strictObject({
  kind: z.literal("silicon"),
  id: z.string(),
  sources,
  wafer_diameter_mm: moneyValue,
  /** Default edge exclusion (mm); 0 is the standard dies-per-wafer formula, whose edge-loss term already drops partial dies. */
  edge_exclusion_mm: moneyValue,
  /** Negative-binomial clustering parameter α (small α = more clustered defects). */
  clustering_alpha: moneyValue,
  /** Months from design start to first silicon (ASIC). */
  months_to_first_silicon: moneyValue,
  /** Wafer fabrication plus packaging/test (OSAT) lead time per production lot, weeks. */
  fab_and_osat_weeks: moneyValue,
  /** Multiplier on the full-chip design cost for replicated-PE AI chips (headline figures are disputed as inflated). */
  design_complexity_factor: moneyValue,
  nodes: z.array(processNode).min(1),
  rule: z.string(),
});
export type SiliconCostTable = z.output<typeof siliconCostSchema>;

export const packagingCostSchema = z.strictObject({
  kind: z.literal("packaging"),
  id: z.string(),
  sources,
  hbm_usd_per_gb: moneyValue,
  /** Interposer packaging per accelerator by technology. */
  package_usd: z.record(z.string(), moneyValue),
  test_assembly_usd: moneyValue,
  rule: z.string(),
});
export type PackagingCostTable = z.output<typeof packagingCostSchema>;

export const ownershipCostSchema = z.strictObject({
  kind: z.literal("ownership"),
  id: z.string(),
  sources,
  usd_per_kwh: moneyValue,
  pue: moneyValue,
  amortisation_years: moneyValue,
  /** Server (host CPUs, memory, NICs, chassis) price as a multiple of the accelerators' price. */
  server_price_factor: moneyValue,
  /** Server power as a multiple of the accelerators' TDP. */
  server_power_factor: moneyValue,
  /** Average power during work as a fraction of TDP (used when no workload energy is given). */
  average_power_fraction: moneyValue,
  /** Cluster interconnect share of total cluster capex. */
  cluster_network_share: moneyValue,
  grid_kg_co2_per_kwh: moneyValue,
  hours_per_year: moneyValue,
  rule: z.string(),
});
export type OwnershipCostTable = z.output<typeof ownershipCostSchema>;

/**
 * `routes`: the assumptions of the GPU vs FPGA vs ASIC comparison (`xpusim routes`): engineering NRE
 * and time to market of each route, the ASIC's design-complexity factor, the market-window growth
 * that penalises a later route, and the default devices compared.
 */
export const routesCostSchema = z.strictObject({
  kind: z.literal("routes"),
  id: z.string(),
  sources,
  rule: z.string().optional(),
  gpu_port_nre_usd: moneyValue,
  gpu_months_to_market: moneyValue,
  fpga_design_nre_usd: moneyValue,
  fpga_months_to_market: moneyValue,
  /** Share of the IBS headline design cost a replicated-PE AI ASIC spends (× silicon design cost). */
  asic_design_complexity: moneyValue,
  /** Price-performance growth per year of the competing products (the market-window penalty). */
  price_performance_growth_per_year: moneyValue,
  default_gpu: z.string(),
  default_fpga: z.string(),
  /** The default ASIC/NPU design: an inline chip spec with a `design:` block (docs/npu.md). */
  default_asic: z.record(z.string(), z.unknown()),
});
export type RoutesCostTable = z.output<typeof routesCostSchema>;

export const moneyFileSchema = z.discriminatedUnion("kind", [siliconCostSchema, packagingCostSchema, ownershipCostSchema, routesCostSchema]);
export type MoneyFile = z.output<typeof moneyFileSchema>;

/** Everything the money models read, as loaded from catalog/money. */
export interface MoneyCatalog {
  silicon: SiliconCostTable;
  packaging: PackagingCostTable;
  ownership: OwnershipCostTable;
  /** The technology-routes assumptions (catalog/money/routes.yaml); absent in money folders without it. */
  routes?: RoutesCostTable;
}
