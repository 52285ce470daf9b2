import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INFERENCE_FACTORS, TRAINING_FACTORS, type FactorContext } from "../src/core/assess/factor.js";
import type { TrainingEstimate } from "../src/core/estimate/estimate-training.js";
import { PRECISION_MODEL_DEFAULTS } from "../src/core/app/jobs/precision-model-job.js";
import { REPORT_GEMM_BUDGET_MACS } from "../src/core/app/report/precision-points-data.js";
import { JOBS } from "../src/core/app/registry.js";
import { inlineSvg } from "../src/core/app/report/report-html.js";
import { renderReport } from "../src/core/app/report/render-report.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { GOLDEN_REPORT_DIR, GOLDEN_REPORT_FILES, GOLDEN_REPORT_SVG_PREFIX, GOLDEN_UPDATE_COMMAND } from "./helpers/golden-cases.js";
import { reportFixture } from "./helpers/report-fixture.js";
import { runCli } from "./helpers/run-cli.js";
import { xmlError } from "./helpers/xml-check.js";

/** Every http(s) URL in a page, outside the text of links (there are none: the report links nothing). */
const urls = (html: string) => html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];

describe("report rendering", () => {
  it("matches the golden HTML and Markdown of the fixed input (never written by the test)", async () => {
    const r = await renderReport(reportFixture(), { svgPrefix: GOLDEN_REPORT_SVG_PREFIX });
    for (const [key, file] of Object.entries(GOLDEN_REPORT_FILES)) {
      const path = join(GOLDEN_REPORT_DIR, file);
      expect(existsSync(path), `golden file test/golden/report/${file} is missing: run \`${GOLDEN_UPDATE_COMMAND}\` and review it`).toBe(true);
      expect(r[key as keyof typeof GOLDEN_REPORT_FILES], `differs from test/golden/report/${file}; if intended, run \`${GOLDEN_UPDATE_COMMAND}\``).toBe(readFileSync(path, "utf8"));
    }
  });

  it("is deterministic: the same data twice gives the same bytes", async () => {
    const a = await renderReport(reportFixture());
    const b = await renderReport(reportFixture());
    expect(b.html).toBe(a.html);
    expect(b.markdown).toBe(a.markdown);
    expect(b.svgs).toEqual(a.svgs);
  });

  it("writes a self-contained page: no script, no URL, no remote font or stylesheet; every chart inline", async () => {
    const r = await renderReport(reportFixture());
    expect(r.html).not.toMatch(/<script|<link|<iframe|<img|@import|@font-face/i);
    expect(urls(r.html)).toEqual([]);
    expect(r.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    const names = Object.keys(r.svgs);
    expect(names).toEqual([
      "factors.svg", "architecture-fixture-gpu.svg", "architecture-fixture-npu.svg", "roofline-fixture-gpu.svg", "time-breakdown.svg", "memory-breakdown.svg",
      "scaling.svg", "power-thermal-fixture-gpu.svg", "precision.svg", "cost.svg",
    ]);
    expect(r.html.split("<svg").length - 1).toBe(names.length);
    for (const svg of Object.values(r.svgs)) expect(xmlError(svg)).toBeUndefined();
    // Ids inlined into one page are prefixed per figure, so no two figures share one.
    const ids = r.html.match(/ id="[^"]+"/g) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("shows the factor table with value, unit, rank, limited_by and note; a null value as unknown with what is missing", async () => {
    const r = await renderReport(reportFixture(), { svgPrefix: "out-" });
    expect(r.html).toContain("<th>factor</th><th>value</th><th>unit</th><th>rank</th><th>limited by</th><th>note</th>");
    expect(r.html).toContain('<td data-label="factor">power</td><td data-label="value" class="num unknown">unknown: power.tdp</td><td data-label="unit">W</td><td data-label="rank" class="num">—</td>');
    expect(r.markdown).toContain("| power | unknown: power.tdp | W | — | — | no TDP in its sources |");
    expect(r.markdown).toContain("| throughput | 820 | tokens/s | 1 | memory bandwidth | decode tokens \\| per second |");
    for (const name of Object.keys(r.svgs)) expect(r.markdown).toContain(`](out-${name})`);
  });

  it("inlines SVG without namespaces and with prefixed ids and references", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="clip1"/></defs><g clip-path="url(#clip1)"/></svg>';
    expect(inlineSvg(svg, "f")).toBe('<svg><defs><clipPath id="f-clip1"/></defs><g clip-path="url(#f-clip1)"/></svg>');
  });
});

