/**
 * The catalog job: chip, model and system listings with their filters, the same rows the CLI's
 * `chips --json`, `models --json` and `collective --list --json` print (the CLI is a renderer over it).
 */
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/index.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

const catalog = nodeCatalog();

describe("catalog job", () => {
  it("lists every chip, in catalog order, with its headline figures", () => {
    const { list, rows } = JOBS.catalog.run({ list: "chips" }, catalog);
    expect(list).toBe("chips");
    expect(rows.map((r) => r.id)).toEqual(catalog.chipIds());
    const h100 = rows.find((r) => r.id === "nvidia-h100-sxm")!;
    // The H100 SXM datasheet: 989 TFLOP/s dense BF16, 80 GB HBM3 at 3.35 TB/s, 700 W.
    expect(h100.peak_bf16_flops_per_s).toBeCloseTo(989e12, -12);
    expect(h100.memory_capacity_bytes).toBe(80e9);
    expect(h100.memory_bandwidth_bytes_per_s).toBeCloseTo(3.35e12, -9);
    expect(h100.tdp_w).toBe(700);
    expect(h100.matrix_dtypes).toContain("fp8");
  });

  it("filters chips by kind, vendor (case-insensitive substring) and native matrix dtype", () => {
    const all = JOBS.catalog.run({ list: "chips" }, catalog).rows;
    const gpus = JOBS.catalog.run({ list: "chips", kind: "gpu" }, catalog).rows;
    expect(gpus.length).toBeGreaterThan(0);
    expect(gpus.length).toBeLessThan(all.length);
    expect(gpus.every((r) => r.kind === "gpu")).toBe(true);
    expect(gpus.map((r) => r.id)).toEqual(all.filter((r) => r.kind === "gpu").map((r) => r.id));
    const nv = JOBS.catalog.run({ list: "chips", vendor: "NVid" }, catalog).rows;
    expect(nv.length).toBeGreaterThan(0);
    expect(nv.every((r) => r.vendor.toLowerCase().includes("nvid"))).toBe(true);
    const fp8 = JOBS.catalog.run({ list: "chips", vendor: "nvidia", dtype: "fp8" }, catalog).rows.map((r) => r.id);
    expect(fp8).toContain("nvidia-h100-sxm");
    expect(fp8).not.toContain("nvidia-a100-sxm-80gb"); // Ampere has no FP8 tensor cores
  });

  it("filters models by category and by text in the id or name", () => {
    const all = JOBS.catalog.run({ list: "models" }, catalog).rows;
    expect(all.map((r) => r.id)).toEqual(catalog.modelIds());
    const cnns = JOBS.catalog.run({ list: "models", category: "cnn" }, catalog).rows;
    expect(cnns.length).toBeGreaterThan(0);
    expect(cnns.every((r) => r.category === "cnn")).toBe(true);
    const llama = JOBS.catalog.run({ list: "models", search: "LLaMA" }, catalog).rows;
    expect(llama.map((r) => r.id)).toContain("llama-3.1-8b");
    expect(llama.every((r) => r.id.includes("llama") || r.name.toLowerCase().includes("llama"))).toBe(true);
    const l8 = all.find((r) => r.id === "llama-3.1-8b")!;
    // 32 layers × 8 KV heads × 128 head dim × (K and V) × 2 bytes = 131072 bytes per token.
    expect(l8.kv_cache_bytes_per_token_bf16).toBe(32 * 8 * 128 * 2 * 2);
    expect(l8.weights_bytes_bf16).toBe(l8.params_total * 2);
  });

  it("lists every system", () => {
    const rows = JOBS.catalog.run({ list: "systems" }, catalog).rows;
    expect(rows.map((r) => r.id)).toEqual(catalog.systemIds());
    const dgx = rows.find((r) => r.id === "dgx-h100")!;
    expect(dgx.chip).toBe("nvidia-h100-sxm");
    expect(dgx.chips_per_node).toBe(8);
  });

  it("is what the CLI prints with --json", async () => {
    const chips = await runCli("chips", "--kind", "gpu", "--vendor", "amd", "--json");
    expect(chips.code).toBe(0);
    expect(JSON.parse(chips.out)).toEqual(JSON.parse(JSON.stringify(JOBS.catalog.run({ list: "chips", kind: "gpu", vendor: "amd" }, catalog).rows)));
    const models = await runCli("models", "--category", "decoder-llm", "--search", "qwen", "--json");
    expect(JSON.parse(models.out)).toEqual(JSON.parse(JSON.stringify(JOBS.catalog.run({ list: "models", category: "decoder-llm", search: "qwen" }, catalog).rows)));
    const systems = await runCli("collective", "--list", "--json");
    expect(JSON.parse(systems.out)).toEqual(JSON.parse(JSON.stringify(JOBS.catalog.run({ list: "systems" }, catalog).rows)));
  });
});

describe("catalog job input", () => {
  it("refuses a list it does not know, naming the field", () => {
    expect(() => JOBS.catalog.run({ list: "gpus" } as never, nodeCatalog())).toThrow(XpusimError);
    expect(() => JOBS.catalog.run({ list: "gpus" } as never, nodeCatalog())).toThrow(/expected chips, models, systems, units or links/);
  });
});
