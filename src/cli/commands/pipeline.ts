/**
 * `xpusim pipeline <file>`: a `kind: pipeline` scenario (docs/pipeline.md) — the same result as
 * `xpusim estimate`, printed with its stage table, and the stage diagram as SVG with --svg.
 */
import type { Command } from "commander";
import { infeasibleReason, parseAnyScenario, pipelineDiagramSvg, pipelineJob, renderPipelineText } from "../../core/app/index.js";
import { error, XpusimError } from "../../core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { catalogJob } from "../../core/app/jobs/catalog-job.js";
import { fmtSi, fmtTime, renderTable } from "../../core/report/table.js";
import { emit, formatOf, InfeasibleResult, json, UsageError } from "../output.js";

export function registerPipelineCommand(program: Command): void {
  program
    .command("pipeline")
    .description("a heterogeneous pipeline (kind: pipeline): throughput, bottleneck, latency, power, energy, cost; --svg draws it")
    .argument("[file]", "pipeline scenario YAML or JSON file (docs/pipeline.md)")
    .option("--units", "list the catalog's fixed-function units (video decoders …) with their rates")
    .option("--links", "list the catalog's link ids (PCIe, CXL, Ethernet, UCIe, USB, MIPI CSI-2, on-package)")
    .option("--json", "print the result object as JSON (as `xpusim estimate --json`)")
    .option("--svg <file>", "also write the stage diagram as SVG")
    .option("-o, --out <file>", "write the output to a file (atomically) instead of stdout")
    .action((file: string | undefined, o: { json?: boolean; svg?: string; out?: string; units?: boolean; links?: boolean }) => {
      if (o.units || o.links) {
        emit(listParts(o.units ? "units" : "links", o.json === true), o.out);
        return;
      }
      if (file === undefined) throw new UsageError("give a pipeline file, or --units / --links to list the catalog's parts");
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
      if (o.svg) emit(pipelineDiagramSvg(result), o.svg);
      const infeasible = infeasibleReason(result);
      if (infeasible) throw new InfeasibleResult(infeasible);
    });
}

function listParts(list: "units" | "links", asJson: boolean): string {
  const catalog = nodeCatalog();
  if (list === "units") {
    const { rows } = catalogJob.run({ list: "units" }, catalog);
    return asJson ? json(rows) : renderTable(rows, [
      { header: "unit", value: (u) => u.id },
      { header: "kind", value: (u) => u.kind, align: "left" },
      { header: "in", value: (u) => u.found_in.join(", "), align: "left" },
      { header: "rates (frames/s)", value: (u) => u.rates.join("; "), align: "left" },
    ]);
  }
  const { rows } = catalogJob.run({ list: "links" }, catalog);
  return asJson ? json(rows) : renderTable(rows, [
    { header: "link id", value: (l) => l.id },
    { header: "bandwidth", value: (l) => fmtSi(l.bytes_per_s, "B/s") },
    { header: "latency", value: (l) => fmtTime(l.latency_s) },
    { header: "name", value: (l) => l.name, align: "left" },
  ]);
}
