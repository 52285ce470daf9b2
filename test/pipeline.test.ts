import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS, parseAnyScenario, type PipelineEstimate, runScenario } from "../src/core/app/index.js";
import type { InferenceEstimate } from "../src/core/estimate/inference-request.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { diagnosticsOf } from "./helpers/diagnostics.js";
import { runCli } from "./helpers/run-cli.js";

/** `kind: pipeline` (issue #12): hand-computed pipelines, queueing laws, catalog units and links, errors by field path. */
const catalog = nodeCatalog();
const run = (doc: Record<string, unknown>) => runScenario(parseAnyScenario({ kind: "pipeline", ...doc }), catalog) as PipelineEstimate;
const fixed = (name: string, rate: number, extra: Record<string, unknown> = {}) => ({ name, rate_per_s: rate, ...extra });
const THREE = [fixed("a", 100), fixed("b", 50), fixed("c", 200)];

describe("a pipeline of known rates (bottleneck, utilisation and Little's laws)", () => {
  it("three stages of 100, 50 and 200 items/s: 50 items/s through stage b; utilisations X/μ; latency Σ 1/μ", () => {
    const r = run({ stages: THREE });
    expect(r.throughput_items_per_s).toBe(50);
    expect(r.bottleneck).toMatchObject({ name: "b", kind: "stage" });
    expect(r.limited_by).toBe("stage");
    expect(r.stages.map((s) => s.utilisation)).toEqual([0.5, 1, 0.25]);
    expect(r.latency_s).toBeCloseTo(1 / 100 + 1 / 50 + 1 / 200, 12);
    expect(r.items_in_flight).toBeCloseTo(50 * 0.035, 12);
  });

  it("two units on the slow stage double its rate and move the bottleneck to the first stage", () => {
    const r = run({ stages: [fixed("a", 100), fixed("b", 50, { count: 3 }), fixed("c", 200)] });
    expect(r.throughput_items_per_s).toBe(100);
    expect(r.bottleneck.name).toBe("a");
    expect(r.stages[1]!.rate_per_s).toBe(150);
  });

  it("below capacity: throughput = arrival rate; each stage waits as M/D/1, Wq = ρ/(2μ(1−ρ)); Little's law N = λ·R", () => {
    const r = run({ stages: THREE, arrival_rate_per_s: 40 });
    expect(r.throughput_items_per_s).toBe(40);
    expect(r.limited_by).toBe("arrival");
    expect(r.capacity_items_per_s).toBe(50);
    const wq = [0.4 / (2 * 100 * 0.6), 0.8 / (2 * 50 * 0.2), 0.2 / (2 * 200 * 0.8)];
    r.stages.forEach((s, i) => expect(s.queue_wait_s).toBeCloseTo(wq[i]!, 12));
    expect(r.mean_latency_s).toBeCloseTo(0.035 + wq[0]! + wq[1]! + wq[2]!, 12);
    expect(r.items_in_flight).toBeCloseTo(40 * r.mean_latency_s!, 12);
  });

  it("a batching stage holds the average item (batch − 1)/(2λ) while its batch fills", () => {
    const plain = run({ stages: [fixed("a", 1000)], arrival_rate_per_s: 100 });
    const mdl = run({ stages: [{ name: "a", chip: "nvidia-l4", workload: { model: "resnet-50" }, batch: 8 }], arrival_rate_per_s: 100 });
    const mu = mdl.stages[0]!.rate_per_s;
    expect(mdl.stages[0]!.queue_wait_s).toBeCloseTo((100 / mu) / (2 * mu * (1 - 100 / mu)) + 7 / 200, 12);
    expect(plain.stages[0]!.queue_wait_s).toBeCloseTo(0.1 / (2 * 1000 * 0.9), 12);
  });

  it("arrivals above capacity: throughput is the capacity, with a warning that the queue grows without bound", () => {
    const r = run({ stages: THREE, arrival_rate_per_s: 80 });
    expect(r.throughput_items_per_s).toBe(50);
    expect(r.mean_latency_s).toBeUndefined();
    expect(r.warnings.join(" ")).toContain("grows without bound");
  });

  it("power scales with utilisation; energy per item = power ÷ throughput; cost sums; items take latency + (n − 1)/X", () => {
    const r = run({ stages: [fixed("a", 100, { power_w: 10, cost_per_hour: 1 }), fixed("b", 50, { power_w: 20, cost_per_hour: 2, count: 2 })], items: 1000 });
    // throughput 100 (a), b has 2 units of 50: u_b = 1, u_a = 1
    expect(r.throughput_items_per_s).toBe(100);
    expect(r.power_w).toBeCloseTo(10 + 2 * 20, 12);
    expect(r.energy_per_item_j).toBeCloseTo(50 / 100, 12);
    expect(r.cost_per_hour).toBe(1 + 2 * 2);
    expect(r.time_s).toBeCloseTo(r.latency_s + 999 / 100, 12);
    expect(r.energy_j).toBeCloseTo(r.power_w * r.time_s!, 9);
    const half = run({ stages: [fixed("a", 100, { power_w: 10 }), fixed("b", 50, { power_w: 20 })] });
    expect(half.power_w).toBeCloseTo(10 * 0.5 + 20 * 1, 12);
  });

  it("a link of 1 MB/s carrying 10 kB items caps the pipeline at 100 items/s and is named as the bottleneck", () => {
    const r = run({ stages: [fixed("a", 1000, { link: { bandwidth_bytes_per_s: 1e6, bytes_per_item: 1e4 } }), fixed("b", 1000)] });
    expect(r.throughput_items_per_s).toBeCloseTo(100, 9);
    expect(r.bottleneck).toMatchObject({ name: "a → b", kind: "link" });
    expect(r.links[0]).toMatchObject({ from: "a", to: "b", utilisation: 1, items_per_s: 100 });
    expect(r.latency_s).toBeCloseTo(1 / 1000 + 1e4 / 1e6 + 1 / 1000, 12);
  });

  it("invariants: more link bandwidth or more units never lower the throughput; utilisation stays within [0, 1]", () => {
    let last = 0;
    for (const bw of [1e5, 1e6, 1e7, 1e8]) {
      const r = run({ stages: [fixed("a", 500, { link: { bandwidth_bytes_per_s: bw, bytes_per_item: 1e4 } }), fixed("b", 300)] });
      expect(r.throughput_items_per_s).toBeGreaterThanOrEqual(last);
      for (const u of [...r.stages, ...r.links].map((x) => x.utilisation)) expect(u >= 0 && u <= 1).toBe(true);
      last = r.throughput_items_per_s;
    }
  });
});

