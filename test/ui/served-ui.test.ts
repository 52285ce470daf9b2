/**
 * The built site served by the product's own server (`startUiServer`, what `xpusim ui` runs), with
 * its real Content-Security-Policy: the page loads, draws charts without eval, and picks up the spec
 * files named on the command line through the file API.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUiServer } from "../../src/server/index.js";
import { SITE, browserAvailable, launchBrowser, openPage, screenshot } from "./browser.js";

describe.skipIf(!browserAvailable)("the site served by xpusim ui", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startUiServer>>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-ui-"));
    const chip = join(dir, "h100-fast.yaml");
    writeFileSync(chip, "extends: nvidia-h100-sxm\nid: h100-fast\nname: H100 with 6.7 TB/s\nmemory:\n  main:\n    bandwidth: 6.7 TB/s\n");
    server = await startUiServer({ root: SITE, files: [chip, join(import.meta.dirname, "..", "..", "examples", "llama-inference.yaml")] });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads under the server's CSP, draws a chart, and offers the named chip file as a chip everywhere, and opens a named scenario in its view", async () => {
    const { page, errors } = await openPage(browser, `${server.url}#/compare?chips=nvidia-h100-sxm,h100-fast&model=llama-3.1-8b`);
    await page.waitForSelector('.workspace li:has-text("h100-fast")');
    await page.waitForSelector('[data-testid="compare-table"] tr[data-row="h100-fast"]');
    await page.waitForSelector('.chart[data-rendered="true"]');
    await screenshot(page, "served-ui-compare");
    // the named scenario file opens the view that answers it, with its inputs
    await page.click('.workspace li:has-text("llama-inference") a.open-scenario');
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('input[name="batch"]')?.value ?? "") === "16");
    await page.waitForSelector('[data-testid="compare-table"] tr[data-row="nvidia-h100-sxm"]');
    expect(await page.inputValue('input[name="input"]')).toBe("1024");
    expect(errors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
