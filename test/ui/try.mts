import { serveSite, launchBrowser, openPage } from "./browser.ts";
const site = await serveSite(); const b = await launchBrowser();
for (let i = 0; i < 3; i++) {
const { page } = await openPage(b, site.url + "#/compare");
await page.waitForSelector('[data-testid="compare-table"]', { timeout: 20000 });
const t = await page.evaluate(() => ({ now: performance.now(), marks: performance.getEntriesByType("mark").map((m) => `${m.name} ${m.startTime.toFixed(0)}`) }));
console.log(t.now.toFixed(0), t.marks.join(" | "), await page.locator('[data-testid="compute-ms"]').innerText());
await page.context().close();
}
await b.close(); await site.close();
