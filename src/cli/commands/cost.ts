/**
 * `xpusim cost tco --chip X[,Y] --count N [--years 5] [--utilisation 0.6] [--usd-per-kwh] [--pue]
 *   [--no-system] [--network] [--json|--csv]`: total cost of ownership and the cloud alternative.
 * `xpusim cost die --area 600 --node 5nm [--yield-model murphy|poisson|negative-binomial]
 *   [--defect-density] [--alpha] [--wafer-usd] [--volume N] [--nre-usd] [--hbm-gb] [--package cowos-s]
 *   [--json]`: cost of a custom die and packaged unit, NRE and time to first silicon.
 * Method and sources: docs/cost.md.
 */
import { type Command, Option } from "commander";
import { YIELD_MODELS, type CostDieJobResult, type CostTcoJobResult, type OwnershipResult, type YieldModel } from "../../core/app/index.js";
import { JOBS } from "../../core/app/registry.js";
import { fmtPct, renderCsv, renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, json, positiveInt, positiveNumber, UsageError } from "../output.js";

const usd = (v: number | null | undefined, digits = 0): string | undefined =>
  v === null || v === undefined ? undefined : `$${v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })}`;

function fraction(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0 || v > 1) throw new UsageError(`${flag} must be a number in (0, 1], got "${raw}"`, `e.g. ${flag} 0.6`);
    return v;
  };
}

function nonNegative(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) throw new UsageError(`${flag} must be a number ≥ 0, got "${raw}"`);
    return v;
  };
}

export function registerCostCommand(program: Command): void {
  const cost = program.command("cost").description("cost of ownership of chips (tco) and of a custom die (die); docs/cost.md");
  registerTco(cost);
  registerDie(cost);
}

interface TcoOpts {
  chip: string;
  count: number;
  years?: number;
  utilisation?: number;
  usdPerKwh?: number;
  pue?: number;
  co2?: number;
  system: boolean;
  network?: boolean;
  busyPower?: number;
  json?: boolean;
  csv?: boolean;
}

function registerTco(cost: Command): void {
  cost
    .command("tco")
    .description("capex (price × count + server share), energy opex, TCO over N years, cloud alternative, cost per busy chip-hour")
    .requiredOption("--chip <ids>", "chip id(s), comma-separated, or a spec file")
    .option("--count <n>", "chips", positiveInt("--count"), 1)
    .option("--years <n>", "amortisation period and TCO horizon (default: catalog, 5)", positiveNumber("--years"))
    .option("--utilisation <u>", "share of the time the chips do useful work, (0, 1] (default 1)", fraction("--utilisation"))
    .option("--usd-per-kwh <price>", "electricity price (default: catalog, US industrial 2025)", nonNegative("--usd-per-kwh"))
    .option("--pue <pue>", "facility power usage effectiveness ≥ 1 (default: catalog, 1.25)", positiveNumber("--pue"))
    .option("--co2 <kg-per-kwh>", "grid carbon intensity, kg CO2 per kWh (default: catalog, world 0.436)", nonNegative("--co2"))
    .option("--no-system", "count the chips alone, not the server around them")
    .option("--network", "count the cluster interconnect (19 % of cluster capex)")
    .option("--busy-power <watts>", "average power of one chip while it works (default TDP × 0.75)", nonNegative("--busy-power"))
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action((opts: TcoOpts) => {
      const format = formatOf(opts);
      if (opts.pue !== undefined && opts.pue < 1) throw new UsageError(`--pue must be at least 1 (facility power over IT power), got ${opts.pue}`);
      const res = JOBS["cost-tco"].run(
        {
          chips: opts.chip.split(",").map((s) => s.trim()).filter(Boolean),
          count: opts.count,
          include_system: opts.system,
          include_network: opts.network ?? false,
          ...(opts.years !== undefined ? { years: opts.years } : {}),
          ...(opts.utilisation !== undefined ? { utilisation: opts.utilisation } : {}),
          ...(opts.usdPerKwh !== undefined ? { usd_per_kwh: opts.usdPerKwh } : {}),
          ...(opts.pue !== undefined ? { pue: opts.pue } : {}),
          ...(opts.co2 !== undefined ? { grid_kg_co2_per_kwh: opts.co2 } : {}),
          ...(opts.busyPower !== undefined ? { busy_power_w: opts.busyPower } : {}),
        },
        nodeCatalog(),
      );
      if (format === "json") return emit(json(res));
      if (format === "csv") return emit(renderCsv(res.results.map(tcoRow)));
      emit(renderTco(res));
    });
}

