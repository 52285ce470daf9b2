/**
 * Re-ranking an assessment under new weights (what the web workbench does on every weight change)
 * gives exactly the assess job's ranking for those weights, without re-assessing.
 */
import { describe, expect, it } from "vitest";
import { JOBS, reweightAssessment } from "../src/core/app/index.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const request = { chips: ["nvidia-h100-sxm", "nvidia-a100-sxm-80gb", "amd-mi300x"], model: "llama-3.1-70b", mode: "inference", count: 2 };

describe("reweightAssessment", () => {
  const catalog = nodeCatalog();
  const base = JOBS.assess.run(request, catalog);

  it("equals the job run with the weights, scores, order, flips and per-chip ranks", () => {
    const cases: Record<string, number>[] = [{ latency: 4 }, { cost: 0, security: 2.5 }, { throughput: 0.1, power: 7 }];
    for (const weights of cases) {
      const direct = JOBS.assess.run({ ...request, weights }, catalog);
      const again = reweightAssessment(base, weights);
      expect(again.ranking).toEqual(direct.ranking);
      expect(again.chips.map((c) => [c.chip, c.score, c.overall_rank])).toEqual(direct.chips.map((c) => [c.chip, c.score, c.overall_rank]));
    }
  });

  it("a weight just past the reported flip point changes the top choice to the reported chip", () => {
    const flip = base.ranking!.flips.find((f) => f.increase)!;
    expect(flip).toBeDefined();
    const past = reweightAssessment(base, { [flip.factor]: flip.increase!.at_weight * 1.01 });
    expect(past.ranking!.top).toBe(flip.increase!.new_top);
    const before = reweightAssessment(base, { [flip.factor]: flip.increase!.at_weight * 0.99 });
    expect(before.ranking!.top).toBe(base.ranking!.top);
  });

  it("leaves the input result as it was, and checks weights as the job does", () => {
    const top = base.ranking!.top;
    reweightAssessment(base, { latency: 50 });
    expect(base.ranking!.top).toBe(top);
    expect(() => reweightAssessment(base, { latency: -1 })).toThrow(XpusimError);
    const thrown = (() => {
      try {
        reweightAssessment(base, { compute: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(XpusimError);
    expect((thrown as XpusimError).diagnostics[0]!.path).toBe("weights.compute");
  });
});
