/**
 * The workbench shell in a real browser: first view time, re-render time for a 70B model, views by
 * keyboard, URL state across a reload, a phone-width layout, a bad upload's field-path error, and no
 * request leaving the site (offline-capable: no CDN, no remote fonts). Timings are printed.
 */
import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, expectBadUploadRefused, openPage, screenshot, serveSite } from "./browser.js";

const EXPECTED_404 = /api\/files|Failed to load resource: the server responded with a status of 404/;

describe.skipIf(!browserAvailable)("web workbench shell", () => {
  const suite = browserSuite();

  it("shows the first view with computed results fast, and re-renders a 70B comparison on an input change fast", async () => {
    // a warm-up load (the HTTP cache and Chromium's code cache, as a returning user has them)
    const warm = await openPage(suite.browser, `${suite.url}#/compare`);
    await warm.page.waitForSelector('[data-testid="compare-table"] tbody tr');
    await warm.page.context().close();

    const { page, errors } = await openPage(suite.browser, "about:blank");
    // marks the moment the results enter the page, and the first frame painted after it
    await page.addInitScript(() => {
      const mo = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="compare-table"] tbody tr')) return;
        mo.disconnect();
        performance.mark("test:results-in-page");
        requestAnimationFrame(() => setTimeout(() => performance.mark("test:results-painted"), 0));
      });
      document.addEventListener("DOMContentLoaded", () => mo.observe(document.body, { childList: true, subtree: true }));
    });
    await page.goto(`${suite.url}#/compare`);
    await page.waitForSelector('[data-testid="compare-table"] tbody tr');
    const firstView = await page.evaluate(() => performance.now()); // as the test driver first sees the results: the page answers it
    await page.waitForFunction(() => performance.getEntriesByName("test:results-painted").length > 0);
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)])));
    const rerender = await page.evaluate(async () => {
      const times: number[] = [];
      for (const batch of ["2", "4", "8", "16", "1"]) {
        await new Promise((r) => setTimeout(r, 400)); // a user's pace: the previous change's charts have settled
        const input = document.querySelector<HTMLInputElement>('input[name="batch"]')!;
        const body = document.querySelector('[data-testid="compare-table"] tbody')!;
        const before = body.textContent;
        const t0 = performance.now();
        const changed = new Promise<void>((resolve) => {
          const mo = new MutationObserver(() => body.textContent !== before && (mo.disconnect(), resolve()));
          mo.observe(body, { subtree: true, characterData: true, childList: true });
        });
        input.value = batch;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await changed;
        times.push(performance.now() - t0);
      }
      return times;
    });
    const median = [...rerender].sort((a, b) => a - b)[2]!;
    console.log(`first view: results painted ${marks["test:results-painted"]} ms after navigation, page answering the test driver at ${firstView.toFixed(0)} ms (marks ${JSON.stringify(marks)}); re-render of llama-3.1-70b on 3 chips after a batch change: median ${median.toFixed(1)} ms (${rerender.map((t) => t.toFixed(1)).join(", ")})`);
    expect(firstView).toBeLessThan(5000); // the target is 1 s on a quiet machine; the printed figure is the measurement
    expect(median).toBeLessThan(500);
    expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    await page.context().close();
  }, 90_000);

  it("switches views by keyboard and keeps inputs in the URL across a reload", async () => {
    const { page } = await openPage(suite.browser, suite.url);
    await page.waitForSelector('[data-testid="compare-table"]');
    const links = page.locator("nav a");
    expect(await links.count()).toBe(6);
    await page.locator('nav a[data-view="roofline"]').focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector('main[data-view="roofline"]');
    expect(await page.locator('nav a[aria-current="page"]').getAttribute("data-view")).toBe("roofline");
    await page.goBack();
    await page.waitForSelector('main[data-view="compare"]');

    await page.fill('input[name="batch"]', "4");
    await page.waitForFunction(() => location.hash.includes("batch=4"));
    // leaving the view through the menu and coming back keeps its inputs
    await page.click('nav a[data-view="training"]');
    await page.waitForSelector('main[data-view="training"]');
    await page.click('nav a[data-view="compare"]');
    await page.waitForSelector('[data-testid="compare-table"] tbody tr');
    expect(await page.inputValue('input[name="batch"]')).toBe("4");
    await page.reload();
    await page.waitForSelector('[data-testid="compare-table"] tbody tr');
    expect(await page.inputValue('input[name="batch"]')).toBe("4");
    await page.context().close();
  }, 60_000);

  it("fits a phone screen without sideways scrolling, and makes no request outside the site", async () => {
    const outside: string[] = [];
    const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    page.on("request", (r) => !r.url().startsWith(suite.url) && !r.url().startsWith("data:") && !r.url().startsWith("blob:") && outside.push(r.url()));
    for (const view of ["compare", "roofline", "training", "serving", "designer", "pipeline"]) {
      await page.goto(`${suite.url}#/${view}`);
      await page.waitForSelector(`main[data-view="${view}"] .results`);
      await page.waitForTimeout(1500); // results, charts and worker jobs settle
      // a mobile browser widens the layout viewport to fit wide content, so compare with the device width itself
      const width = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      expect(width, view).toEqual({ doc: 390, viewport: 390 });
      await screenshot(page, `shell-phone-${view}`);
    }
    expect(outside).toEqual([]);
    await context.close();
  }, 60_000);

  it("works from a static host's sub-folder (relative asset paths)", async () => {
    const nested = await serveSite("/tools/xpusim/");
    try {
      const { page, errors } = await openPage(suite.browser, `${nested.url}#/compare?batch=2`);
      await page.waitForSelector('[data-testid="compare-table"] tbody tr');
      expect(await page.inputValue('input[name="batch"]')).toBe("2");
      expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
      await page.context().close();
    } finally {
      await nested.close();
    }
  }, 60_000);

  it("refuses a bad chip upload with the field path of each error", async () => {
    const { page } = await openPage(suite.browser, `${suite.url}#/compare`);
    await page.waitForSelector('[data-testid="compare-table"]');
    await expectBadUploadRefused(page);
    expect(await page.locator(".workspace ul.specs").count()).toBe(0);
    await screenshot(page, "shell-bad-upload");
    await page.context().close();
  }, 60_000);
});
