/**
 * The serving planner in a real browser: the ranked deployments and the chosen one's simulation
 * equal the engine's for the same requests (run here in Node), a row chosen by keyboard is
 * simulated, an input change re-plans (timed), Cancel stops a running plan, bad input names its
 * field, the URL survives a reload, the exports download, and the console stays clean.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { JOBS, type PlanDeployment, type ServingPlan } from "../../src/core/app/index.js";
import { fmtBytes, fmtSi } from "../../src/core/report/table.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { deploymentKey, planRequestOf, SERVING_VIEW_DEFAULTS, simulationRequestOf } from "../../src/ui/views/serving/serving-request.js";
import { browserAvailable, browserSuite, cancelWhileRunning, cell, download, expectBadUploadRefused, openPage, screenshot } from "./browser.js";

const EXPECTED_404 = /api\/files|Failed to load resource: the server responded with a status of 404/;
const ROWS = '[data-testid="deployment-table"] tbody tr';
const ms = (s: number | undefined) => (s === undefined ? "—" : s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`);
const usd = (x: number | undefined) => (x === undefined ? "—" : `$${x < 10 ? x.toFixed(3) : x.toFixed(2)}`);
type State = typeof SERVING_VIEW_DEFAULTS;

async function expectPlan(page: Page, plan: ServingPlan) {
  expect(await page.locator(ROWS).count()).toBe(plan.deployments.length);
  for (const d of plan.deployments) {
    const k = deploymentKey(d);
    expect(await cell(page, "deployment-table", k, "ttft_p90")).toBe(ms(d.ttft_p90_s));
    expect(await cell(page, "deployment-table", k, "tpot_p90")).toBe(ms(d.tpot_p90_s));
    expect(await cell(page, "deployment-table", k, "usd_per_mtok")).toBe(usd(d.usd_per_million_tokens));
    expect(await cell(page, "deployment-table", k, "chips")).toBe(String(d.chips));
    expect(await cell(page, "deployment-table", k, "memory")).toBe(fmtBytes(d.memory_per_chip_bytes));
  }
}

/** The cards and latency table equal the engine's simulation of deployment `d`. */
async function expectSimulation(page: Page, s: State, d: PlanDeployment) {
  const r = JOBS.serving.run(simulationRequestOf(s, planRequestOf(s), d), nodeCatalog());
  const m = r.metrics!;
  const card = (id: string) => page.locator(`[data-card="${id}"] .value`).innerText();
  await page.waitForFunction((chips) => document.querySelector('[data-card="chips"] .value')?.textContent === chips && !document.querySelector('[data-testid="simulation-status"] .progress'), String(d.chips), { timeout: 90_000 });
  expect(await card("ttft_p99")).toBe(ms(m.ttft_s.p99));
  expect(await card("tpot_p99")).toBe(ms(m.tpot_s.p99));
  expect(await card("throughput")).toBe(`${fmtSi(m.throughput.output_tokens_per_s * d.replicas)} tok/s`);
  expect(await card("usd_per_mtok")).toBe(usd(d.usd_per_million_tokens));
  expect(await cell(page, "latency-table", "TTFT", "p90")).toBe(ms(d.ttft_p90_s));
  expect(await cell(page, "latency-table", "TPOT", "p50")).toBe(ms(m.tpot_s.p50));
}


