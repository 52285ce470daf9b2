/**
 * The Pipeline view in a real browser: a `kind: pipeline` file (issue #12's format) edited or
 * uploaded, drawn as stages; shape errors beside their lines; until the engine has the pipeline job
 * the view says estimation is issue #12 (and with it, shows the job's rates and bottleneck).
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { JOBS } from "../../src/core/app/index.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { PIPELINE_EXAMPLE } from "../../src/ui/views/pipeline/pipeline-example.js";
import { readPipelineFile } from "../../src/ui/views/pipeline/pipeline-file.js";
import { pipelineResultTable, runPipeline } from "../../src/ui/views/pipeline/pipeline-result.js";
import { browserAvailable, browserSuite, openPage, screenshot } from "./browser.js";

const THREE = "kind: pipeline\nname: three stages\nstages:\n  - name: camera\n    rate_per_s: 60\n    link: { bandwidth_bytes_per_s: 1e9, bytes_per_item: 1000000 }\n  - name: isp\n    rate_per_s: 240\n  - name: npu\n    chip: nvidia-jetson-orin-nano-8gb\n    workload: { model: mobilenet-v2 }\n";
const stageNames = (page: Page) => page.locator('[data-testid="pipeline-diagram"] g.stage').evaluateAll((els) => els.map((e) => e.getAttribute("data-stage")));

describe.skipIf(!browserAvailable)("Pipeline view", () => {
  const suite = browserSuite();
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = await openPage(suite.browser, `${suite.url}#/pipeline`));
    await page.waitForSelector('[data-testid="pipeline-diagram"] svg', { timeout: 60_000 });
  }, 120_000);

  it("draws the example's stages, and says estimation is issue #12 while the engine has no pipeline job", async () => {
    const file = readPipelineFile(PIPELINE_EXAMPLE).file!;
    expect(await stageNames(page)).toEqual(file.stages.map((s) => s.name));
    if (!("pipeline" in JOBS)) {
      expect(await page.locator('[data-testid="pipeline-missing"]').innerText()).toContain("issue #12");
      expect(await page.locator('[data-testid="pipeline-table"]').count()).toBe(0);
    } else {
      const rows = pipelineResultTable(runPipeline(file, nodeCatalog()));
      expect(await page.locator('[data-testid="pipeline-table"] tbody tr').count()).toBe(rows.length);
      const hot = rows.find((r) => r.bottleneck)!;
      expect(await page.locator(`[data-testid="pipeline-table"] tr.highlight[data-row="${hot.name}"]`).count()).toBe(1);
    }
  }, 60_000);

  it("a stage with a bad rate shows its field path beside its line; a YAML syntax error its line", async () => {
    await page.locator('[data-testid="pipeline-yaml"]').fill("kind: pipeline\nstages:\n  - name: decode\n    rate_per_s: -30\n  - name: npu\n    chip: nvidia-l4\n");
    const rate = page.locator('[data-testid="inline-error"][data-path="stages[0].rate_per_s"]');
    await rate.waitFor({ timeout: 10_000 });
    expect(await rate.getAttribute("data-line")).toBe("4");
    expect(await page.locator('[data-testid="inline-error"][data-path="stages[1].workload"]').getAttribute("data-line")).toBe("5");
    await page.locator('[data-testid="pipeline-yaml"]').fill("kind: pipeline\nstages: [\n  { name: a\n");
    await page.locator(".designer-editor .error strong", { hasText: "YAML syntax error" }).waitFor({ timeout: 10_000 });
    const syntax = page.locator('[data-testid="inline-error"]').first();
    expect(await syntax.getAttribute("data-path")).toBe("");
    expect(Number(await syntax.getAttribute("data-line"))).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("an uploaded file is drawn; a bad one shows its errors by field path", async () => {
    await page.locator('[data-testid="pipeline-upload"]').setInputFiles({ name: "edge.yaml", mimeType: "text/yaml", buffer: Buffer.from(THREE) });
    await page.locator('[data-testid="pipeline-diagram"] g.stage[data-stage="npu"]').waitFor({ timeout: 10_000 });
    expect(await stageNames(page)).toEqual(["camera", "isp", "npu"]);
    await page.locator('[data-testid="pipeline-upload"]').setInputFiles({ name: "bad.yaml", mimeType: "text/yaml", buffer: Buffer.from("kind: inference\nstages:\n  - name: a\n    rate_per_s: 5\n    unit: nvdec\n") });
    await page.locator('[data-testid="editor-errors"] li[data-path="kind"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="editor-errors"] li[data-path="stages[0]"]').innerText()).toContain("exactly one of rate_per_s");
  }, 60_000);

  it("exports the diagram (SVG), the file (JSON) and its result rows (CSV); the text survives a reload; screenshot; no console errors", async () => {
    await page.locator('[data-testid="pipeline-yaml"]').fill(THREE);
    await page.locator('[data-testid="pipeline-diagram"] g.stage[data-stage="isp"]').waitFor({ timeout: 10_000 });
    const [svg] = await Promise.all([page.waitForEvent("download"), page.locator('.pipeline-figure [data-export="svg"]').click()]);
    const svgText = readFileSync((await svg.path())!, "utf8");
    expect(svgText.startsWith("<svg")).toBe(true);
    for (const name of ["camera", "isp", "npu"]) expect(svgText).toContain(`data-stage="${name}"`);
    const [json] = await Promise.all([page.waitForEvent("download"), page.locator('.pipeline-figure [data-export="json"]').click()]);
    expect((JSON.parse(readFileSync((await json.path())!, "utf8")) as { file: unknown }).file).toEqual(readPipelineFile(THREE).file);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.locator('.pipeline-figure [data-export="csv"]').click()]);
    const csvLines = readFileSync((await csv.path())!, "utf8").split("\n").filter((l) => l !== "");
    // With the engine's pipeline job: one row per stage and link, as the result table shows them.
    expect(csvLines[0]).toBe("name,rate,utilisation,power");
    expect(csvLines[1]).toBe("camera,60.0 items/s,100.0 %,");
    expect(csvLines.map((l) => l.split(",")[0])).toEqual(["name", "camera", "camera → isp", "isp", "npu"]);
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForSelector('[data-testid="pipeline-diagram"] svg', { timeout: 60_000 });
    expect(await page.locator('[data-testid="pipeline-yaml"]').inputValue()).toBe(THREE);
    expect(await stageNames(page)).toEqual(["camera", "isp", "npu"]);
    await screenshot(page, "pipeline");
    expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
  }, 60_000);
});
