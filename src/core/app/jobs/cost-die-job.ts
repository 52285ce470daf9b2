import { dieCost, type DieCostInput, type DieCostResult } from "../../money/index.js";
import { defineJob } from "../job.js";

export type { DieCostInput, DieCostResult } from "../../money/index.js";
export { YIELD_MODELS, type YieldModel } from "../../money/index.js";

/**
 * Cost of a custom die from its area and process node: dies per wafer, yield (Poisson, Murphy or
 * negative binomial), cost per good die with its range, per packaged unit (HBM, interposer, test),
 * NRE spread over a volume and time to first silicon. Node data: catalog/money/silicon.yaml.
 */
export type CostDieJobRequest = DieCostInput;

export interface CostDieJobResult extends DieCostResult {
  kind: "cost-die";
  /** The process nodes the catalog prices, for listings. */
  nodes: string[];
  sources: string[];
}

export const costDieJob = defineJob<CostDieJobRequest, CostDieJobResult>({
  id: "cost-die",
  summary: "die cost of a custom design: dies per wafer, yield, cost per good die and packaged unit, NRE, time to market",
  supports:
    "process nodes 90 nm … 2 nm (wafer price and defect density by node, with ranges); design and mask cost 28 nm … 3 nm; every figure overridable",
  run(req, catalog) {
    const money = catalog.money();
    return {
      kind: "cost-die",
      ...dieCost(money, req),
      nodes: money.silicon.nodes.map((n) => n.id),
      sources: [...Object.entries(money.silicon.sources), ...Object.entries(money.packaging.sources).map(([n, s]) => [`p${n}`, s] as const)].map(([n, s]) => `[${n}] ${s.title}`),
    };
  },
});
