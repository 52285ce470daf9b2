/**
 * The training planner in a real browser: the ranked layouts and the scaling curve equal the
 * engine's for the same request (run here in Node), a row chosen by keyboard shows its breakdowns,
 * an input change re-runs the search (timed), Cancel stops a running search, a bad upload shows its
 * field path, the URL survives a reload, the exports download, and the console stays clean.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { JOBS, layoutLabel, type TrainingSearchResult } from "../../src/core/app/index.js";
import { fmtBytes, fmtPct, fmtTime } from "../../src/core/report/table.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { scalingRequestOf, searchRequestOf, TRAINING_VIEW_DEFAULTS } from "../../src/ui/views/training/training-request.js";
import { browserAvailable, browserSuite, cancelWhileRunning, cell, download, expectBadUploadRefused, openPage, screenshot } from "./browser.js";

const EXPECTED_404 = /api\/files|Failed to load resource: the server responded with a status of 404/;
const ROWS = '[data-testid="layout-table"] tbody tr';

/** The shown layout table equals the engine's ranking, cell by cell. */
async function expectTable(page: Page, r: TrainingSearchResult) {
  expect(await page.locator(ROWS).count()).toBe(r.top.length);
  for (const e of r.top) {
    const key = layoutLabel(e.layout);
    expect(await cell(page, "layout-table", key, "step_time")).toBe(fmtTime(e.step_time_s));
    expect(await cell(page, "layout-table", key, "mfu")).toBe(fmtPct(e.mfu));
    expect(await cell(page, "layout-table", key, "memory")).toBe(fmtBytes(e.memory_per_chip_bytes));
    expect(await cell(page, "layout-table", key, "dp")).toBe(String(e.layout.dp));
  }
  expect(await page.locator(`${ROWS} td[data-col="layout"]`).allInnerTexts()).toEqual(r.top.map((e) => layoutLabel(e.layout)));
}


