/** The Pipeline view's pure helpers: the file's shape checks by line, and the result glue for issue #12's job. */
import { describe, expect, it } from "vitest";
import { pipelineDiagram } from "../../src/core/charts/index.js";
import { PIPELINE_EXAMPLE } from "../../src/ui/views/pipeline/pipeline-example.js";
import { readPipelineFile } from "../../src/ui/views/pipeline/pipeline-file.js";
import { type PipelineEstimate, pipelineDiagramInput, pipelineResultTable } from "../../src/ui/views/pipeline/pipeline-result.js";

describe("pipeline file", () => {
  it("reads the example: four stages in order, the link where the file gives one", () => {
    const { file, diagnostics } = readPipelineFile(PIPELINE_EXAMPLE);
    expect(diagnostics).toEqual([]);
    expect(file!.stages.map((s) => s.name)).toEqual(["decode", "resize", "detector", "classifier"]);
    const d = pipelineDiagramInput(file!);
    expect(d.links.map((l) => [l.from, l.to, l.label, l.sublabel])).toEqual([["resize", "detector", "pcie-gen4-x16", "602 kB/item"]]);
    expect(d.stages.every((s) => s.utilisation === undefined && !s.bottleneck)).toBe(true);
  });
  it("each shape error names its field and line", () => {
    const text = "kind: pipeline\nstages:\n  - name: a\n    rate_per_s: 0\n  - name: a\n    unit: nvdec\n    count: 1.5\n  - rate_per_s: 3\n    chip: x\n";
    const got = readPipelineFile(text).diagnostics.map((d) => [d.path, d.line]);
    expect(got).toEqual([
      ["stages[0].rate_per_s", 4],
      ["stages[1].name", 5],
      ["stages[1].count", 7],
      ["stages[2].name", 8],
      ["stages[2]", 8],
      ["stages[2].workload", 8],
    ]);
  });
  it("a file that is not a pipeline, or has no stages, says so", () => {
    expect(readPipelineFile("kind: inference\n").diagnostics.map((d) => d.path)).toEqual(["kind", "stages"]);
    expect(readPipelineFile("- a\n").diagnostics.map((d) => d.path)).toEqual([""]);
  });
});

describe("pipeline result glue (issue #12's output fields)", () => {
  const result: PipelineEstimate = {
    throughput_items_per_s: 60,
    bottleneck: { name: "camera", why: "fixed rate" },
    latency_s: 0.05,
    stages: [
      { name: "camera", rate_per_s: 60, utilisation: 1 },
      { name: "isp", rate_per_s: 240, utilisation: 0.25, power_w: 3 },
    ],
    links: [{ from: "camera", to: "isp", bytes_per_s: 6e7, utilisation: 0.06 }],
  };
  it("rows in pipeline order, stages and links, the bottleneck flagged", () => {
    expect(pipelineResultTable(result).map((r) => [r.name, r.kind, r.bottleneck])).toEqual([
      ["camera", "stage", true],
      ["camera → isp", "link", false],
      ["isp", "stage", false],
    ]);
  });
  it("the diagram shows the estimate's utilisation and highlights the bottleneck", () => {
    const file = readPipelineFile("kind: pipeline\nstages:\n  - { name: camera, rate_per_s: 60, link: { id: mipi, bytes_per_item: 1e6 } }\n  - { name: isp, rate_per_s: 240 }\n").file!;
    const input = pipelineDiagramInput(file, result);
    expect(input.stages.map((s) => [s.name, s.utilisation, s.bottleneck])).toEqual([["camera", 1, true], ["isp", 0.25, false]]);
    const svg = pipelineDiagram(input);
    expect(svg.match(/class="stage bottleneck"/g)).toHaveLength(1);
    expect(svg).toContain("25 %");
    expect(svg).toBe(pipelineDiagram(input));
  });
});
