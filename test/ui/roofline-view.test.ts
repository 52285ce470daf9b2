/**
 * The Roofline view in a real browser: the ops table equals the breakdown job's per-op numbers (and
 * the op job's for one GEMM); each op point on the chart is coloured by its bound and its tooltip
 * names the op; inputs change like a user changes them; URL state across a reload; JSON, CSV and SVG
 * downloads; a bad upload's field path; no console errors. The re-render time is printed.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type BreakdownResult, JOBS, type OpEstimate } from "../../src/core/app/index.js";
import { BOUND_COLOURS } from "../../src/core/charts/palette.js";
import { fmtSi, fmtTime } from "../../src/core/report/table.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { breakdownRequest, gemmRequest } from "../../src/ui/views/roofline/roofline-requests.js";
import { ROOFLINE_DEFAULTS, type RooflineState } from "../../src/ui/views/roofline/roofline-state.js";
import { browserAvailable, browserSuite, cell, download, expectBadUploadRefused, openPage, screenshot } from "./browser.js";

const EXPECTED_404 = /api\/files|Failed to load resource: the server responded with a status of 404/;
const catalog = nodeCatalog();
const state = (patch: Partial<RooflineState> = {}): RooflineState => ({ ...ROOFLINE_DEFAULTS, ...patch });
const POINTS = '[data-testid="roofline-chart"] g.mark-symbol.role-mark path';

interface OpNumbers {
  name: string;
  flops: number;
  bytes: number;
  time_s: number;
  bound: string;
}

const passOps = (p: BreakdownResult): OpNumbers[] => p.ops.map((r) => ({ name: `${r.block}/${r.op}`, flops: r.flops, bytes: r.bytes, time_s: r.time_s, bound: r.bound }));

/** Each op's row as the engine's numbers format (the CLI's formatters); "—" where a ratio has no denominator. */
async function expectOpsTable(page: Page, ops: readonly OpNumbers[]): Promise<void> {
  const keys = await page.locator('[data-testid="roofline-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row")));
  expect(keys).toEqual(ops.map((o) => o.name));
  for (const o of ops) {
    const want = { flops: fmtSi(o.flops), bytes: fmtSi(o.bytes, "B"), time: fmtTime(o.time_s), intensity: fmtSi(o.bytes > 0 ? o.flops / o.bytes : undefined), achieved: fmtSi(o.time_s > 0 ? o.flops / o.time_s : undefined, "FLOP/s"), bound: o.bound };
    for (const [col, text] of Object.entries(want)) expect(await cell(page, "roofline-table", o.name, col), `${o.name} ${col}`).toBe(text);
  }
}


describe.skipIf(!browserAvailable)("Roofline view", () => {
  const suite = browserSuite();
  const errors: string[] = [];
  const open = async (hash: string) => {
    const p = await openPage(suite.browser, `${suite.url}#/roofline${hash}`);
    p.page.on("close", () => errors.push(...p.errors));
    return p.page;
  };

  it("places each op of the pass as the breakdown job prices it, coloured by its bound, with its numbers on hover", async () => {
    const page = await open("");
    await page.waitForSelector('[data-testid="roofline-chart"][data-rendered="true"]');
    const ops = passOps(JOBS.breakdown.run(breakdownRequest(state()), catalog));
    await expectOpsTable(page, ops);
    const placed = ops.filter((o) => o.flops > 0 && o.bytes > 0 && o.time_s > 0);
    const points = page.locator(POINTS);
    expect(await points.count()).toBe(placed.length);
    const bounds = new Set<string>();
    for (let i = 0; i < placed.length; i++) {
      const box = (await points.nth(i).boundingBox())!;
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      await page.mouse.move(x, y);
      const tip = (await page.locator('[data-testid="roofline-chart"]').getAttribute("title")) ?? "";
      const name = /^op: (.+)$/m.exec(tip)?.[1];
      const op = placed.find((o) => o.name === name);
      expect(op, `tooltip ${tip}`).toBeDefined();
      expect(tip).toContain(`bound: ${op!.bound}`);
      expect(tip).toMatch(/FLOPs: .+\nbytes: .+\ntime \(s\): .+\nintensity \(FLOP\/byte\): .+\nachieved FLOP\/s: .+/);
      // the point under the pointer (overlapping ops may cover each other) is coloured by that op's bound
      const fill = await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.getAttribute("fill") ?? "", [x, y]);
      expect(fill.toLowerCase()).toBe(BOUND_COLOURS[op!.bound]!.toLowerCase());
      bounds.add(op!.bound);
    }
    expect([...bounds].sort()).toEqual([...new Set(placed.map((o) => o.bound))].sort());
    await screenshot(page, "roofline-view");
    await page.close();
  }, 120_000);

  it("re-prices a decode step of llama-3.1-70b when the inputs change, fast", async () => {
    const page = await open("?model=llama-3.1-70b");
    await page.waitForSelector('[data-testid="roofline-table"] tbody tr');
    await page.selectOption('select[name="phase"]', "decode");
    await page.fill('input[name="tokens"]', "4096");
    const ms = await page.evaluate(async () => {
      const el = document.querySelector<HTMLInputElement>('input[name="batch"]')!;
      const body = document.querySelector('[data-testid="roofline-table"] tbody')!;
      const before = body.textContent;
      const t0 = performance.now();
      const changed = new Promise<void>((resolve) => {
        const mo = new MutationObserver(() => body.textContent !== before && (mo.disconnect(), resolve()));
        mo.observe(body, { subtree: true, characterData: true, childList: true });
      });
      el.value = "16";
      el.dispatchEvent(new Event("input", { bubbles: true }));
      await changed;
      return performance.now() - t0;
    });
    console.log(`roofline view: re-render of llama-3.1-70b decode ops after a batch change: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(500); // target 100 ms on a quiet machine; the printed figure is the measurement
    const s = state({ model: "llama-3.1-70b", phase: "decode", tokens: "4096", batch: "16" });
    await expectOpsTable(page, passOps(JOBS.breakdown.run(breakdownRequest(s), catalog)));
    await page.waitForFunction(() => location.hash.includes("batch=16") && location.hash.includes("phase=decode"));
    await page.reload();
    await page.waitForSelector('[data-testid="roofline-table"] tbody tr');
    expect(await page.inputValue('input[name="tokens"]')).toBe("4096");
    await expectOpsTable(page, passOps(JOBS.breakdown.run(breakdownRequest(s), catalog)));
    await page.close();
  }, 120_000);

  it("places one GEMM as the op job prices it", async () => {
    const page = await open("?source=op&m=512&dtype=fp8");
    await page.waitForSelector('[data-testid="roofline-chart"][data-rendered="true"]');
    const g = JOBS.op.run(gemmRequest(state({ source: "op", m: "512", dtype: "fp8" })), catalog) as OpEstimate;
    await expectOpsTable(page, [{ name: g.op, flops: g.flops, bytes: g.bytes, time_s: g.latency_s, bound: g.bound }]);
    expect(g.flops).toBe(2 * 512 * 4096 * 4096);
    expect(await page.locator(POINTS).count()).toBe(1);
    await page.close();
  }, 120_000);

  it("downloads the ops as JSON and CSV and the chart as SVG", async () => {
    const page = await open("");
    await page.waitForSelector('[data-testid="roofline-chart"][data-rendered="true"]');
    const pass = JOBS.breakdown.run(breakdownRequest(state()), catalog);
    const json = JSON.parse((await download(page, '[aria-label="export roofline-nvidia-h100-sxm"] [data-export="json"]')).text) as { roofline: { ops: unknown[]; memory_bandwidth_bytes_per_s: number }; result: BreakdownResult };
    expect(json.result.time_s).toBe(pass.time_s);
    expect(json.roofline.ops.length).toBe(pass.ops.length);
    expect(json.roofline.memory_bandwidth_bytes_per_s).toBe(catalog.chip("nvidia-h100-sxm").memory.main.bandwidth_bytes_per_s);
    const csv = (await download(page, '[aria-label="export roofline-nvidia-h100-sxm"] [data-export="csv"]')).text;
    expect(csv.split("\n")[0]).toBe("op,kind,repeat,flops,bytes,time,intensity,achieved,bound");
    expect(csv.trim().split("\n").length).toBe(pass.ops.length + 1);
    const svg = (await download(page, '[data-testid="roofline-chart"] ~ button[data-export="svg"]')).text;
    expect(svg).toMatch(/^<svg[\s\S]*Roofline: nvidia-h100-sxm[\s\S]*<\/svg>\s*$/);
    await page.close();
  }, 120_000);

  it("refuses a bad chip upload with the field path of the error", async () => {
    const page = await open("");
    await page.waitForSelector('[data-testid="roofline-table"] tbody tr');
    await expectBadUploadRefused(page);
    await page.close();
  }, 60_000);

  it("logged no console errors", () => {
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
  });
});
