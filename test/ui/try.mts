import { serveSite, launchBrowser } from "./browser.ts";
const site = await serveSite(); const b = await launchBrowser();
const context = await b.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
const page = await context.newPage();
for (const v of ["compare"]) {
await page.goto(`${site.url}#/${v}`);
await page.waitForTimeout(4000);
const wide = await page.evaluate(() => { const out: string[] = []; for (const el of Array.from(document.querySelectorAll("body *"))) { const r = el.getBoundingClientRect(); if (r.right > 392) out.push(`${el.tagName}.${(el as HTMLElement).className} ${Math.round(r.right)}`); } return { w: window.innerWidth, out: out.slice(0, 30) }; });
console.log(v, wide.w, wide.out.join(" | ")); console.log(await page.evaluate(() => { const f = document.querySelector(".chart-figure")!; let p: Element | null = f; const out: string[] = []; while (p) { const cs = getComputedStyle(p); out.push(`${p.tagName}.${(p as HTMLElement).className} w=${Math.round(p.getBoundingClientRect().width)} disp=${cs.display} minw=${cs.minWidth}`); p = p.parentElement; } return out.join("\n"); }));
}
await b.close(); await site.close();