describe("report job", () => {
  it("with default conditions, the cost chart's components add up to the cost factor (same PUE by cooling, same price)", () => {
    const data = JOBS.report.run({ chips: ["nvidia-h100-sxm", "amd-mi300x"], model: "llama-3-8b", mode: "inference", input_tokens: 128, output_tokens: 16 }, nodeCatalog());
    for (const c of data.assessment.chips) {
      const sum = data.charts.cost!.rows.filter((r) => r.chip === c.chip).reduce((t, r) => t + r.usd, 0);
      expect(sum, c.chip).toBeCloseTo(c.factors.cost!.value!, 12);
    }
  });

  it("gathers an inference report: factors of the mode, one roofline point per priced op, breakdowns per chip", () => {
    const catalog = nodeCatalog();
    const chips = ["nvidia-h100-sxm", "google-tpu-v5p"];
    const data = JOBS.report.run({ chips, model: "llama-3-8b", mode: "inference", input_tokens: 512, output_tokens: 32 }, catalog);
    expect(data.assessment.factor_keys).toEqual([...INFERENCE_FACTORS]);
    expect(data.assessment.chips.map((c) => c.chip)).toEqual(chips);
    const pass = JOBS.breakdown.run({ model: "llama-3-8b", chip: "nvidia-h100-sxm", seq: 512, precision: {} }, catalog);
    expect(data.charts.rooflines![0]!.ops).toHaveLength(pass.ops.length);
    expect(data.charts.rooflines![0]!.peaks_flops_per_s.bf16).toBe(catalog.chip("nvidia-h100-sxm").matrix.peak_flops_per_s.bf16);
    // The time breakdown sums to the pass time (ms).
    const h100 = data.charts.time_breakdown!.rows.filter((r) => r.group === "nvidia-h100-sxm").reduce((s, r) => s + r.value, 0);
    expect(h100).toBeCloseTo(pass.time_s * 1e3, 6);
    const latency = data.assessment.chips.map((c) => c.factors.latency!);
    expect(latency.every((f) => f.value! > 0)).toBe(true);
    expect(latency.map((f) => f.rank).sort()).toEqual([1, 2]);
    // The factor table is the assess job's result for the same workload, factor by factor.
    const assessed = JOBS.assess.run({ chips, model: "llama-3-8b", mode: "inference", count: 1, batch: 1, input_tokens: 512, output_tokens: 32 }, catalog);
    expect(data.assessment.chips).toEqual(assessed.chips);
    expect(data.charts.architectures!.map((a) => a.id)).toEqual(chips);
  });

  it("gathers a training report whose scaling curve, memory and energy are the assessment's own", () => {
    const catalog = nodeCatalog();
    let training: TrainingEstimate | undefined;
    const data = JOBS.report.run({ chips: ["nvidia-h100-sxm"], model: "llama-3-8b", mode: "training", count: 16, scaling_counts: [1, 8, 64, 1024] }, catalog);
    expect(data.assessment.factor_keys).toEqual([...TRAINING_FACTORS]);
    const assessed = JOBS.assess.run({ chips: ["nvidia-h100-sxm"], model: "llama-3-8b", mode: "training", count: 16, batch: 1024, seq_len: 2048, scale_counts: [1, 8, 64, 1024], observe: (ctx) => (training = ctx.training) }, catalog);
    const scalability = assessed.chips[0]!.factors.scalability!;
    expect(data.assessment.chips[0]!.factors.scalability).toEqual(scalability);
    // The chart is the scalability factor's weak-scaling curve: one point per count that fits, its efficiency.
    const points = data.charts.scaling!.series[0]!.points;
    expect(points.map((p) => p.chips)).toEqual([8, 64, 1024]); // 1 chip does not hold llama-3-8b training
    for (const p of points) expect(p.efficiency).toBe(scalability.details![`efficiency_at_${p.chips}`]);
    // Memory per chip by component and the step's energy: the assessment's training estimate, not a second one.
    const memory = data.charts.memory_breakdown!.rows;
    expect(memory.find((r) => r.part === "optimizer")!.value).toBe(training!.memory_breakdown_bytes.optimizer / 1e9);
    expect(memory.reduce((s, r) => s + r.value, 0)).toBeCloseTo(training!.memory_per_chip_bytes / 1e9, 6);
    expect(data.charts.energy_breakdown!.rows).toEqual([{ group: "nvidia-h100-sxm", part: "step", value: training!.energy_per_step_j! }]);
  });

  it("draws the chart data other models give (power timeline, precision, cost) as given", async () => {
    const { power_timelines, precision, cost } = reportFixture().charts;
    const data = JOBS.report.run({ chips: ["nvidia-h100-sxm"], model: "llama-3-8b", mode: "inference", input_tokens: 128, output_tokens: 8, extra_charts: { power_timelines: power_timelines!, precision: precision!, cost: cost! } }, nodeCatalog());
    expect(data.charts.precision).toEqual(precision);
    const names = Object.keys((await renderReport(data)).svgs);
    for (const n of ["power-thermal-fixture-gpu.svg", "precision.svg", "cost.svg"]) expect(names).toContain(n);
  });

  it("shows a chip the engine refuses as unknown with why, and still draws it; fails when every chip is refused", () => {
    const data = JOBS.report.run({ chips: ["nvidia-h100-sxm", "cerebras-wse3"], model: "llama-3-8b", mode: "inference", input_tokens: 128, output_tokens: 8 }, nodeCatalog());
    const wafer = data.assessment.chips[1]!;
    expect(wafer.factors.latency).toMatchObject({ value: null, rank: null });
    expect(wafer.infeasible_reason).toMatch(/no dense compute peak/);
    expect(data.assessment.chips[0]!.factors.latency!.rank).toBe(1);
    expect(data.charts.architectures!.map((a) => a.id)).toEqual(["nvidia-h100-sxm", "cerebras-wse3"]);
    expect(data.charts.rooflines!.map((r) => r.chip)).toEqual(["nvidia-h100-sxm"]);
    expect(data.notes.some((n) => n.startsWith("cerebras-wse3: not estimated"))).toBe(true);
    expect(() => JOBS.report.run({ chips: ["cerebras-wse3"], model: "llama-3-8b", mode: "inference" }, nodeCatalog())).toThrow(/no dense compute peak/);
  });

  it("refuses an empty chip list and a bad count with the field named", () => {
    expect(() => JOBS.report.run({ chips: [], model: "llama-3-8b", mode: "inference" }, nodeCatalog())).toThrow(/chips/);
    expect(() => JOBS.report.run({ chips: ["nvidia-h100-sxm"], model: "llama-3-8b", mode: "inference", count: 0 }, nodeCatalog())).toThrow(/count/);
  });
});

