/**
 * The web UI's local server (src/server), over real HTTP on 127.0.0.1: the built site's files with
 * their types and caching, the API over the files named at start (and nothing else on disk), the raw
 * request checks (traversal in many spellings sent byte for byte, methods, body size, Host), the
 * security headers, 1,000 concurrent requests, and `xpusim ui` as a program (start, serve, SIGINT).
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect, createServer as createTcpServer } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, MAX_API_FILE_BYTES, MAX_BODY_BYTES, startUiServer, type UiServer } from "../src/server/index.js";

const FIXTURE_SITE = join(import.meta.dirname, "fixtures", "ui-site");
const SECRET = "TOP-SECRET-6d1f0c";
const CHIP_TEXT = "id: my-chip\nextends: nvidia-h100-sxm\nname: Mine ✓\n";

/** A copy of the fixture site in a temporary folder, a secret file beside it, and symlinks in and out of it. */
function makeSite(): { dir: string; root: string; chip: string; model: string; big: string } {
  const dir = mkdtempSync(join(tmpdir(), "xpusim-ui-"));
  const root = join(dir, "site");
  cpSync(FIXTURE_SITE, root, { recursive: true });
  writeFileSync(join(dir, "secret.txt"), SECRET);
  writeFileSync(join(root, ".env"), SECRET);
  symlinkSync(join(dir, "secret.txt"), join(root, "escape.txt"));
  symlinkSync(dir, join(root, "outside"));
  symlinkSync(join(root, "index.html"), join(root, "inside.html"));
  const chip = join(dir, "chip.yaml");
  const model = join(dir, "model.json");
  const big = join(dir, "big.json");
  writeFileSync(chip, CHIP_TEXT);
  writeFileSync(model, '{"id":"m"}');
  writeFileSync(big, Buffer.alloc(MAX_API_FILE_BYTES + 1, 0x20));
  return { dir, root, chip, model, big };
}

interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** Sends bytes as they are (no URL normalisation) and reads the whole answer. */
function raw(port: number, bytes: string | Buffer): Promise<RawAnswer> {
  return new Promise((done, fail) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("error", fail);
    socket.on("close", () => {
      const split = text.indexOf("\r\n\r\n");
      done({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(bytes); // not end(): a half-closed socket makes Node drop the answer still being made
  });
}
const rawGet = (port: number, target: string, host = `127.0.0.1:${port}`) => raw(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

describe("UI server", () => {
  let site: ReturnType<typeof makeSite>;
  let server: UiServer;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);

  beforeAll(async () => {
    site = makeSite();
    server = await startUiServer({ root: site.root, files: [site.chip, site.model, site.big] });
  });
  afterAll(() => server?.close());

  it("binds 127.0.0.1 on a free port by default, and is not reachable on other addresses", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.exposedToNetwork).toBe(false);
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal);
    if (external) {
      const refused = await new Promise<string>((done) => {
        const s = connect(server.port, external.address);
        s.on("connect", () => (s.destroy(), done("connected")));
        s.on("error", (e: NodeJS.ErrnoException) => done(e.code ?? "error"));
      });
      expect(refused).toBe("ECONNREFUSED");
    }
  });

  it("serves index.html at / and the assets with their types, caching and security headers", async () => {
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    expect(html).toContain("FIXTURE-INDEX");
    expect(html).toMatch(/<meta name="xpusim-api" content="files">\s*<\/head>/); // the page asks for the file API only when this is there
    const cases: Array<[string, string, string]> = [
      ["/index.html", "text/html; charset=utf-8", "no-cache"],
      ["/assets/app-3f2a1b.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"],
      ["/assets/app-3f2a1b.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"],
      ["/assets/logo.svg", "image/svg+xml", "public, max-age=31536000, immutable"],
      ["/catalog.pack", "application/octet-stream", "no-cache"],
      ["/inside.html", "text/html; charset=utf-8", "no-cache"],
    ];
    for (const [path, type, cache] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("content-type"), path).toBe(type);
      expect(r.headers.get("cache-control"), path).toBe(cache);
      expect(r.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(r.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(r.headers.get("content-security-policy"), path).toBe(CONTENT_SECURITY_POLICY);
      await r.arrayBuffer();
    }
    expect(await (await get("/assets/app-3f2a1b.js")).text()).toBe('console.log("FIXTURE-APP");\n');
    expect(new Uint8Array(await (await get("/catalog.pack")).arrayBuffer())).toEqual(new Uint8Array([...Buffer.from("FIXTURE-PACK"), 0, 1, 2]));
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'; script-src 'self'; worker-src 'self' blob:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'/);
  });

  it("answers HEAD like GET without a body", async () => {
    const head = await raw(server.port, "HEAD /assets/app-3f2a1b.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(head.status).toBe(200);
    expect(head.head).toMatch(/content-type: text\/javascript; charset=utf-8/i);
    expect(head.head).toMatch(/content-length: 28/i);
    expect(head.body).toBe("");
  });

  it("lists the named files by index, base name and size, and returns each one's text, read at request time", async () => {
    const list = await get("/api/files");
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toMatch(/^application\/json/);
    expect(list.headers.get("cache-control")).toBe("no-store");
    const body = await list.text();
    expect(JSON.parse(body)).toEqual([
      { index: 0, name: "chip.yaml", bytes: Buffer.byteLength(CHIP_TEXT) },
      { index: 1, name: "model.json", bytes: 10 },
      { index: 2, name: "big.json", bytes: MAX_API_FILE_BYTES + 1 },
    ]);
    expect(body).not.toContain(site.dir);
    expect(await (await get("/api/files/0")).json()).toEqual({ name: "chip.yaml", text: CHIP_TEXT });
    expect(await (await get("/api/files/1")).json()).toEqual({ name: "model.json", text: '{"id":"m"}' });
    writeFileSync(site.model, '{"id":"edited"}');
    expect(await (await get("/api/files/1")).json()).toEqual({ name: "model.json", text: '{"id":"edited"}' });
    const big = await get("/api/files/2");
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/big\.json .*over the 8388608-byte limit/);
  });

  it("reaches no other file through the API: other indices, non-numbers and other routes are 404 JSON", async () => {
    for (const path of ["/api/files/3", "/api/files/-1", "/api/files/01", "/api/files/abc", "/api/files/1e0", "/api/files/0/x", "/api/other", "/api/", "/api"]) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      const body = (await r.json()) as { error: string };
      expect(typeof body.error, path).toBe("string");
      expect(JSON.stringify(body), path).not.toContain("my-chip");
    }
  });

  it("answers unknown routes, folders, hidden files and symlinks out of the root with 404 JSON", async () => {
    for (const path of ["/nope.html", "/assets", "/assets/", "/assets/missing.js", "/.env", "/escape.txt", "/outside/secret.txt", "/index.html/x"]) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get("content-type"), path).toMatch(/^application\/json/);
      const text = await r.text();
      expect(JSON.parse(text), path).toHaveProperty("error");
      expect(text, path).not.toContain(SECRET);
    }
  });

  it("refuses traversal in every spelling, sent byte for byte, and never leaks the secret beside the root", async () => {
    const variants = [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/.%2e/secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/..%2Fsecret.txt",
      "/..%5csecret.txt",
      "/..\\secret.txt",
      "/assets\\..\\..\\secret.txt",
      "/%252e%252e/secret.txt",
      "/%252e%252e%252fsecret.txt",
      "/index.html%00.js",
      "/%00",
      "//secret.txt",
      "/./index.html",
      "/..%c0%afsecret.txt",
      "/api/files/../../secret.txt",
      "/api/files/%2e%2e",
      "http://127.0.0.1/../secret.txt",
      "/escape.txt",
      "/outside/secret.txt",
      "/.env",
    ];
    for (const target of variants) {
      const r = await rawGet(server.port, target);
      expect([400, 403, 404], target).toContain(r.status);
      expect(r.body, target).not.toContain(SECRET);
    }
    expect((await rawGet(server.port, "/../secret.txt")).status).toBe(400);
    expect(JSON.parse((await rawGet(server.port, "/%2e%2e/secret.txt")).body)).toEqual({ error: "bad request path: dot segment" });
    // A raw NUL byte: Node's parser refuses the request line itself.
    const nul = await raw(server.port, Buffer.from("GET /index.html\0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "latin1"));
    expect(nul.status).toBe(400);
  });

  it("refuses requests addressed to another host name (DNS rebinding) on a loopback server", async () => {
    const evil = await rawGet(server.port, "/api/files/0", `evil.example:${server.port}`);
    expect(evil.status).toBe(403);
    expect(evil.body).not.toContain("my-chip");
    for (const host of ["localhost", `localhost:${server.port}`, "127.0.0.1"]) expect((await rawGet(server.port, "/api/files", host)).status, host).toBe(200);
  });

  it("refuses other methods with 405 and bodies over 64 KiB with 413, declared or chunked", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const r = await get("/api/files", { method, body: method === "OPTIONS" ? undefined : "x" });
      expect(r.status, method).toBe(405);
      expect(r.headers.get("allow")).toBe("GET, HEAD");
      expect(await r.json()).toEqual({ error: `method ${method} is not allowed (GET and HEAD only)` });
    }
    const oversize = await post(server.port, Buffer.alloc(MAX_BODY_BYTES + 1, 0x61), false);
    expect(oversize).toEqual({ status: 413, error: "request body too large (the UI server takes no uploads)" });
    const chunked = await post(server.port, Buffer.alloc(200 * 1024, 0x61), true);
    expect(chunked.status).toBe(413);
    expect((await post(server.port, Buffer.alloc(MAX_BODY_BYTES, 0x61), false)).status).toBe(405);
    const getWithBig = await raw(server.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${10 * 1024 * 1024}\r\nConnection: close\r\n\r\n`);
    expect(getWithBig.status).toBe(413);
  });

  it("answers 1,000 concurrent GETs (index, asset, API) all with 200", async () => {
    const paths = ["/", "/assets/app-3f2a1b.js", "/api/files", "/api/files/0"];
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, async (_, i) => {
        const r = await get(paths[i % paths.length]!);
        await r.arrayBuffer();
        return r.status;
      }),
    );
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed.length).toBe(0);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : 0)).every((s) => s === 200)).toBe(true);
  }, 60_000);
});

/** POSTs a body (with Content-Length, or chunked) through node:http; the status and error of the answer. */
function post(port: number, body: Buffer, chunked: boolean): Promise<{ status: number; error: string }> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> = chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(body.length) };
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/files", headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => done({ status: res.statusCode ?? 0, error: (JSON.parse(text) as { error: string }).error }));
    });
    req.on("error", fail);
    if (chunked) for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
    else req.write(body);
    req.end();
  });
}

describe("startUiServer refuses bad starts", () => {
  it("a missing root, a missing file, a port in use", async () => {
    const site = makeSite();
    await expect(startUiServer({ root: join(site.dir, "no-such-site") })).rejects.toThrow(/the web UI is not built: .*no-such-site is not a folder/);
    await expect(startUiServer({ root: site.root, files: [join(site.dir, "nope.yaml")] })).rejects.toThrow(/no such file: .*nope\.yaml/);
    await expect(startUiServer({ root: site.root, files: [site.dir] })).rejects.toThrow(/not a file/);
    const first = await startUiServer({ root: site.root });
    try {
      await expect(startUiServer({ root: site.root, port: first.port })).rejects.toThrow(new RegExp(`port ${first.port} on 127.0.0.1 is already in use`));
    } finally {
      await first.close();
    }
  });
});

describe("xpusim ui (the built CLI)", () => {
  const BIN = join(import.meta.dirname, "..", "bin", "xpusim.js");
  const xpusim = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 30_000 });

  it("prints the URL, serves the site and the named file, and exits 0 on SIGINT", async () => {
    const site = makeSite();
    const child = spawn(process.execPath, [BIN, "ui", "--port", "0", "--root", site.root, site.chip], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += String(d)));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on("data", (d) => {
        out += String(d);
        const m = /^xpusim ui: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
        if (m) done(m[1]!);
      });
      void exited.then((code) => fail(new Error(`exited ${code}: ${err}`)));
    });
    expect(await (await fetch(url)).text()).toContain("FIXTURE-INDEX");
    expect(await (await fetch(`${url}api/files/0`)).json()).toEqual({ name: "chip.yaml", text: CHIP_TEXT });
    expect(await (await fetch(`${url}api/files`)).json()).toEqual([{ index: 0, name: "chip.yaml", bytes: Buffer.byteLength(CHIP_TEXT) }]);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(err).toBe("");
  }, 30_000);

  it("exits 1 with a hint for a missing site, a missing file or a port in use, and 2 for a bad --port", async () => {
    const site = makeSite();
    const noSite = xpusim("ui", "--port", "0", "--root", join(site.dir, "none"));
    expect(noSite.status).toBe(1);
    expect(noSite.stderr).toMatch(/not built[\s\S]*hint: run `npm run build:web` first/);
    const noFile = xpusim("ui", "--port", "0", "--root", site.root, join(site.dir, "missing.yaml"));
    expect(noFile.status).toBe(1);
    expect(noFile.stderr).toContain("missing.yaml");
    const busy = createTcpServer();
    await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done));
    const port = (busy.address() as { port: number }).port;
    try {
      const inUse = xpusim("ui", "--port", String(port), "--root", site.root);
      expect(inUse.status).toBe(1);
      expect(inUse.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use[\\s\\S]*\`--port 0\` picks a free one`));
    } finally {
      busy.close();
    }
    for (const bad of ["65536", "-1", "abc", "8080.5", ""]) {
      const r = xpusim("ui", "--port", bad, "--root", site.root);
      expect(r.status, bad).toBe(2);
      expect(r.stderr, bad).toContain("--port must be an integer from 0 to 65535");
    }
  }, 60_000);

  it("bundles hono into the ui command's chunk only: no other command and not --version loads it", () => {
    const meta = JSON.parse(readFileSync(join(import.meta.dirname, "..", "dist", "bundle-meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const withHono = Object.entries(meta.outputs).filter(([, o]) => Object.keys(o.inputs).some((f) => /node_modules\/(hono|@hono)\//.test(f)));
    expect(withHono.map(([, o]) => "src/cli/commands/ui.ts" in o.inputs)).toEqual([true]);
    expect(Object.keys(withHono[0]![1].inputs)).toContain("src/server/ui-server.ts");
  });

  it("warns that --host 0.0.0.0 is reachable from the network", async () => {
    const site = makeSite();
    const child = spawn(process.execPath, [BIN, "ui", "--port", "0", "--host", "0.0.0.0", "--root", site.root], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += String(d)));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    await new Promise<void>((done, fail) => {
      child.stdout.on("data", (d) => {
        out += String(d);
        if (/xpusim ui: http:\/\/127\.0\.0\.1:\d+\//.test(out)) done();
      });
      void exited.then((code) => fail(new Error(`exited ${code}: ${err}`)));
    });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // Read after exit: stderr and stdout are separate pipes, so the warning may arrive after the URL.
    expect(err).toMatch(/warning: xpusim ui listens on 0\.0\.0\.0: anyone on the network can open the UI/);
  }, 30_000);
});