function tcoRow(r: OwnershipResult): Record<string, unknown> {
  const { conditions: _c, missing, not_published, notes, ...rest } = r;
  return { ...rest, missing: missing.join(";"), not_published: Object.entries(not_published).map(([k, v]) => `${k}: ${v}`).join(";"), notes: notes.join(";") };
}

function renderTco(res: CostTcoJobResult): string {
  const c = res.results[0]!.conditions;
  const table = renderTable(res.results, [
    { header: "chip", value: (r) => r.chip },
    { header: "count", value: (r) => r.count },
    { header: "price", value: (r) => usd(r.price_usd) },
    { header: "capex", value: (r) => usd(r.capex_usd) },
    { header: "power/chip", value: (r) => (r.busy_power_w_per_chip === null ? undefined : `${r.busy_power_w_per_chip.toFixed(0)} W`) },
    { header: "MWh/yr", value: (r) => (r.energy_kwh_per_year === null ? undefined : (r.energy_kwh_per_year / 1000).toFixed(1)) },
    { header: "opex/yr", value: (r) => usd(r.opex_usd_per_year) },
    { header: `TCO ${c.years} yr`, value: (r) => usd(r.tco_usd) },
    { header: "owned $/busy h", value: (r) => usd(r.owned_usd_per_busy_chip_hour, 2) },
    { header: "cloud $/h", value: (r) => usd(r.cloud_usd_per_hour, 2) },
    { header: `cloud ${c.years} yr`, value: (r) => usd(r.cloud_usd_over_period) },
    { header: "missing", value: (r) => r.missing.map((m) => (r.not_published[m] ? `${m} (not published)` : m)).join(", "), align: "left" },
  ]);
  const cond =
    `${c.years} years, utilisation ${fmtPct(c.utilisation, 0)}, PUE ${c.pue}, $${c.usd_per_kwh}/kWh, ${c.grid_kg_co2_per_kwh} kg CO2/kWh; ` +
    `${c.include_system ? `server share counted (price × ${c.server_price_factor}, power × ${c.server_power_factor})` : "chips alone"}` +
    `${c.include_network ? `, cluster network ${fmtPct(c.cluster_network_share, 0)} of capex` : ""}` +
    (c.defaults.length ? `; catalog defaults: ${c.defaults.join(", ")}` : "");
  const notes = [...new Set(res.results.flatMap((r) => r.notes))];
  const unpublished = res.results.flatMap((r) => Object.entries(r.not_published).map(([k, v]) => `not published: ${r.chip} ${k}: ${v}`));
  return [table, "", cond, ...notes.map((n) => `note: ${n}`), ...unpublished, "owned $/busy h = capex per calendar hour ÷ utilisation + energy per busy hour; cloud $/h is the chip file's on-demand rate."].join("\n");
}

interface DieOpts {
  area: number;
  node: string;
  yieldModel: YieldModel;
  defectDensity?: number;
  alpha?: number;
  waferUsd?: number;
  edgeExclusion?: number;
  volume?: number;
  nreUsd?: number;
  complexity?: number;
  hbmGb?: number;
  package?: string;
  months?: number;
  json?: boolean;
}

