import { analysePipeline } from "../../pipeline/analyse-pipeline.js";
import type { PipelineEstimate } from "../../pipeline/pipeline-types.js";
import type { PipelineScenario } from "../../spec/pipeline-spec.js";
import { defineJob } from "../job.js";
import { checkShapes, type ItemInfo, priceLink, stageOutput } from "../pipeline-items.js";
import { priceStage, withinStage } from "../pipeline-stage-pricing.js";

export type { PipelineEstimate, PipelineStageResult, PipelineLinkResult } from "../../pipeline/pipeline-types.js";
export type { PipelineScenario } from "../../spec/pipeline-spec.js";

/**
 * A heterogeneous pipeline (`kind: pipeline`, issue #12): every stage priced as a server of known
 * rate (a fixed rate, a catalog fixed-function unit, or a chip running its workload through the
 * inference or op estimator), every link by its bandwidth and bytes per item, then the bottleneck
 * law for throughput, Little's law and M/D/1 queues for latency (pipeline/analyse-pipeline.ts).
 * The request is the parsed scenario (`parsePipelineScenario`).
 */
export const pipelineJob = defineJob<PipelineScenario, PipelineEstimate>({
  id: "pipeline",
  summary: "a heterogeneous pipeline of unlike units (decoders, pre-processing, NPUs/GPUs) and links: throughput, bottleneck, latency, power, energy, cost",
  supports: "fixed-rate stages, catalog fixed-function units (video/JPEG decoders) by codec and resolution, chip stages running any model or op the inference/op estimators support; PCIe/CXL/Ethernet/UCIe/USB/MIPI links; Poisson arrivals (M/D/1 per stage) or saturation",
  scenarioKinds: ["pipeline"],
  run(p, catalog) {
    const outputs: Array<ItemInfo | undefined> = p.stages.map((s, i) => withinStage(i, () => stageOutput(s, catalog)));
    withinStage(0, () => checkShapes(p, outputs, catalog));
    const stages = p.stages.map((s, i) => withinStage(i, () => priceStage(s, catalog)));
    const links = p.stages.flatMap((_, i) => {
      const l = withinStage(i, () => priceLink(p, i, outputs[i], catalog));
      return l ? [l] : [];
    });
    return analysePipeline(stages, links, { name: p.name ?? "pipeline", ...(p.arrival_rate_per_s !== undefined ? { arrival_rate_per_s: p.arrival_rate_per_s } : {}), ...(p.items !== undefined ? { items: p.items } : {}) });
  },
});
