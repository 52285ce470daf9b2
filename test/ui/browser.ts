/**
 * The browser test harness: the built site (dist/ui, `npm run build:web`) served on 127.0.0.1 and
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Screenshots go to
 * test-artifacts/ui/ (a CI artefact, not a golden image). Each page records console errors and
 * uncaught exceptions, which a test asserts are none.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const ROOT = join(import.meta.dirname, "..", "..");
export const SITE = join(ROOT, "dist", "ui");
export const CHROMIUM = process.env.XPUSIM_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = join(ROOT, "test-artifacts", "ui");

/**
 * Whether to run the browser tests: where Chromium is installed and the site built — and always in
 * CI (`CI` set, as .ci/run does, which installs Chromium), so a missing browser or site fails there
 * instead of skipping. Elsewhere they skip with a note (install Debian's chromium to run them).
 */
export const browserAvailable = Boolean(process.env.CI) || (existsSync(CHROMIUM) && existsSync(join(SITE, "index.html")));
if (!browserAvailable) console.warn(`browser tests skipped: no ${CHROMIUM} or no dist/ui (apt-get install chromium; npm run build:web)`);

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".pack": "application/octet-stream" };

/** The policy `xpusim ui` serves the page with: no eval, no remote anything. */
export const CSP = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'";

/** A minimal static server for the built site (the product's own server, `xpusim ui`, has its own tests). */
export async function serveSite(prefix = "/"): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0]!;
    if (!url.startsWith(prefix)) return void res.writeHead(404).end("not found");
    const path = normalize(decodeURIComponent(`/${url.slice(prefix.length)}`)).replace(/^(\.\.[/\\])+/, "");
    let file = join(SITE, path === "/" ? "index.html" : path);
    if (!file.startsWith(SITE) || !existsSync(file) || statSync(file).isDirectory()) file = "";
    if (!file) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-security-policy": CSP }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export interface TestPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(browser: Browser, url: string, viewport = { width: 1366, height: 900 }): Promise<TestPage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

/**
 * Saves a full-page screenshot as a CI artefact. A screenshot is a record, not an assertion: one that
 * cannot be taken in time (a loaded machine) is reported, not failed.
 */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 45_000 });
    return file;
  } catch (e) {
    console.warn(`screenshot ${name} not taken: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    return undefined;
  }
}

/** The text of a results table cell: row key (data-row) and column key (data-col). */
export async function cell(page: Page, table: string, row: string, col: string): Promise<string> {
  return (await page.locator(`[data-testid="${table}"] tr[data-row="${row}"] td[data-col="${col}"]`).innerText()).trim();
}

export const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

/**
 * Presses the Cancel button of a running job's progress indicator (`progress`: its CSS selector) in
 * the same turn of the page's event loop as the check that it is still running, so a job that
 * finishes between a test driver's look and its click cannot make the test flaky.
 */
export async function cancelWhileRunning(page: Page, progress: string, stillRunning = ""): Promise<void> {
  await page.waitForFunction(
    ([selector, pattern]) => {
      const running = document.querySelector(selector!);
      if (!running || (pattern && !new RegExp(pattern).test(running.textContent ?? ""))) return false;
      running.querySelector<HTMLButtonElement>("button.cancel")!.click();
      return true;
    },
    [progress, stillRunning],
    { timeout: 60_000 },
  );
}

/**
 * The built site and one browser for a test file: started before its tests (vitest's beforeAll),
 * closed after them. Read `browser` and `url` inside tests (they exist once the suite has started).
 */
export function browserSuite(): { readonly browser: Browser; readonly url: string } {
  const started: { browser?: Browser; site?: Awaited<ReturnType<typeof serveSite>> } = {};
  beforeAll(async () => {
    started.site = await serveSite();
    started.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await started.browser?.close();
    await started.site?.close();
  });
  return {
    get browser() {
      return started.browser!;
    },
    get url() {
      return started.site!.url;
    },
  };
}

/** Clicks what starts a download (a selector, or a function that clicks) and returns the file's name and text. */
export async function download(page: Page, trigger: string | (() => Promise<unknown>)): Promise<{ name: string; text: string }> {
  const click = typeof trigger === "string" ? () => page.locator(trigger).first().click() : trigger;
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, "utf8") };
}

/** A chip file with a bad figure: what every view's upload must refuse, naming the field. */
export const BAD_CHIP_FILE = { name: "bad-chip.yaml", mimeType: "text/yaml", buffer: Buffer.from("extends: nvidia-h100-sxm\nid: bad-chip\nmemory:\n  main:\n    bandwidth: fast\n") };

/** Uploads BAD_CHIP_FILE and checks the workspace's alert names its field path (and that it was not added). */
export async function expectBadUploadRefused(page: Page): Promise<void> {
  await page.setInputFiles('[data-testid="upload"]', BAD_CHIP_FILE);
  const alert = page.locator('.workspace [role="alert"]');
  await alert.waitFor();
  const text = await alert.innerText();
  if (!/memory\.main\.bandwidth/.test(text)) throw new Error(`the upload error does not name memory.main.bandwidth: ${text}`);
  if ((await page.locator('.workspace ul.specs li:has-text("bad-chip")').count()) !== 0) throw new Error("the bad chip joined the workspace");
}
