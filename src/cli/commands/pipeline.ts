/**
 * `xpusim pipeline <file>`: a `kind: pipeline` scenario (docs/pipeline.md) — the same result as
 * `xpusim estimate`, printed with its stage table, and the stage diagram as SVG with --svg.
 */
import type { Command } from "commander";
import { infeasibleReason, parseAnyScenario, pipelineDiagramFromEstimate, pipelineJob, renderPipelineText } from "../../core/app/index.js";
import { pipelineDiagram } from "../../core/charts/pipeline-diagram.js";
import { error, XpusimError } from "../../core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { emit, formatOf, InfeasibleResult, json } from "../output.js";

export function registerPipelineCommand(program: Command): void {
  program
    .command("pipeline")
    .description("a heterogeneous pipeline (kind: pipeline): throughput, bottleneck, latency, power, energy, cost; --svg draws it")
    .argument("<file>", "pipeline scenario YAML or JSON file (docs/pipeline.md)")
    .option("--json", "print the result object as JSON (as `xpusim estimate --json`)")
    .option("--svg <file>", "also write the stage diagram as SVG")
    .option("-o, --out <file>", "write the output to a file (atomically) instead of stdout")
    .action((file: string, o: { json?: boolean; svg?: string; out?: string }) => {
      const scenario = parseAnyScenario(readDocument(file), file);
      if (scenario.kind !== "pipeline") {
        throw new XpusimError(error("E_SCHEMA", "kind", `expected kind: pipeline, got ${scenario.kind}`, { file, hint: "run other scenarios with `xpusim estimate`" }));
      }
      let result;
      try {
        result = pipelineJob.run(scenario, nodeCatalog(file));
      } catch (e) {
        throw e instanceof XpusimError ? e.withFile(file) : e;
      }
      emit(formatOf(o) === "json" ? json(result) : renderPipelineText(result), o.out);
      if (o.svg) emit(pipelineDiagram(pipelineDiagramFromEstimate(result)), o.svg);
      const infeasible = infeasibleReason(result);
      if (infeasible) throw new InfeasibleResult(infeasible);
    });
}