describe("catalog units and links", () => {
  it("a decoder unit gives its published frames/s, and other resolutions at the same pixel rate", () => {
    const at = (resolution: string) => run({ stages: [{ name: "d", unit: { id: "nvdec-jetson-agx-orin-64gb", codec: "hevc", resolution } }] }).throughput_items_per_s;
    expect(at("1080p")).toBe(660);
    expect(at("2160p")).toBe(210);
    // 1440p is nearest 1080p in pixel count: 660 × (1920·1080)/(2560·1440)
    expect(at("1440p")).toBeCloseTo((660 * 1920 * 1080) / (2560 * 1440), 9);
  });

  it("a link id is the family's lanes × per-lane rate × efficiency; the decoder's NV12 frames set the bytes per item", () => {
    const r = run({ stages: [{ name: "d", unit: { id: "nvdec-jetson-agx-orin-64gb", codec: "hevc", resolution: "1080p" }, link: { id: "pcie-gen4-x16" } }, fixed("e", 10_000)] });
    const pcie = catalog.pipelineParts().linkFamily("pcie");
    expect(r.links[0]!.bytes_per_s).toBeCloseTo(16 * pcie.variants.gen4!.bytes_per_s_per_lane.value * pcie.efficiency.value, 3);
    expect(r.links[0]!.bytes_per_item).toBe(1920 * 1080 * 1.5);
  });

  it("a chip stage runs batch ÷ the inference estimator's batch latency × count items per second", () => {
    const r = run({ stages: [{ name: "npu", chip: "nvidia-l4", workload: { model: "resnet-50" }, batch: 16, count: 2 }] });
    const e = JOBS.inference.run({ chip: "nvidia-l4", model: "resnet-50", batch: 16, input_tokens: 1, output_tokens: 0, chips: 1, tp: 1, pp: 1 }, catalog) as InferenceEstimate;
    expect(r.stages[0]!.rate_per_s).toBeCloseTo((16 / e.e2e_latency_s) * 2, 9);
    expect(r.stages[0]!.latency_s).toBe(e.e2e_latency_s);
  });

  it("a model that does not fit is an infeasible stage with rate 0 and the reason, not a crash", () => {
    const r = run({ stages: [fixed("cam", 30), { name: "llm", chip: "nvidia-jetson-orin-nano-8gb", workload: { model: "llama-3.1-70b" } }] });
    expect(r.fits).toBe(false);
    expect(r.throughput_items_per_s).toBe(0);
    expect(r.bottleneck.name).toBe("llm");
    expect(r.bottleneck.why).toContain("does not fit");
    expect(r.infeasible_reason).toMatch(/^stage llm cannot run: .*does not fit: needs [\d.]+ GB of 8.0 GB/);
  });
});

