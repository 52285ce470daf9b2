/**
 * The Compare / assess view in a real browser: the ranked table and the factor assessment equal the
 * engine's for the same request; inputs change like a user changes them; a weight moved past the
 * flip point the assess job reports changes the top choice to the chip it names; missing data is
 * "—" with what is missing; a GEMM and a training comparison; URL state across a reload; JSON, CSV
 * and SVG downloads; a bad upload's field path; no console errors. Re-render timings are printed.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type AssessResult, type CompareRow, type FactorValue, JOBS, type OpEstimate } from "../../src/core/app/index.js";
import { fmtSi, fmtTime } from "../../src/core/report/table.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { assessRequest, compareRequest, opRequest } from "../../src/ui/views/compare/compare-requests.js";
import { COMPARE_DEFAULTS, type CompareState } from "../../src/ui/views/compare/compare-state.js";
import { browserAvailable, browserSuite, cancelWhileRunning, cell, download, openPage, screenshot } from "./browser.js";

const EXPECTED_404 = /api\/files|Failed to load resource: the server responded with a status of 404/;
const catalog = nodeCatalog();
const state = (patch: Partial<CompareState> = {}): CompareState => ({ ...COMPARE_DEFAULTS, ...patch });

/** The inference columns as the engine's numbers format (the CLI's formatters); "—" where the engine gives none. */
function expectedInferenceCells(r: CompareRow): Record<string, string> {
  const i = r.ok ? r.inference : undefined;
  return {
    tokens_per_s: fmtSi(i?.output_tokens_per_s),
    ttft: fmtTime(i?.ttft_s),
    tpot: fmtTime(i?.tpot_s),
    memory: fmtSi(i?.memory_per_chip_bytes, "B"),
    usd_per_mtok: fmtSi(r.ok ? r.usd_per_million_tokens : undefined),
    energy: fmtSi(i?.energy_j, "J"),
  };
}

/** A factor's value as the table shows it: three significant digits, or "— (missing: …)". */
function expectedFactorText(f: FactorValue): string {
  if (f.value === null) return `— (missing: ${f.missing!.join(", ")})`;
  const a = Math.abs(f.value);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? f.value.toExponential(2) : String(Number(f.value.toPrecision(3)));
}

async function rowKeys(page: Page, table: string): Promise<string[]> {
  return page.locator(`[data-testid="${table}"] tbody tr`).evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row")!));
}

async function expectCompareTable(page: Page, s: CompareState): Promise<void> {
  const expected = JOBS.compare.run(compareRequest(s), catalog);
  expect(await rowKeys(page, "compare-table")).toEqual(expected.rows.map((r) => r.chip));
  for (const r of expected.rows) {
    for (const [col, text] of Object.entries(expectedInferenceCells(r))) expect(await cell(page, "compare-table", r.chip, col), `${r.chip} ${col}`).toBe(text);
  }
}

async function expectAssessment(page: Page, expected: AssessResult): Promise<void> {
  await page.locator('[data-testid="top-choice"]').filter({ hasText: expected.ranking!.top ?? "none" }).waitFor({ timeout: 60_000 });
  for (const o of expected.ranking!.order) expect(await cell(page, "assess-ranking", o.chip, "score")).toBe(o.score === null ? expect.any(String) : o.score.toFixed(3));
  for (const c of expected.chips) {
    for (const k of expected.factor_keys) {
      const f = c.factors[k]!;
      expect(await cell(page, "factor-table", `${c.chip}/${k}`, "value"), `${c.chip} ${k}`).toBe(expectedFactorText(f));
      expect(await cell(page, "factor-table", `${c.chip}/${k}`, "rank")).toBe(f.rank === null ? "—" : String(f.rank));
    }
  }
}

/** Sets an input like typing does and waits until `watch`'s text changes; the elapsed time in the page, ms. */
async function timedChange(page: Page, input: string, value: string, watch: string): Promise<number> {
  return page.evaluate(
    async ([sel, v, w]) => {
      const el = document.querySelector<HTMLInputElement>(sel!)!;
      const target = document.querySelector(w!)!;
      const before = target.textContent;
      const t0 = performance.now();
      const changed = new Promise<void>((resolve) => {
        const mo = new MutationObserver(() => target.textContent !== before && (mo.disconnect(), resolve()));
        mo.observe(target, { subtree: true, characterData: true, childList: true });
      });
      el.value = v!;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      await changed;
      return performance.now() - t0;
    },
    [input, value, watch],
  );
}