describe("report job: power, precision and cost charts from the engine's models", () => {
  const catalog = nodeCatalog();
  const chips = ["nvidia-h100-sxm", "amd-mi300x"];
  const conditions = { power_cap_w: 500, ambient_c: 40, pue: 1.3, usd_per_kwh: 0.1, utilisation: 0.8 };
  const shape = { batch: 1, input_tokens: 512, output_tokens: 32 };
  const data = JOBS.report.run({ chips, model: "llama-3-8b", mode: "inference", ...shape, conditions }, catalog);

  it("draws a power and temperature timeline per chip equal to the power job's for the same workload and conditions", () => {
    expect(data.charts.power_timelines!.map((t) => t.chip)).toEqual(chips);
    for (const [i, chip] of chips.entries()) {
      const p = JOBS.power.run({ chip, model: "llama-3-8b", mode: "inference", inference: { ...shape, chips: 1, tp: 1, pp: 1 }, conditions: { power_cap_w: 500, ambient_c: 40, pue: 1.3, usd_per_kwh: 0.1 } }, catalog);
      const t = data.charts.power_timelines![i]!;
      expect(t.points).toEqual(p.timeline.map((x) => ({ t_s: x.t_s, power_w: x.power_w, temperature_c: x.tj_c, clock_hz: x.clock_hz })));
      expect(t.power_limit_w).toBe(500);
      expect(t.temperature_limit_c).toBe(p.thermal!.tj_max_c);
      // The chart and the power factor read the same analysis.
      expect(data.assessment.chips[i]!.factors.power!.value).toBe(p.energy_per_unit_j);
      expect(Math.max(...t.points.map((x) => x.power_w))).toBeLessThanOrEqual(500);
    }
  });

  it("draws error vs speed-up per format equal to the precision-gemm job's on the model's largest layer GEMM", () => {
    const points = data.charts.precision!.points;
    expect(data.charts.precision!.detail).toMatch(/llama-3-8b ffn_up GEMM 512×28672×4096/);
    for (const chip of chips) {
      const g = JOBS["precision-gemm"].run({ formats: PRECISION_MODEL_DEFAULTS.formats, m: 512, n: 28672, k: 4096, data: "llm", seed: 1, budget_macs: REPORT_GEMM_BUDGET_MACS, chip }, catalog);
      const mine = points.filter((p) => p.chip === chip);
      expect(mine.map((p) => p.format)).toEqual(g.rows.map((r) => r.format));
      for (const r of g.rows) {
        const p = mine.find((x) => x.format === r.format)!;
        expect(p.error).toBe(r.relative_error);
        expect(p.speedup).toBe(r.native ? r.speedup_x : null);
      }
      // Neither chip runs fp4 natively: shown as not native, never a fake speed-up.
      expect(mine.find((p) => p.format === "mxfp4")!.speedup).toBeNull();
      expect(mine.find((p) => p.format === "fp8-e4m3")!.speedup).toBeGreaterThan(1);
    }
  });

  it("draws cost by component equal to the cost-tco job's, summing to the cost factor's value", () => {
    const cost = data.charts.cost!;
    expect(cost.unit).toBe("USD/Mtok");
    for (const [i, chip] of chips.entries()) {
      const factor = data.assessment.chips[i]!.factors.cost!;
      const d = factor.details!;
      const o = JOBS["cost-tco"].run({ chips: [chip], count: 1, pue: 1.3, usd_per_kwh: 0.1, utilisation: 0.8, include_system: true, busy_power_w: d.busy_power_w_per_chip as number }, catalog).results[0]!;
      const c = o.conditions;
      const perUnit = (usdPerHour: number) => (usdPerHour * (d.seconds_per_unit as number)) / 3600;
      const capexHour = (usd: number) => usd / (c.years * c.hours_per_year) / c.utilisation;
      const rows = Object.fromEntries(cost.rows.filter((r) => r.chip === chip).map((r) => [r.component, r.usd]));
      expect(Object.keys(rows)).toEqual(["chips capex", "server capex", "chip energy", "overhead energy"]);
      expect(rows["chips capex"]).toBeCloseTo(perUnit(capexHour(o.chips_capex_usd!)), 12);
      expect(rows["server capex"]).toBeCloseTo(perUnit(capexHour(o.capex_usd! - o.chips_capex_usd!)), 12);
      expect(rows["chip energy"]).toBeCloseTo(perUnit((o.busy_power_w_per_chip! / 1000) * 0.1), 12);
      expect(rows["overhead energy"]).toBeCloseTo(perUnit((o.busy_power_w_per_chip! / 1000) * 0.1 * (c.server_power_factor * 1.3 - 1)), 12);
      const sum = Object.values(rows).reduce((s, v) => s + v, 0);
      expect(sum / factor.value!).toBeCloseTo(1, 12);
      expect(sum / perUnit(o.owned_usd_per_busy_chip_hour!)).toBeCloseTo(1, 12);
    }
  });

  it("gives a chip without a TDP, a price or thermal data a note naming what is missing, not a zero or a crash", () => {
    const r = JOBS.report.run({ chips: ["nvidia-h100-sxm", "google-tpu-v5p", "amd-mi325x", "google-tpu-v4"], model: "llama-3-8b", mode: "inference", input_tokens: 256, output_tokens: 16 }, catalog);
    expect(r.charts.power_timelines!.map((t) => t.chip)).toEqual(["nvidia-h100-sxm", "amd-mi325x"]);
    expect(r.notes).toContain("google-tpu-v5p: no power timeline: missing power.tdp");
    expect(r.notes.some((n) => /^google-tpu-v4: no power timeline: missing .*thermal/.test(n))).toBe(true);
    expect(r.notes).toContain("google-tpu-v5p: no cost breakdown: missing power.tdp");
    expect(r.notes).toContain("amd-mi325x: no cost breakdown: missing cost.price");
    expect([...new Set(r.charts.cost!.rows.map((x) => x.chip))]).toEqual(["nvidia-h100-sxm", "google-tpu-v4"]);
    expect(r.charts.cost!.rows.every((x) => x.usd > 0)).toBe(true);
    // Every chip has precision points (the errors need no chip data); speed-ups only where native.
    expect(new Set(r.charts.precision!.points.map((p) => p.chip))).toEqual(new Set(["nvidia-h100-sxm", "google-tpu-v5p", "amd-mi325x", "google-tpu-v4"]));
  });

  it("reports models that count images, not tokens: a CNN's cost per 1k images and a stated fallback GEMM; a ViT in training", () => {
    const cnn = JOBS.report.run({ chips: ["nvidia-h100-sxm"], model: "resnet-50", mode: "inference", batch: 8 }, catalog);
    expect(cnn.charts.cost!.unit).toBe("USD/1k images");
    expect(cnn.charts.power_timelines).toHaveLength(1);
    expect(cnn.notes).toContain("precision chart: resnet-50 is not a transformer: errors and speed-ups of a 128×128×1024 GEMM");
    const vit = JOBS.report.run({ chips: ["nvidia-h100-sxm"], model: "vit-b-16", mode: "training" }, catalog);
    expect(vit.assessment.chips[0]!.infeasible_reason).toBeUndefined();
    expect(vit.charts.cost!.unit).toBe("USD/step");
  });

  it("draws no power timeline for a chip that cannot run the workload, and says so", () => {
    const r = JOBS.report.run({ chips: ["nvidia-l4"], model: "llama-3.1-70b", mode: "training", count: 8, scaling_counts: [8] }, catalog);
    expect(r.assessment.chips[0]!.infeasible_reason).toMatch(/no layout fits/);
    expect(r.charts.power_timelines).toBeUndefined();
    expect(r.notes).toContain("nvidia-l4: no power timeline: the workload cannot run on it");
  });

  it("renders all of it into a self-contained page: no script, no URL", async () => {
    const r = await renderReport(data);
    expect(Object.keys(r.svgs)).toEqual(expect.arrayContaining(["power-thermal-nvidia-h100-sxm.svg", "power-thermal-amd-mi300x.svg", "precision.svg", "cost.svg", "factors.svg"]));
    expect(r.html).not.toMatch(/<script|<link|<iframe|<img|@import|@font-face/i);
    expect(urls(r.html)).toEqual([]);
    for (const svg of Object.values(r.svgs)) expect(xmlError(svg)).toBeUndefined();
  });

  it("keeps extra_charts as an override and the factor table equal to the assess job's under the same conditions", () => {
    const assessed = JOBS.assess.run({ chips, model: "llama-3-8b", mode: "inference", count: 1, ...shape, conditions }, catalog);
    expect(data.assessment.chips).toEqual(assessed.chips);
    const observed: FactorContext[] = [];
    JOBS.assess.run({ chips, model: "llama-3-8b", mode: "inference", count: 1, ...shape, conditions, observe: (ctx) => observed.push(ctx) }, catalog);
    expect(observed.map((c) => c.chip.id)).toEqual(chips);
    expect(observed[0]!.conditions).toEqual(conditions);
  });
});