describe("bad input: the field path, what was expected, a hint", () => {
  const paths = (doc: Record<string, unknown>) => diagnosticsOf(() => run(doc)).map((d) => d.path);

  it("a stage whose input shape does not match the previous output names both stages", () => {
    const d = diagnosticsOf(() => run({ stages: [fixed("resize", 100, { output: { shape: [320, 320, 3] } }), { name: "classify", chip: "nvidia-l4", workload: { model: "resnet-50" } }] }));
    expect(d[0]!.path).toBe("stages[1].input");
    expect(d[0]!.message).toContain('"classify" takes items of shape [224, 224, 3]');
    expect(d[0]!.message).toContain('"resize" hands over [320, 320, 3]');
  });

  it("schema errors: two kinds in one stage, a chip without workload, a repeated name, a link after the last stage", () => {
    expect(paths({ stages: [{ name: "a", rate_per_s: 5, unit: "x" }] })).toContain("stages[0]");
    expect(paths({ stages: [{ name: "a", chip: "nvidia-l4" }] })).toContain("stages[0].workload");
    expect(paths({ stages: [fixed("a", 1), fixed("a", 2)] })).toContain("stages[1].name");
    expect(paths({ stages: [fixed("a", 1, { link: { bandwidth_bytes_per_s: 1e9, bytes_per_item: 1 } })] })).toContain("stages[0].link");
  });

  it("unknown unit and link ids suggest the closest; a width the family lacks is refused; a link without a size asks for one", () => {
    const unit = diagnosticsOf(() => run({ stages: [{ name: "d", unit: "nvdec-jetson-agx-orin" }] }))[0]!;
    expect(unit).toMatchObject({ code: "E_UNKNOWN_ID", path: "stages[0].unit" });
    expect(unit.hint).toContain("nvdec-jetson-agx-orin-64gb");
    const link = diagnosticsOf(() => run({ stages: [fixed("a", 1, { link: { id: "pcie-gen4-x61", bytes_per_item: 10 } }), fixed("b", 1)] }))[0]!;
    expect(link.path).toBe("stages[0].link.id");
    expect(diagnosticsOf(() => run({ stages: [fixed("a", 1, { link: { id: "pcie-gen4-x3", bytes_per_item: 10 } }), fixed("b", 1)] }))[0]!.code).toBe("E_RANGE");
    expect(paths({ stages: [fixed("a", 1, { link: { id: "pcie-gen4-x16" } }), fixed("b", 1)] })).toEqual(["stages[0].link.bytes_per_item"]);
    const codec = diagnosticsOf(() => run({ stages: [{ name: "d", unit: { id: "nvdec-jetson-agx-orin-64gb", codec: "av1" } }] }))[0]!;
    expect(codec).toMatchObject({ code: "E_UNSUPPORTED", path: "stages[0].unit.codec" });
  });
});

describe("xpusim pipeline and xpusim estimate", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpusim-pipeline-"));
  const file = join(dir, "p.yaml");
  writeFileSync(file, "kind: pipeline\nname: cli case\nstages:\n  - name: a\n    rate_per_s: 100\n    link: { bandwidth_bytes_per_s: 1e6, bytes_per_item: 20000 }\n  - name: b\n    rate_per_s: 40\n");

  it("prints the bottleneck and the stage table; --json equals estimate --json; --svg draws every stage", async () => {
    const text = await runCli("pipeline", file, "--svg", join(dir, "p.svg"));
    expect(text.code).toBe(0);
    expect(text.out).toContain("bottleneck   b (stage)");
    const viaPipeline = JSON.parse((await runCli("pipeline", file, "--json")).out) as PipelineEstimate;
    const viaEstimate = JSON.parse((await runCli("estimate", file, "--json")).out) as PipelineEstimate;
    expect(viaPipeline).toEqual(viaEstimate);
    expect(viaPipeline.throughput_items_per_s).toBe(40);
    const svg = readFileSync(join(dir, "p.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('data-stage="a"');
    expect(svg).toContain('class="stage bottleneck" data-stage="b"');
  });

  it("an infeasible stage exits 3; a bad file exits 1 with the field path", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "kind: pipeline\nstages:\n  - name: llm\n    chip: nvidia-jetson-orin-nano-8gb\n    workload: { model: llama-3.1-70b }\n");
    expect((await runCli("pipeline", bad)).code).toBe(3);
    writeFileSync(bad, "kind: pipeline\nstages:\n  - name: a\n    rate_per_s: -3\n");
    const r = await runCli("pipeline", bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain("stages[0].rate_per_s");
  });
});
