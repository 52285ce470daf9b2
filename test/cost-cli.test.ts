import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

describe("xpusim cost", () => {
  it("tco --json prints the cost-tco job's result as is", async () => {
    const r = await runCli("cost", "tco", "--chip", "nvidia-h100-sxm,tesla-dojo-d1", "--count", "8", "--years", "4", "--utilisation", "0.6", "--json");
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out);
    const direct = JOBS["cost-tco"].run({ chips: ["nvidia-h100-sxm", "tesla-dojo-d1"], count: 8, years: 4, utilisation: 0.6, include_system: true, include_network: false }, nodeCatalog());
    expect(res).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(res.results[0].tco_usd).toBeCloseTo(379759.8, 0);
    expect(res.results[1].tco_usd).toBeNull();
    expect(res.results[1].missing).toContain("cost.price");
  });

  it("tco table names the chips, the conditions and what is missing", async () => {
    // MI325X has no published list price: the table names the gap and the footer says why.
    const r = await runCli("cost", "tco", "--chip", "amd-mi325x", "--count", "2", "--pue", "1.1", "--usd-per-kwh", "0.1");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/amd-mi325x/);
    expect(r.out).toMatch(/PUE 1\.1, \$0\.1\/kWh/);
    expect(r.out).toMatch(/cost\.price \(not published\)/);
    expect(r.out).toMatch(/not published: amd-mi325x cost\.price: AMD publishes no list price/);
  });

  it("die reproduces the worked example and its --json is the job's result", async () => {
    const r = await runCli("cost", "die", "--area", "814", "--node", "5nm", "--defect-density", "0.05", "--json");
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out);
    expect(res.dies_per_wafer).toBe(63);
    expect(res.usd_per_good_die).toBeCloseTo(395, 0);
    const table = await runCli("cost", "die", "--area", "814", "--node", "5nm", "--defect-density", "0.05", "--yield-model", "murphy", "--volume", "100000");
    expect(table.out).toMatch(/dies per wafer\s+63/);
    expect(table.out).toMatch(/\(murphy\)/);
    expect(table.out).toMatch(/NRE per unit/);
  });

  it("bad flags are usage errors, an unknown node is bad input with a hint", async () => {
    expect((await runCli("cost", "tco", "--chip", "nvidia-h100-sxm", "--utilisation", "1.5")).code).toBe(2);
    expect((await runCli("cost", "tco", "--chip", "nvidia-h100-sxm", "--pue", "0.8")).code).toBe(2);
    expect((await runCli("cost", "die", "--area", "0", "--node", "5nm")).code).toBe(2);
    const bad = await runCli("cost", "die", "--area", "100", "--node", "5mn");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/unknown process node "5mn"[\s\S]*did you mean "5nm"/);
  });
});