describe("xpusim report", () => {
  it("takes assess's --input/--output as well as --input-tokens/--output-tokens, never both", async () => {
    const r = await runCli("report", "--chips", "nvidia-h100-sxm", "--model", "llama-3-8b", "--mode", "inference", "--input", "256", "--output", "8", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).assessment.workload).toMatch(/256\+8 tokens/);
    const both = await runCli("report", "--chips", "nvidia-h100-sxm", "--model", "llama-3-8b", "--mode", "inference", "--input", "256", "--input-tokens", "8", "--json");
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--input-tokens or --input, not both/);
  });

  it("writes the HTML, the Markdown and its SVGs beside it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-report-"));
    const r = await runCli("report", "--chips", "nvidia-h100-sxm,intel-xeon-8490h", "--model", "llama-3-8b", "--mode", "inference", "--input-tokens", "256", "--output-tokens", "16", "--out", join(dir, "r.html"), "--md", join(dir, "r.md"));
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toContain("r.html");
    expect(files).toContain("roofline-nvidia-h100-sxm.svg".replace(/^/, "r-"));
    const md = readFileSync(join(dir, "r.md"), "utf8");
    for (const f of files.filter((x) => x.endsWith(".svg"))) expect(md).toContain(`](${f})`);
    expect(urls(readFileSync(join(dir, "r.html"), "utf8"))).toEqual([]);
  }, 60_000);

  it("needs somewhere to write (usage error, exit 2)", async () => {
    const r = await runCli("report", "--chips", "nvidia-h100-sxm", "--model", "llama-3-8b", "--mode", "inference");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out report.html/);
  });
});

