import { XpusimError } from "../../diagnostics/diagnostic.js";
import type { Chip } from "../../hardware/chip.js";
import { dieCost } from "../../money/index.js";
import type { MoneyCatalog } from "../../spec/money-spec.js";

/**
 * A unit cost for a chip with no price but a die area and a process node (a custom design, or a chip
 * whose maker publishes no price): the money model's die-cost route (money/die-cost.ts,
 * routes-cost-security.md §2) — wafer price ÷ (dies per wafer × negative-binomial yield) at the node's
 * catalog wafer price and defect density, plus HBM at $/GB and a CoWoS-S interposer package when the
 * main memory is HBM. It is a manufacturing floor, not a market price: no margin, no NRE, no board.
 */
export interface DerivedPrice {
  usd: number;
  /** Over the node's wafer-price and defect-density ranges. */
  range_usd: [number, number] | null;
  /** The assumption in words, for the note. */
  words: string;
  details: Record<string, number | string | null>;
}

/** The derived unit cost, or undefined when the chip has a price, lacks area or node, or the node is not in the catalog. */
export function derivedPrice(chip: Chip, money: MoneyCatalog): DerivedPrice | undefined {
  const { die_area_mm2: area, node } = chip.process;
  if (chip.cost.price_usd !== undefined || area === undefined || node === undefined) return undefined;
  const hbm = /^hbm/i.test(chip.memory.main.type ?? "");
  const hbmGb = hbm ? chip.memory.main.capacity_bytes / 1e9 : undefined;
  let r;
  try {
    r = dieCost(money, { area_mm2: area, node, ...(hbmGb !== undefined ? { hbm_gb: hbmGb, package: "cowos-s" } : {}) });
  } catch (e) {
    if (e instanceof XpusimError) return undefined; // a node the catalog has no wafer data for
    throw e;
  }
  if (r.usd_per_good_die === null) return undefined;
  const usd = r.usd_per_packaged_unit ?? r.usd_per_good_die;
  const pack = r.packaging;
  const extra = pack ? pack.hbm_usd + pack.package_usd + pack.test_assembly_usd : 0;
  return {
    usd,
    range_usd: r.usd_per_good_die_range ? [r.usd_per_good_die_range[0] + extra, r.usd_per_good_die_range[1] + extra] : null,
    words:
      `price derived from the die (no published price): ${area} mm² at ${r.node}, $${r.wafer_usd.toFixed(0)} per wafer, ` +
      `${r.dies_per_wafer} dies, ${(r.die_yield * 100).toFixed(0)} % ${r.yield_model} yield → $${r.usd_per_good_die.toFixed(0)} per good die` +
      `${pack ? ` + HBM and CoWoS-S package $${extra.toFixed(0)}` : ""}; a manufacturing floor (no margin, NRE or board)`,
    details: {
      price_basis: "derived: die cost",
      derived_unit_usd: usd,
      derived_unit_usd_low: r.usd_per_good_die_range ? r.usd_per_good_die_range[0] + extra : null,
      derived_unit_usd_high: r.usd_per_good_die_range ? r.usd_per_good_die_range[1] + extra : null,
      die_area_mm2: area,
      process_node: r.node,
      wafer_usd: r.wafer_usd,
      dies_per_wafer: r.dies_per_wafer,
      die_yield: r.die_yield,
      usd_per_good_die: r.usd_per_good_die,
      packaging_usd: pack ? extra : null,
    },
  };
}