describe.skipIf(!browserAvailable)("training planner view", () => {
  const suite = browserSuite();
  const catalog = nodeCatalog();
  const search = (s: Partial<typeof TRAINING_VIEW_DEFAULTS>) => JOBS["training-search"].run(searchRequestOf({ ...TRAINING_VIEW_DEFAULTS, ...s }), catalog);

  it("shows the engine's layouts and scaling curve, a keyboard-chosen layout's breakdowns, and re-runs on an input change", async () => {
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/training`);
    await page.waitForSelector(ROWS, { timeout: 90_000 });
    const expected = search({});
    await expectTable(page, expected);

    const scaling = JOBS.scaling.run(scalingRequestOf(TRAINING_VIEW_DEFAULTS), catalog);
    await page.waitForSelector('[data-testid="scaling-table"] tbody tr', { timeout: 90_000 });
    for (const p of scaling.points) {
      expect(await cell(page, "scaling-table", String(p.chips), "step_time")).toBe(fmtTime(p.step_time_s));
      expect(await cell(page, "scaling-table", String(p.chips), "efficiency")).toBe(fmtPct(p.scaling_efficiency));
    }
    await page.waitForSelector('[data-testid="scaling-chart"][data-rendered="true"]');

    // the third layout, by keyboard: its memory and step breakdowns
    const third = expected.top[2]!;
    const key = layoutLabel(third.layout);
    await page.locator(`${ROWS}[data-row="${key}"]`).focus();
    const pickMs = await page.evaluate(async (k) => {
      const t0 = performance.now();
      const shown = new Promise<void>((resolve) => {
        const mo = new MutationObserver(() => document.querySelector(`[data-testid="training-detail"][data-layout="${k}"]`) && (mo.disconnect(), resolve()));
        mo.observe(document.body, { subtree: true, attributes: true, childList: true });
      });
      document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
      await shown;
      return performance.now() - t0;
    }, key);
    expect(await page.locator(`${ROWS}[data-row="${key}"]`).getAttribute("aria-selected")).toBe("true");
    await page.waitForSelector('[data-testid="training-step-chart"][data-rendered="true"]');
    expect(await page.locator('[data-testid="training-step-chart"]').innerText()).toContain(`Step time: ${(third.step_time_s * 1e3).toPrecision(4)} ms`);
    expect(await page.locator('[data-testid="training-memory-chart"]').innerText()).toContain(`Memory per chip: ${(third.memory_per_chip_bytes / 2 ** 30).toFixed(1)} of`);

    // 16 chips: the search runs again in the worker
    const t1 = await page.evaluate(() => performance.now());
    await page.fill('input[name="chips"]', "16");
    await page.waitForFunction(() => document.querySelector('[data-testid="search-results"] .summary')?.textContent?.includes("on 16 ×") && !document.querySelector('[data-testid="search-status"] .progress'), undefined, { timeout: 90_000 });
    const searchMs = (await page.evaluate(() => performance.now())) - t1;
    await expectTable(page, search({ chips: "16" }));
    console.log(`training planner: layout chosen (Enter) → its breakdown shown ${pickMs.toFixed(1)} ms (main thread); chips 8 → 16 → new layout search shown ${searchMs.toFixed(0)} ms (worker)`);
    await screenshot(page, "training-view");
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 240_000);

  it("keeps the inputs and the chosen layout across a reload, and exports JSON, CSV and SVG", async () => {
    const expected = search({ batch: "64" });
    const key = layoutLabel(expected.top[1]!.layout);
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/training?batch=64`);
    await page.waitForSelector(ROWS, { timeout: 90_000 });
    await page.click(`${ROWS}[data-row="${key}"]`);
    await page.waitForFunction(() => location.hash.includes("pick="));
    await page.reload();
    await page.waitForSelector(`[data-testid="training-detail"][data-layout="${key}"]`, { timeout: 90_000 });
    expect(await page.inputValue('input[name="batch"]')).toBe("64");

    const json = await download(page, '[data-testid="search-results"] [data-export="json"]');
    expect(json.name).toBe("training-search-llama-3.1-8b-8xnvidia-h100-sxm.json");
    expect((JSON.parse(json.text) as TrainingSearchResult).top.map((e) => e.step_time_s)).toEqual(expected.top.map((e) => e.step_time_s));
    const csv = await download(page, '[data-testid="search-results"] [data-export="csv"]');
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe("rank,layout,tp,pp,dp,microbatch,zero,recompute,step_time,tokens_per_s,mfu,memory,fits");
    expect(lines).toHaveLength(expected.top.length + 1);
    expect(lines[2]).toContain(`2,${key},`);
    await page.waitForSelector('[data-testid="training-step-chart"][data-rendered="true"]');
    const svg = await download(page, '[data-testid="training-detail"] figure:nth-of-type(2) [data-export="svg"]');
    expect(svg.name).toBe("training-step.svg");
    expect(svg.text).toMatch(/^<svg[\s\S]*Step time/);
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 180_000);

  it("refuses a bad chip upload with its field path", async () => {
    const { page } = await openPage(suite.browser, `${suite.url}#/training`);
    await expectBadUploadRefused(page);
    await page.context().close();
  }, 60_000);

  it("searches layouts on an uploaded chip variant (its spec inline in the request)", async () => {
    const text = readFileSync(new URL("../../examples/h100-fast.yaml", import.meta.url), "utf8");
    const inline = { id: "h100-fast", ...(parseYaml(text) as object) };
    const expected = JOBS["training-search"].run({ ...searchRequestOf(TRAINING_VIEW_DEFAULTS), chip: inline }, catalog);
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/training?chip=h100-fast`);
    await page.setInputFiles('[data-testid="upload"]', { name: "h100-fast.yaml", mimeType: "text/yaml", buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.querySelector('[data-testid="search-results"] .summary')?.textContent?.includes("h100-fast") && !document.querySelector('[data-testid="search-status"] .progress'), undefined, { timeout: 90_000 });
    await expectTable(page, expected);
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it("names the field of a bad input", async () => {
    const { page } = await openPage(suite.browser, `${suite.url}#/training`);
    await page.fill('input[name="chips"]', "0");
    expect(await page.locator('.results [role="alert"] code.path').innerText()).toBe("chips");
    expect(await page.locator('.results [role="alert"]').innerText()).toContain("chips must be a positive whole number");
    expect(await page.locator('[data-testid="search-results"]').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it("stops a running search on Cancel: the progress goes and no result of it appears; the scaling curve counts its chip counts", async () => {
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/training?model=mixtral-8x22b&chips=1024&batch=2048&seq=8192&counts=256,512,1024,2048`);
    const progress = page.locator('[data-testid="search-status"] .progress');
    await cancelWhileRunning(page, '[data-testid="search-status"] .progress');
    await page.waitForSelector('[data-testid="search-status-cancelled"]');
    expect(await progress.count()).toBe(0);
    // the scaling curve (queued behind the search) goes on in a fresh worker, count by count, until cancelled too
    await cancelWhileRunning(page, '[data-testid="scaling-status"] .progress', "\\([0-3]\\/4\\)");
    await page.waitForSelector('[data-testid="scaling-status-cancelled"]');
    await page.waitForTimeout(1500); // no late result of either run appears
    expect(await page.locator('[data-testid="search-results"]').count()).toBe(0);
    expect(await page.locator('[data-testid="search-status"] .progress').count()).toBe(0);
    expect(await page.locator('[data-testid="scaling-table"]').count()).toBe(0);
    await screenshot(page, "training-view-cancelled");
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 120_000);
});