describe("the CLI bundle keeps vega out of start-up", () => {
  interface Meta { outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown> }> }
  const meta = (): Meta => JSON.parse(readFileSync("dist/bundle-meta.json", "utf8")) as Meta;
  const staticOutputs = (m: Meta, start: string): string[] => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const i of m.outputs[f]!.imports) if (i.kind === "import-statement" && !i.external) stack.push(i.path);
    }
    return [...seen];
  };
  const outputWith = (m: Meta, input: string) => Object.keys(m.outputs).find((k) => input in m.outputs[k]!.inputs)!;

  it("vega and vega-lite are external dynamic imports, and neither main, op nor the charts load with them", () => {
    const m = meta();
    const all = Object.values(m.outputs);
    expect(all.some((o) => Object.keys(o.inputs).some((i) => i.includes("node_modules/vega")))).toBe(false);
    const vegaImports = all.flatMap((o) => o.imports.filter((i) => /^vega(-lite)?$/.test(i.path)));
    expect(vegaImports.length).toBeGreaterThan(0);
    for (const i of vegaImports) expect(i).toMatchObject({ kind: "dynamic-import", external: true });
    for (const start of ["src/cli/main.ts", "src/cli/commands/op.ts"]) {
      const inputs = staticOutputs(m, outputWith(m, start)).flatMap((f) => Object.keys(m.outputs[f]!.inputs));
      expect(inputs.filter((f) => f.startsWith("src/core/charts/") || f.startsWith("src/core/app/report/render")), start).toEqual([]);
    }
  });
});
