import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

/**
 * The engine must run unchanged in a browser: bundle src/core for the browser platform (any Node
 * builtin would fail the build) and run the bundle in a bare VM context that has no `process`,
 * `require` or file system, pricing a GEMM on a chip given as a plain object.
 */
describe("src/core is browser-safe", () => {
  it("bundles for the browser and runs in a context without Node globals", async () => {
    const out = await build({
      entryPoints: [join(import.meta.dirname, "..", "src", "core", "index.ts")],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "xpusim",
      write: false,
      logLevel: "silent",
    });
    const code = out.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["']node:/);
    const chipRaw = parse(readFileSync(join(import.meta.dirname, "..", "catalog", "chips", "nvidia-h100-sxm.yaml"), "utf8"));
    const families = Object.fromEntries(
      readdirSync(join(import.meta.dirname, "..", "catalog", "families")).map((f) => [f.replace(/\.yaml$/, ""), parse(readFileSync(join(import.meta.dirname, "..", "catalog", "families", f), "utf8"))]),
    );
    const sandbox: Record<string, unknown> = { chipRaw, families, result: undefined };
    runInNewContext(
      `${code}
      const chip = xpusim.resolveChip(chipRaw, () => undefined, []);
      const chain = xpusim.resolveFamilyChain(chip.family, (id) => families[id] && xpusim.parseFamilySpec(families[id]), Object.keys(families));
      const efficiency = xpusim.mergeEfficiency(chain).params;
      result = xpusim.estimateOpSpec({ type: "gemm", m: 4096, n: 4096, k: 4096, batch: 1, dtype: "bf16" }, { chip, efficiency });`,
      sandbox,
    );
    const r = sandbox.result as { latency_s: number; flops: number; cost_model: string };
    expect(r.flops).toBe(2 * 4096 ** 3);
    expect(r.latency_s).toBeGreaterThan(r.flops / 989.4e12);
    expect(r.cost_model).toBe("gpu-tile");
    expect(typeof (sandbox as { process?: unknown }).process).toBe("undefined");
  });
});