describe.skipIf(!browserAvailable)("serving planner view", () => {
  const suite = browserSuite();
  const plan = (s: State) => JOBS["serving-plan"].run(planRequestOf(s), nodeCatalog());

  it("shows the engine's deployments and simulation, simulates a keyboard-chosen deployment, and re-plans on an input change", async () => {
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/serving`);
    await page.waitForSelector(ROWS, { timeout: 90_000 });
    const expected = plan(SERVING_VIEW_DEFAULTS);
    expect(expected.deployments.length).toBeGreaterThan(2);
    await expectPlan(page, expected);
    await expectSimulation(page, SERVING_VIEW_DEFAULTS, expected.deployments[0]!);
    await page.waitForSelector('[data-testid="timeline-chart"][data-rendered="true"]');
    await page.waitForSelector('[data-testid="ttft-chart"][data-rendered="true"]');

    const third = expected.deployments[2]!;
    await page.locator(`${ROWS}[data-row="${deploymentKey(third)}"]`).focus();
    await page.keyboard.press("Enter");
    await expectSimulation(page, SERVING_VIEW_DEFAULTS, third);
    expect(await page.locator(`${ROWS}[data-row="${deploymentKey(third)}"]`).getAttribute("aria-selected")).toBe("true");

    const s2 = { ...SERVING_VIEW_DEFAULTS, rate: "20/s" };
    const t0 = await page.evaluate(() => performance.now());
    await page.fill('input[name="rate"]', "20/s");
    await page.waitForFunction(() => document.querySelector('[data-testid="plan-results"] .summary')?.textContent?.includes("20/s requests") && !document.querySelector('[data-testid="plan-status"] .progress'), undefined, { timeout: 90_000 });
    const planMs = (await page.evaluate(() => performance.now())) - t0;
    const p2 = plan(s2);
    await expectPlan(page, p2);
    await expectSimulation(page, s2, p2.deployments[0]!);
    console.log(`serving planner: rate 5/s → 20/s → new plan shown ${planMs.toFixed(0)} ms (worker)`);
    await screenshot(page, "serving-view");
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 300_000);

  it("keeps the inputs and the chosen deployment across a reload, and exports JSON, CSV and SVG", async () => {
    const s = { ...SERVING_VIEW_DEFAULTS, output: "128" };
    const expected = plan(s);
    const second = expected.deployments[1]!;
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/serving?output=128`);
    await page.waitForSelector(ROWS, { timeout: 90_000 });
    await page.click(`${ROWS}[data-row="${deploymentKey(second)}"]`);
    await page.waitForFunction(() => location.hash.includes("pick="));
    await page.reload();
    await page.waitForSelector(ROWS, { timeout: 90_000 });
    expect(await page.inputValue('input[name="output"]')).toBe("128");
    expect(await page.locator(`${ROWS}[data-row="${deploymentKey(second)}"]`).getAttribute("aria-selected")).toBe("true");
    await expectSimulation(page, s, second);

    const json = await download(page, '[data-testid="plan-results"] > .exports [data-export="json"]');
    expect(json.name).toBe("serving-plan-llama-3.1-8b.json");
    expect((JSON.parse(json.text) as ServingPlan).deployments.map((d) => d.usd_per_million_tokens)).toEqual(expected.deployments.map((d) => d.usd_per_million_tokens));
    const csv = await download(page, '[data-testid="plan-results"] > .exports [data-export="csv"]');
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe("rank,chip,precision,layout,chips,max_num_seqs,ttft_p90,tpot_p90,usd_per_hour,usd_per_mtok,memory,meets_slo");
    expect(lines).toHaveLength(expected.deployments.length + 1);
    const simJson = await download(page, '[data-testid="simulation"] .exports [data-export="json"]');
    expect(JSON.parse(simJson.text).metrics.ttft_s.p90).toBe(second.ttft_p90_s);
    await page.waitForSelector('[data-testid="ttft-chart"][data-rendered="true"]');
    const svg = await download(page, '[data-testid="simulation"] .chart-row figure:first-child [data-export="svg"]');
    expect(svg.name).toBe("serving-ttft.svg");
    expect(svg.text).toMatch(/^<svg[\s\S]*p99/);
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 240_000);

  it("names the field of a bad input", async () => {
    const { page } = await openPage(suite.browser, `${suite.url}#/serving`);
    await page.fill('input[name="slo"]', "ttft=fast");
    expect(await page.locator('.results [role="alert"] code.path').innerText()).toBe("slo");
    await page.fill('input[name="slo"]', "ttft=500ms");
    await page.fill('input[name="rate"]', "inf");
    expect(await page.locator('.results [role="alert"] code.path').innerText()).toBe("rate");
    await page.context().close();
  }, 60_000);

  it("refuses a bad chip upload with its field path", async () => {
    const { page } = await openPage(suite.browser, `${suite.url}#/serving`);
    await expectBadUploadRefused(page);
    await page.context().close();
  }, 60_000);

  it("plans and simulates on an uploaded chip variant (its spec inline in both requests)", async () => {
    const text = readFileSync(new URL("../../examples/h100-fast.yaml", import.meta.url), "utf8");
    const s = { ...SERVING_VIEW_DEFAULTS, chips: "h100-fast", precisions: "fp8" };
    const expected = JOBS["serving-plan"].run({ ...planRequestOf(s), chips: [{ id: "h100-fast", ...(parseYaml(text) as object) }] }, nodeCatalog());
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/serving?chips=h100-fast&precisions=fp8`);
    await page.setInputFiles('[data-testid="upload"]', { name: "h100-fast.yaml", mimeType: "text/yaml", buffer: Buffer.from(text) });
    await page.waitForSelector('.workspace li:has-text("h100-fast")');
    const first = expected.deployments[0]!;
    await page.waitForSelector(`${ROWS}[data-row="${deploymentKey(first)}"]`, { timeout: 90_000 });
    await expectPlan(page, expected);
    await page.waitForFunction(() => document.querySelector('[data-card="ttft_p99"] .value')?.textContent !== undefined && !document.querySelector('[data-testid="simulation-status"] .progress'), undefined, { timeout: 90_000 });
    expect(await cell(page, "latency-table", "TTFT", "p90")).toBe(ms(first.ttft_p90_s));
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it("stops a running plan on Cancel: the progress goes and no result of it appears", async () => {
    const { page, errors } = await openPage(suite.browser, `${suite.url}#/serving?model=llama-3.1-70b&rate=20/s&precisions=bf16,fp8,int8,w4a16&chips=nvidia-h100-sxm,amd-mi300x,nvidia-a100-sxm-80gb,amd-mi325x`);
    const progress = page.locator('[data-testid="plan-status"] .progress');
    await cancelWhileRunning(page, '[data-testid="plan-status"] .progress');
    await page.waitForSelector('[data-testid="plan-status-cancelled"]');
    expect(await progress.count()).toBe(0);
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-testid="plan-results"]').count()).toBe(0);
    await screenshot(page, "serving-view-cancelled");
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 120_000);
});
