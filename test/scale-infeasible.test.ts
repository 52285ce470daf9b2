/**
 * `xpusim scale` when no chip count has a layout that fits: the answer printed as usual, exit 3 with
 * the reason on stderr (as estimate, train and run do); the reason's bytes in the report's format;
 * and the reason read from the layout search's typed `infeasible_reason`, not its notes' wording.
 */
import { describe, expect, it } from "vitest";
import type { ScalingResult } from "../src/core/app/jobs/scaling-job.js";
import { JOBS } from "../src/core/app/registry.js";
import { fmtBytes } from "../src/core/report/table.js";
import { searchTrainingLayouts } from "../src/core/search/training-search.js";
import { resolvePrecision } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { runCli } from "./helpers/run-cli.js";

/** Llama 3.1 405B on 1 or 2 H100s: terabytes short at both counts. */
const TOO_BIG = ["scale", "--model", "llama-3.1-405b", "--chip", "nvidia-h100-sxm", "--chips", "1,2"];

describe("xpusim scale with nothing fitting", () => {
  it("prints the table, exits 3, and says why on stderr", async () => {
    const r = await runCli(...TOO_BIG);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^1 +1024 +— no layout fits \(closest tp1·pp1·dp1 \S+ \S+ \S+ \S+ short by \d\.\d\d TB\)/m);
    expect(r.err).toMatch(/^infeasible: no layout fits at any chip count: 1 chip: no layout fits .*; 2 chips: no layout fits /);
  });

  it("JSON: feasible false, and each point's shortfall in the report's byte format (not 3.63e+3 GB)", async () => {
    const r = await runCli(...TOO_BIG, "--json");
    expect(r.code).toBe(3);
    const result = JSON.parse(r.out) as ScalingResult;
    expect(result.feasible).toBe(false);
    expect(result.infeasible_reason).toMatch(/^no layout fits at any chip count/);
    const search = searchTrainingLayouts(
      { model: loadModel("llama-3.1-405b"), precision: resolvePrecision({ compute: "bf16" }), seq_len: 2048, chips: 1, global_batch: 1024, top: 1, rank_by: "time", max_microbatch: 16 },
      contextFor(loadChip("nvidia-h100-sxm")),
    );
    const shortfall = search.closest!.shortfall_bytes;
    expect(shortfall).toBeGreaterThan(1e12);
    expect(result.points[0]!.reason).toContain(`short by ${fmtBytes(shortfall)})`);
    expect(result.points[0]!.reason).not.toMatch(/e\+/);
    // The search's typed reason, the same text as its last note.
    expect(search.infeasible_reason).toMatch(/^no layout fits: the closest \(tp1·pp1·dp1 /);
    expect(search.notes.at(-1)).toBe(search.infeasible_reason);
  });

  it("some count fits: exit 0, feasible, no reason", async () => {
    const r = await runCli("scale", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--chips", "1,8", "--global-batch", "64", "--json");
    expect([r.code, r.err]).toEqual([0, ""]);
    const result = JSON.parse(r.out) as ScalingResult;
    expect(result.points.map((p) => p.fits)).toEqual([false, true]);
    expect(result.feasible).toBe(true);
    expect(result.infeasible_reason).toBeUndefined();
  });

  it("a search with a feasible layout has no infeasible_reason", () => {
    const r = JOBS["training-search"].run({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", chips: 8, global_batch: 64, seq_len: 2048, precision: { compute: "bf16" }, top: 1 }, nodeCatalog());
    expect(r.feasible).toBeGreaterThan(0);
    expect(r.infeasible_reason).toBeUndefined();
  });
});