function registerDie(cost: Command): void {
  cost
    .command("die")
    .description("cost of a custom die: dies per wafer, yield, cost per good die and packaged unit, NRE, time to first silicon")
    .requiredOption("--area <mm2>", "die area in mm²", positiveNumber("--area"))
    .requiredOption("--node <node>", "process node: 90nm … 2nm, or n7, n5, n3 …")
    .addOption(new Option("--yield-model <model>", "yield model").choices([...YIELD_MODELS]).default("negative-binomial"))
    .option("--defect-density <per-cm2>", "killer defects per cm² (default: the node's)", nonNegative("--defect-density"))
    .option("--alpha <alpha>", "negative-binomial clustering parameter (default: catalog, 3)", positiveNumber("--alpha"))
    .option("--wafer-usd <usd>", "price of one 300 mm wafer (default: the node's)", positiveNumber("--wafer-usd"))
    .option("--edge-exclusion <mm>", "unusable rim of the wafer, mm (default 0: the standard formula)", nonNegative("--edge-exclusion"))
    .option("--volume <units>", "units to build: spreads NRE", positiveInt("--volume"))
    .option("--nre-usd <usd>", "total NRE (default: the node's design cost × complexity + mask set)", nonNegative("--nre-usd"))
    .option("--complexity <factor>", "design-cost multiplier for replicated-PE designs, (0, 1] (default 1)", fraction("--complexity"))
    .option("--hbm-gb <gb>", "HBM capacity per unit, GB", nonNegative("--hbm-gb"))
    .option("--package <kind>", "interposer package: cowos-s, cowos-l, cowos-s-soic or none")
    .option("--months <n>", "months to first silicon (default: catalog, 18)", positiveNumber("--months"))
    .option("--json", "print JSON")
    .action((o: DieOpts) => {
      const res = JOBS["cost-die"].run(
        {
          area_mm2: o.area,
          node: o.node,
          yield_model: o.yieldModel,
          ...(o.defectDensity !== undefined ? { defect_density_per_cm2: o.defectDensity } : {}),
          ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
          ...(o.waferUsd !== undefined ? { wafer_usd: o.waferUsd } : {}),
          ...(o.edgeExclusion !== undefined ? { edge_exclusion_mm: o.edgeExclusion } : {}),
          ...(o.volume !== undefined ? { volume: o.volume } : {}),
          ...(o.nreUsd !== undefined ? { nre_usd: o.nreUsd } : {}),
          ...(o.complexity !== undefined ? { design_complexity: o.complexity } : {}),
          ...(o.hbmGb !== undefined ? { hbm_gb: o.hbmGb } : {}),
          ...(o.package !== undefined ? { package: o.package } : {}),
          ...(o.months !== undefined ? { months_to_first_silicon: o.months } : {}),
        },
        nodeCatalog(),
      );
      emit(o.json ? json(res) : renderDie(res));
    });
}

function renderDie(r: CostDieJobResult): string {
  const rows: Array<[string, string | undefined]> = [
    ["node", `${r.node} (${r.node_nm} nm), wafer ${usd(r.wafer_usd)} (${r.wafer_diameter_mm} mm, edge exclusion ${r.edge_exclusion_mm} mm)`],
    ["die area", `${r.area_mm2} mm²`],
    ["dies per wafer", String(r.dies_per_wafer)],
    ["defect density", `${r.defect_density_per_cm2} /cm²${r.yield_model === "negative-binomial" ? `, α = ${r.alpha}` : ""}`],
    ["yield", `${fmtPct(r.die_yield)} (${r.yield_model}); poisson ${fmtPct(r.yields.poisson)}, murphy ${fmtPct(r.yields.murphy)}, negative-binomial ${fmtPct(r.yields["negative-binomial"])}`],
    ["good dies per wafer", r.good_dies_per_wafer.toFixed(1)],
    ["cost per good die", r.usd_per_good_die === null ? undefined : `${usd(r.usd_per_good_die, 2)}${r.usd_per_good_die_range ? ` (range ${usd(r.usd_per_good_die_range[0], 2)} – ${usd(r.usd_per_good_die_range[1], 2)})` : ""}`],
  ];
  if (r.packaging) {
    rows.push(["HBM + package + test", `${usd(r.packaging.hbm_usd)} + ${usd(r.packaging.package_usd)} + ${usd(r.packaging.test_assembly_usd)}`]);
    rows.push(["cost per packaged unit", usd(r.usd_per_packaged_unit, 2)]);
  }
  rows.push(["NRE", r.nre_usd === null ? undefined : `${usd(r.nre_usd)} (${r.nre_basis})`]);
  if (r.volume !== null) {
    rows.push(["volume", `${r.volume.toLocaleString("en-US")} units, ${r.wafers_needed ?? "—"} wafers`]);
    rows.push(["NRE per unit", usd(r.nre_usd_per_unit, 2)]);
    rows.push(["cost per unit at volume", usd(r.usd_per_unit_at_volume, 2)]);
  }
  rows.push(["time to first silicon", `${r.months_to_first_silicon} months${r.months_to_first_silicon_range ? ` (range ${r.months_to_first_silicon_range.join("–")})` : ""}; then ${r.fab_and_osat_weeks} weeks per production lot (fab + OSAT)`]);
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v ?? "—"}`);
  if (r.missing.length) lines.push("", `missing: ${r.missing.join("; ")}`);
  return lines.join("\n");
}
