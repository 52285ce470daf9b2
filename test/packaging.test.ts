/**
 * The package as users get it: `npm pack` ships only what runs, the packed tarball installs into an
 * empty folder (dependencies from the npm cache that `npm ci` filled, the registry as a fallback)
 * and its CLI and library work there; the README's library example runs in this clone.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../src/cli/version.js";

const root = join(import.meta.dirname, "..");
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });

let tarball = "";
let files: string[] = [];

describe("npm package", () => {
  beforeAll(() => {
    const dest = mkdtempSync(join(tmpdir(), "xpusim-pack-"));
    // `npm test` built dist/ already; --ignore-scripts packs that build instead of building again.
    const out = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dest], root)) as { filename: string; files: { path: string }[] }[];
    tarball = join(dest, out[0]!.filename);
    files = out[0]!.files.map((f) => f.path);
  }, 120_000);

  it("ships what runs and nothing else", () => {
    for (const f of ["bin/xpusim.js", "dist/bundle/main.js", "dist/bundle/spec-support.js", "dist/catalog.pack", "dist/node/index.js", "dist/node/index.d.ts", "dist/core/index.js", "catalog/chips/nvidia-h100-sxm.yaml", "README.md"]) {
      expect(files).toContain(f);
    }
    const unwanted = files.filter((f) => /\.map$|tsbuildinfo|\.typecheck|^test\/|\.test\.|^src\/|^dist\/cli\/|^scripts\/|^bench\//.test(f));
    expect(unwanted).toEqual([]);
    const js = files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(root, f), "utf8"));
    expect(js.filter((t) => t.includes("sourceMappingURL"))).toEqual([]);
  });

  it("installs into an empty folder; its CLI and library run there", () => {
    const app = mkdtempSync(join(tmpdir(), "xpusim-app-"));
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    npm(["install", "--prefer-offline", "--no-package-lock", tarball], app);
    const bin = join(app, "node_modules", ".bin", "xpusim");
    expect(execFileSync(bin, ["--version"], { encoding: "utf8" })).toBe(`${VERSION}\n`);
    const op = JSON.parse(execFileSync(bin, ["op", "gemm", "--m", "4096", "--n", "4096", "--k", "4096", "--chip", "nvidia-h100-sxm", "--json"], { encoding: "utf8" }));
    expect(op.chip).toBe("nvidia-h100-sxm");
    expect(op.latency_s).toBeGreaterThan(1e-4);
    writeFileSync(
      join(app, "use.js"),
      'import { loadChip, chipIds, estimateOpSpec, contextFor, catalogMode } from "xpusim";\n' +
        'const r = estimateOpSpec({ type: "gemm", m: 4096, n: 4096, k: 4096, batch: 1, dtype: "bf16" }, contextFor(loadChip("nvidia-h100-sxm")));\n' +
        "console.log(JSON.stringify({ chips: chipIds().length, latency_s: r.latency_s, mode: catalogMode() }));\n",
    );
    const lib = JSON.parse(execFileSync(process.execPath, ["use.js"], { cwd: app, encoding: "utf8" }));
    expect(lib.chips).toBeGreaterThan(40);
    expect(lib.latency_s).toBe(op.latency_s);
    expect(lib.mode).toBe("compiled"); // the packed files' fixed dates keep the artefact current
  }, 300_000);
});

describe("README", () => {
  it("library example runs in this clone (import from \"xpusim\")", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const example = /## Library\s+```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('from "xpusim"');
    // A file inside the package folder imports the package by its own name, as a clone's user would.
    const dir = join(root, "dist", ".readme-example");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "example.mjs"), example!);
    const r = spawnSync(process.execPath, [join(dir, "example.mjs")], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^TTFT \d+\.\d ms, \d+\.\d\d ms per output token\n$/);
  });
});
