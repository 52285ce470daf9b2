/**
 * The Chip designer in a real browser: the spec table equals the Chip object, the editor's errors sit
 * beside their lines, a saved variant is offered and used by the Compare view, the systolic heat map
 * has one cell per layer and metric with the job's numbers, bad uploads, URL state, exports.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { chipFigures, JOBS } from "../../src/core/app/index.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { compareRequest } from "../../src/ui/views/compare/compare-requests.js";
import { COMPARE_DEFAULTS } from "../../src/ui/views/compare/compare-state.js";
import { figureValueText } from "../../src/ui/views/designer/figure-text.js";
import { quickCheckDtype, quickCheckRequest } from "../../src/ui/views/designer/quick-check.js";
import { SYSTOLIC_DEFAULTS, systolicRequest } from "../../src/ui/views/designer/systolic-request.js";
import { browserAvailable, browserSuite, cell, download, openPage, screenshot } from "./browser.js";

const catalog = nodeCatalog();
const realErrors = (errors: string[]) => errors.filter((e) => !/404/.test(e));

async function setEditor(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="variant-yaml"]').fill(text);
}

describe.skipIf(!browserAvailable)("Chip designer view", () => {
  const suite = browserSuite();
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = await openPage(suite.browser, `${suite.url}#/designer`));
    await page.waitForSelector('[data-testid="figures-table"]', { timeout: 60_000 });
  }, 120_000);

  it("picking a chip shows its architecture and every figure equal to the Chip object's", async () => {
    await page.waitForSelector('[data-testid="systolic-heatmap"][data-rendered="true"]', { timeout: 60_000 }); // page settled: time the change alone
    const ms = await page.evaluate(async () => {
      const select = document.querySelector<HTMLSelectElement>('select[name="chip"]')!;
      const t0 = performance.now();
      select.value = "amd-mi300x";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      while (!document.querySelector('[data-testid="figures-table"] caption')?.textContent?.includes("MI300X")) await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    });
    console.log(`chip change → diagram, spec table, variant check and base-vs-variant inference shown: ${ms.toFixed(0)} ms (in the page)`);
    const chip = catalog.chip("amd-mi300x");
    const figures = chipFigures(chip);
    expect(figures.length).toBeGreaterThan(10);
    expect(await page.locator('[data-testid="figures-table"] tbody tr').count()).toBe(figures.length);
    for (const f of figures) {
      const value = page.locator(`[data-testid="figures-table"] tr[data-row="${f.path}"] td[data-col="value"] span`);
      expect(await value.getAttribute("data-value")).toBe(String(f.value));
      expect((await value.innerText()).trim()).toBe(figureValueText(f));
    }
    const shown = async (path: string) => Number(await page.locator(`[data-testid="figures-table"] tr[data-row="${path}"] td[data-col="value"] span`).getAttribute("data-value"));
    expect(await shown("memory.main.bandwidth_bytes_per_s")).toBe(chip.memory.main.bandwidth_bytes_per_s);
    expect(await shown("memory.main.capacity_bytes")).toBe(chip.memory.main.capacity_bytes);
    expect(await shown("matrix.peak_flops_per_s.bf16")).toBe(chip.matrix.peak_flops_per_s.bf16);
    expect(await shown("power.tdp_w")).toBe(chip.power.tdp_w);
    const src = chip.provenance["memory.main.bandwidth_bytes_per_s"]?.source ?? [];
    if (src.length) expect(await cell(page, "figures-table", "memory.main.bandwidth_bytes_per_s", "source")).toContain(`[${src.join(", ")}]`);
    expect(await page.locator('[data-testid="architecture"] svg').count()).toBe(1);
    expect(await page.locator('[data-testid="architecture"] svg').innerHTML()).toContain(chip.name);
  }, 120_000);

  it("an invalid value shows its field path beside the right line, and in the list", async () => {
    await setEditor(page, ["extends: amd-mi300x", "name: MI300X fast", "memory:", "  main:", "    bandwidth: fast", ""].join("\n"));
    const note = page.locator('[data-testid="inline-error"][data-path="memory.main.bandwidth"]');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.getAttribute("data-line")).toBe("5");
    expect(await note.innerText()).toContain("bytes_per_s");
    expect(await page.locator('[data-testid="editor-errors"] li[data-path="memory.main.bandwidth"]').innerText()).toContain("line 5");
    expect(await page.locator('[data-testid="save-variant"]').isDisabled()).toBe(true);
    await setEditor(page, "extends: amd-mi300x\npower:\n  tdp: -5 W\n");
    await page.locator('[data-testid="inline-error"][data-path="power.tdp"][data-line="3"]').waitFor({ timeout: 10_000 });
  }, 60_000);

  it("a YAML syntax error shows its line", async () => {
    await setEditor(page, "extends: amd-mi300x\nmemory:\n  main: { bandwidth: 6 TB/s\n");
    await page.locator(".designer-editor .error strong", { hasText: "YAML syntax error" }).waitFor({ timeout: 10_000 });
    const notes = page.locator('[data-testid="inline-error"]');
    expect(await notes.count()).toBeGreaterThan(0);
    expect(await notes.first().getAttribute("data-path")).toBe("");
    expect(Number(await notes.first().getAttribute("data-line"))).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it("a valid variant is compared with its base on the engine's numbers, saved, and offered and used by Compare", async () => {
    const text = "extends: amd-mi300x\nname: MI300X fast\nmemory:\n  main:\n    bandwidth: 8 TB/s\n";
    await page.locator('input[name="vid"]').fill("mi300x-fast");
    const t0 = Date.now();
    await setEditor(page, text);
    const diff = '[data-testid="variant-diff"]';
    await page.waitForSelector(`${diff} tr[data-row="tokens_per_s"]`, { timeout: 30_000 });
    console.log(`edit → variant validated, compared and its inference shown: ${Date.now() - t0} ms (150 ms of it the debounce)`);
    const inline = { id: "mi300x-fast", extends: "amd-mi300x", name: "MI300X fast", memory: { main: { bandwidth: "8 TB/s" } } };
    const dtype = quickCheckDtype(catalog.chip("amd-mi300x"));
    expect(dtype).toBe("bf16");
    const base = JOBS.inference.run(quickCheckRequest("amd-mi300x", dtype), catalog);
    const variant = JOBS.inference.run(quickCheckRequest(inline, dtype), catalog);
    expect(variant.output_tokens_per_s).toBeGreaterThan(base.output_tokens_per_s);
    expect(await cell(page, "variant-diff", "tokens_per_s", "base")).toBe(base.output_tokens_per_s.toFixed(1));
    expect(await cell(page, "variant-diff", "tokens_per_s", "variant")).toBe(variant.output_tokens_per_s.toFixed(1));
    expect(await cell(page, "variant-diff", "memory_bandwidth_bytes_per_s", "ratio")).toBe(`${(8e12 / catalog.chip("amd-mi300x").memory.main.bandwidth_bytes_per_s!).toFixed(3)}×`);
    await page.locator('[data-testid="save-variant"]').click();
    await page.waitForSelector('[data-testid="saved"]');

    await page.goto(`${suite.url}#/compare`);
    const box = page.locator('input[name="chips"][value="mi300x-fast"]');
    await box.waitFor({ timeout: 30_000 });
    await box.check();
    await page.waitForSelector('[data-testid="compare-table"] tr[data-row="mi300x-fast"]', { timeout: 30_000 });
    // the Compare view's own request for its default inputs with the variant added
    const state = { ...COMPARE_DEFAULTS, chips: `${COMPARE_DEFAULTS.chips},mi300x-fast` };
    const expected = JOBS.compare.run(compareRequest(state, (id) => (id === "mi300x-fast" ? inline : id)), catalog);
    const row = expected.rows.find((r) => r.chip === "mi300x-fast")!;
    expect(row.ok).toBe(true);
    expect(await cell(page, "compare-table", "mi300x-fast", "tokens_per_s")).toBe(row.ok ? row.inference!.output_tokens_per_s.toFixed(1) : "");
    await page.goto(`${suite.url}#/designer?chip=amd-mi300x`);
    await page.waitForSelector('[data-testid="figures-table"]', { timeout: 60_000 });
  }, 180_000);

  it("the systolic heat map has one cell per layer and metric, with the job's numbers", async () => {
    await page.waitForSelector('[data-testid="systolic-heatmap"][data-rendered="true"]', { timeout: 60_000 });
    const t0 = Date.now();
    await page.locator('input[name="rows"]').fill("16");
    const expected = JOBS.systolic.run(systolicRequest({ ...SYSTOLIC_DEFAULTS, rows: "16" }, catalog), catalog);
    const first = expected.results[0]!;
    await page.locator('[data-testid="systolic-table"] tr[data-row="0"] td[data-col="overall_util_pct"]').filter({ hasText: new RegExp(`^${first.overall_util_pct.toFixed(2)}$`) }).waitFor({ timeout: 60_000 });
    console.log(`systolic re-simulation (AlexNet, 16×32, worker) shown after ${Date.now() - t0} ms`);
    await page.waitForSelector('[data-testid="systolic-heatmap"][data-rendered="true"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="systolic-heatmap"] g.mark-rect.role-mark path').count()).toBe(expected.results.length * 3);
    for (const r of expected.results) {
      for (const key of ["overall_util_pct", "mapping_efficiency_pct", "compute_util_pct"] as const) {
        expect(await cell(page, "systolic-table", String(r.layer_id), key)).toBe(r[key].toFixed(2));
      }
    }
    const labels = await page.locator('[data-testid="systolic-heatmap"] g.mark-text.role-mark text').allTextContents();
    expect(labels).toContain(first.overall_util_pct.toFixed(1));
    const svg = await download(page, () => page.locator('.designer-systolic [data-export="svg"]').first().click());
    expect(svg.name).toBe("systolic-heatmap.svg");
    expect(svg.text).toContain("<svg");
    expect(svg.text).toContain(expected.results[0]!.layer_name);
  }, 120_000);

  it("a bad chip upload shows the error with its field path", async () => {
    await page.locator('[data-testid="upload"]').setInputFiles({ name: "bad-chip.yaml", mimeType: "text/yaml", buffer: Buffer.from("extends: nvidia-h100-sxm\nid: bad-chip\nmemory:\n  main:\n    bandwidth: -1 TB/s\n") });
    const item = page.locator('.workspace .error li[data-path="memory.main.bandwidth"]');
    await item.waitFor({ timeout: 10_000 });
    expect(await item.innerText()).toContain("bad-chip.yaml");
  }, 60_000);

  it("exports the figures (JSON, CSV) and the architecture (SVG)", async () => {
    const chip = catalog.chip("amd-mi300x");
    const json = await download(page, () => page.locator('.designer-figures [data-export="json"]').click());
    expect(json.name).toBe("chip-amd-mi300x.json");
    expect((JSON.parse(json.text) as { figures: unknown[] }).figures).toEqual(JSON.parse(JSON.stringify(chipFigures(chip))));
    const csv = await download(page, () => page.locator('.designer-figures [data-export="csv"]').click());
    expect(csv.text.split("\n")[0]).toBe("path,group,label,value,unit,source,derived,estimated,range_low,range_high,note");
    expect(csv.text).toContain(`memory.main.bandwidth_bytes_per_s,memory,main memory bandwidth,${chip.memory.main.bandwidth_bytes_per_s}`);
    const svg = await download(page, () => page.locator('.designer-arch [data-export="svg"]').click());
    expect(svg.text.startsWith("<svg")).toBe(true);
    expect(svg.text).toContain(chip.name);
  }, 60_000);

  it("the chip, the editor text and the array survive a reload; screenshot; no console errors", async () => {
    await setEditor(page, "extends: amd-mi300x\nname: kept across reloads\n");
    await page.waitForTimeout(400);
    await page.reload();
    await page.waitForSelector('[data-testid="figures-table"]', { timeout: 60_000 });
    expect(await page.locator('select[name="chip"]').inputValue()).toBe("amd-mi300x");
    expect(await page.locator('[data-testid="variant-yaml"]').inputValue()).toContain("kept across reloads");
    expect(await page.locator('input[name="rows"]').inputValue()).toBe("16");
    await page.waitForSelector('[data-testid="systolic-heatmap"][data-rendered="true"]', { timeout: 60_000 });
    await screenshot(page, "designer");
    expect(realErrors(errors)).toEqual([]);
  }, 120_000);
});