describe.skipIf(!browserAvailable)("Compare / assess view", () => {
  const suite = browserSuite();
  const errors: string[] = [];
  const open = async (hash: string) => {
    const p = await openPage(suite.browser, `${suite.url}#/compare${hash}`);
    p.page.on("close", () => errors.push(...p.errors));
    return p.page;
  };

  it("shows the engine's ranked comparison, and re-renders llama-3.1-70b on 3 chips fast when the batch changes", async () => {
    const page = await open("");
    await page.waitForSelector('[data-testid="compare-table"] tbody tr');
    await expectCompareTable(page, state());
    const times: number[] = [];
    for (const batch of ["2", "4", "8", "16", "4"]) times.push(await timedChange(page, 'input[name="batch"]', batch, '[data-testid="compare-table"] tbody'));
    const median = [...times].sort((a, b) => a - b)[2]!;
    console.log(`compare view: re-render of llama-3.1-70b on 3 chips after a batch change: median ${median.toFixed(1)} ms (${times.map((t) => t.toFixed(1)).join(", ")})`);
    expect(median).toBeLessThan(500); // target 100 ms on a quiet machine; the printed figure is the measurement
    await expectCompareTable(page, state({ batch: "4" }));
    await page.waitForSelector('[data-testid="chart-throughput"][data-rendered="true"]');
    await page.close();
  }, 120_000);

  it("shows every factor as the assess job gives it, and a weight past the reported flip point changes the top choice to the chip it names", async () => {
    const page = await open("");
    const expected = JOBS.assess.run(assessRequest(state()), catalog);
    await expectAssessment(page, expected);
    const flip = expected.ranking!.flips.find((f) => f.increase)!;
    expect(flip.increase!.new_top).not.toBe(expected.ranking!.top);
    const past = String(Number((flip.increase!.at_weight * 1.05).toPrecision(3)));
    const start = flip.weight;
    const steps = [0.2, 0.4, 0.6, 0.8].map((f) => String(Number((start + f * (flip.increase!.at_weight - start)).toPrecision(3))));
    const times: number[] = [];
    for (const w of [...steps, past]) times.push(await timedChange(page, `#weight-${flip.factor}`, w, '[data-testid="assess-ranking"] tbody'));
    const median = [...times].sort((a, b) => a - b)[2]!;
    console.log(`compare view: re-rank after a ${flip.factor} weight change (no re-assessment): median ${median.toFixed(1)} ms (${times.map((t) => t.toFixed(1)).join(", ")})`);
    expect(median).toBeLessThan(500);
    expect(await page.locator('[data-testid="top-choice"] strong').innerText()).toBe(flip.increase!.new_top);
    const reweighted = JOBS.assess.run({ ...assessRequest(state()), weights: { [flip.factor]: Number(past) } }, catalog);
    expect(reweighted.ranking!.top).toBe(flip.increase!.new_top);
    for (const o of reweighted.ranking!.order) expect(await cell(page, "assess-ranking", o.chip, "score")).toBe(o.score!.toFixed(3));
    // the weight is in the URL: a reload re-assesses and keeps the new top choice
    await page.waitForFunction((k) => location.hash.includes(`w_${k}=`), flip.factor);
    await page.reload();
    await page.locator('[data-testid="top-choice"]').filter({ hasText: flip.increase!.new_top }).waitFor({ timeout: 60_000 });
    expect(await page.inputValue(`#weight-${flip.factor}`)).toBe(past);
    await page.waitForSelector('[data-testid="factor-chart"][data-rendered="true"]');
    await screenshot(page, "compare-view");
    await page.close();
  }, 120_000);

  it("shows a value the chip's data cannot support as — with what is missing, never 0, and leaves the factor out of every score", async () => {
    const s = state({ model: "llama-3.1-8b", count: "1", chips: "nvidia-h100-sxm,amd-mi325x" });
    const page = await open("?model=llama-3.1-8b&count=1&chips=nvidia-h100-sxm,amd-mi325x");
    const expected = JOBS.assess.run(assessRequest(s), catalog);
    expect(expected.chips[1]!.factors.cost!.value).toBeNull();
    await expectAssessment(page, expected);
    expect(await cell(page, "factor-table", "amd-mi325x/cost", "value")).toBe("— (missing: cost.price)");
    expect(await page.locator('[data-testid="excluded"]').innerText()).toContain("cost (missing for amd-mi325x)");
    await expectCompareTable(page, s);
    await page.close();
  }, 120_000);

  it("compares one GEMM across the chips as the op job prices it", async () => {
    const page = await open("");
    await page.waitForSelector('[data-testid="compare-table"] tbody tr');
    await page.selectOption('select[name="source"]', "op");
    await page.fill('input[name="m"]', "8192");
    await page.waitForSelector('[data-testid="op-table"] tbody tr');
    await page.waitForFunction(() => location.hash.includes("m=8192"));
    const expected = JOBS.op.run(opRequest(state({ source: "op", m: "8192" })), catalog) as OpEstimate[];
    for (const e of expected) {
      expect(await cell(page, "op-table", e.chip, "latency")).toBe(fmtTime(e.latency_s));
      expect(await cell(page, "op-table", e.chip, "bound")).toBe(e.bound);
      expect(await cell(page, "op-table", e.chip, "achieved")).toBe(fmtSi(e.achieved_flops_per_s, "FLOP/s"));
    }
    const csv = (await download(page, '[aria-label="export compare-gemm"] [data-export="csv"]')).text;
    expect(csv.split("\n")[0]).toBe("chip,latency,achieved,utilization,bound,bytes,energy,cost_model");
    expect(csv.split("\n").length).toBe(expected.length + 2);
    await page.close();
  }, 120_000);

  it("compares a training step, with the assessment running in the worker and cancellable", async () => {
    const s = state({ mode: "training", model: "llama-3.1-8b" });
    const page = await open("?mode=training&model=llama-3.1-8b");
    await page.waitForSelector('[data-testid="compare-table"] tbody tr');
    const expected = JOBS.compare.run(compareRequest(s), catalog);
    for (const r of expected.rows) expect(await cell(page, "compare-table", r.chip, "step_time")).toBe(fmtTime(r.ok ? r.training?.step_time_s : undefined));
    await cancelWhileRunning(page, ".progress");
    await page.getByText("Assessment cancelled").waitFor();
    await page.close();
  }, 120_000);

  it("downloads the results as JSON, the table as CSV and a chart as SVG", async () => {
    const page = await open("");
    await page.waitForSelector('[data-testid="chart-throughput"][data-rendered="true"]');
    const expected = JOBS.compare.run(compareRequest(state()), catalog);
    const json = JSON.parse((await download(page, '[aria-label="export compare-llama-3.1-70b"] [data-export="json"]')).text) as typeof expected;
    expect(json.rows.map((r) => r.chip)).toEqual(expected.rows.map((r) => r.chip));
    expect(json.rows[0]!.ok && json.rows[0]!.inference!.output_tokens_per_s).toBe(expected.rows[0]!.ok && expected.rows[0]!.inference!.output_tokens_per_s);
    const csv = (await download(page, '[aria-label="export compare-llama-3.1-70b"] [data-export="csv"]')).text;
    expect(csv.split("\n")[0]).toBe("chip,dtype,tokens_per_s,ttft,tpot,memory,fits,usd_per_mtok,energy");
    const svg = (await download(page, '[data-testid="chart-throughput"] ~ button[data-export="svg"]')).text;
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    await page.locator('[data-testid="top-choice"]').waitFor({ timeout: 60_000 });
    const assess = JSON.parse((await download(page, '[aria-label="export assess"] [data-export="json"]')).text) as AssessResult;
    expect(assess.ranking!.top).toBe(JOBS.assess.run(assessRequest(state()), catalog).ranking!.top);
    const factorSvg = (await download(page, '[data-testid="factor-chart"] ~ button[data-export="svg"]')).text;
    expect(factorSvg).toContain("rank (1 = best)");
    await page.close();
  }, 120_000);

  it("refuses a bad model upload with the field path of the error", async () => {
    const page = await open("");
    await page.waitForSelector('[data-testid="compare-table"] tbody tr');
    await page.setInputFiles('[data-testid="upload"]', { name: "bad-model.yaml", mimeType: "text/yaml", buffer: Buffer.from("id: bad-model\ncategory: decoder-llm\nhidden_size: lots\nlayers: 2\n") });
    const alert = page.locator('.workspace [role="alert"]');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/hidden_size/);
    await page.close();
  }, 60_000);

  it("logged no console errors", () => {
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
  });
});
