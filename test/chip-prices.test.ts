/**
 * Prices, cloud rates and TDP for every catalog chip (issue #11: "cost columns are never blank for
 * chips people can rent"). Each chip file gives each figure with its source, or says in
 * `cost.unpublished` / `power.unpublished` why there is none (not sold, not rented by the hour, no
 * public figure found). The exceptions live in the data, with their reasons; this test only requires
 * that every gap is explained, and that an explained gap reaches the outputs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ownershipCost } from "../src/core/money/index.js";
import { catalogFiles } from "../src/node/catalog-folder.js";
import { loadAllChips, loadChip } from "../src/node/chip-catalog.js";
import { loadMoneyCatalog } from "../src/node/money-catalog.js";

const chips = loadAllChips();

describe("catalog prices and power", () => {
  it("covers the whole catalog (51 chips when this test was written)", () => {
    expect(chips.length).toBeGreaterThanOrEqual(51);
  });

  it("gives every chip a purchase price or the reason there is none", () => {
    const gaps = chips.filter((c) => c.cost.price_usd === undefined && !c.cost.unpublished?.price_usd).map((c) => c.id);
    expect(gaps).toEqual([]);
  });

  it("gives every chip a cloud rate per chip-hour or the reason there is none (not rented, or no published rate)", () => {
    const gaps = chips.filter((c) => c.cost.cloud_usd_per_hour === undefined && !c.cost.unpublished?.cloud_usd_per_hour).map((c) => c.id);
    expect(gaps).toEqual([]);
  });

  it("gives every chip a TDP or the reason there is none", () => {
    const gaps = chips.filter((c) => c.power.tdp_w === undefined && !c.power.unpublished?.tdp_w).map((c) => c.id);
    expect(gaps).toEqual([]);
  });

  it("sources every price and cloud rate it gives", () => {
    for (const c of chips) {
      for (const key of ["cost.price_usd", "cost.cloud_usd_per_hour"] as const) {
        const value = key === "cost.price_usd" ? c.cost.price_usd : c.cost.cloud_usd_per_hour;
        if (value === undefined) continue;
        const p = c.provenance[key];
        expect(p?.source?.length ?? 0, `${c.id} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it("never states a reason for a figure a file also gives (one or the other)", () => {
    const dir = join(import.meta.dirname, "..", "catalog", "chips");
    for (const file of catalogFiles(dir)) {
      const doc = parse(readFileSync(file, "utf8")) as { cost?: Record<string, unknown> & { unpublished?: Record<string, string> }; power?: Record<string, unknown> & { unpublished?: Record<string, string> } };
      for (const k of Object.keys(doc.cost?.unpublished ?? {})) expect(doc.cost?.[k], `${file}: cost.${k}`).toBeUndefined();
      for (const k of Object.keys(doc.power?.unpublished ?? {})) expect(doc.power?.[k], `${file}: power.${k}`).toBeUndefined();
    }
  });

  it("carries the reason into the cost of ownership: TPU v5p's missing cloud rate and TDP say why", () => {
    const r = ownershipCost(loadChip("google-tpu-v5p"), loadMoneyCatalog().ownership, { count: 1 });
    expect(r.missing).toEqual(expect.arrayContaining(["cost.cloud_per_hour", "power.tdp"]));
    expect(r.not_published["power.tdp"]).toMatch(/Google publishes no TDP/);
    expect(r.not_published["cost.cloud_per_hour"]).toMatch(/not confirmed/);
    // A figure that is merely absent from a chip built inline has no reason attached.
    expect(ownershipCost(loadChip("nvidia-h100-sxm"), loadMoneyCatalog().ownership, { count: 1 }).not_published).toEqual({});
  });
});
