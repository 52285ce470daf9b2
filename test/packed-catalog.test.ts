/**
 * The browser's Catalog (`packedCatalog` over the bytes of dist/catalog.pack) against the Node catalog:
 * both are core/catalog's lookups, so every job must give identical results; what a browser cannot do
 * (read files) is refused with a clear error; and the lookups never load zod or yaml statically.
 */
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../src/core/app/catalog.js";
import { packedCatalog } from "../src/core/app/packed-catalog.js";
import { JOBS } from "../src/core/app/registry.js";
import { openPackedCatalog } from "../src/core/catalog/packed-catalog-file.js";
import { specSupportFromCore } from "../src/core/catalog/spec-support-from-core.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import * as barrel from "../src/core/index.js";
import { diagnosticsOf } from "./helpers/diagnostics.js";

let packed: Catalog;
const node = nodeCatalog();
const bytes = () => new Uint8Array(readFileSync("dist/catalog.pack"));

beforeAll(() => {
  packed = packedCatalog(bytes(), specSupportFromCore);
});

const H100_FAST = {
  extends: "nvidia-h100-sxm",
  id: "h100-fast",
  memory: { main: { type: "HBM3", capacity: "80 GB", bandwidth: "6.7 TB/s" } },
};

describe("packedCatalog (the browser's Catalog over dist/catalog.pack)", () => {
  it("lists the same ids as the Node catalog", () => {
    expect(packed.chipIds()).toEqual(node.chipIds());
    expect(packed.modelIds()).toEqual(node.modelIds());
    expect(packed.systemIds()).toEqual(node.systemIds());
    expect(packed.chipIds()).toContain("nvidia-h100-sxm");
    expect(packed.energy()).toEqual(node.energy());
    expect(packed.money()).toEqual(node.money());
  });

  it("runs Llama 3.1 70B on 4 H100s (tp 4, the default system) exactly as the Node catalog", () => {
    const req = { chip: "nvidia-h100-sxm", model: "llama-3.1-70b", batch: 8, input_tokens: 1024, output_tokens: 128, chips: 4, tp: 4, pp: 1 };
    const browser = JOBS.inference.run(req, packed);
    expect(browser.communication?.system).toBe("dgx-h100");
    expect(browser.tpot_s).toBeGreaterThan(0);
    expect(browser).toEqual(JOBS.inference.run(req, node));
  });

  it("assesses three chips exactly as the Node catalog", () => {
    const req = { chips: ["nvidia-h100-sxm", "amd-mi300x", "google-tpu-v5e"], model: "llama-3.1-8b", mode: "inference" as const, batch: 8, input_tokens: 512, output_tokens: 64 };
    const browser = JOBS.assess.run(req, packed);
    expect(browser.chips.map((c) => c.chip).sort()).toEqual(["amd-mi300x", "google-tpu-v5e", "nvidia-h100-sxm"]);
    expect(browser.chips.every((c) => Object.keys(c.factors).length >= 5)).toBe(true);
    expect(browser).toEqual(JOBS.assess.run(req, node));
  });

  it("trains a small model over 16 chips exactly as the Node catalog", () => {
    const req = { model: "gpt2-1.5b", chip: "nvidia-h100-sxm", chips: 16, precision: { compute: "bf16" as const }, global_batch: 64, seq_len: 1024 };
    const browser = JOBS.training.run(req, packed);
    expect(browser.step_time_s).toBeGreaterThan(0);
    expect(browser).toEqual(JOBS.training.run(req, node));
  });

  it("finds a chip by alias (case and spacing ignored)", () => {
    const chip = packed.chip("nvidia  h100 SXM5 80gb");
    expect(chip.id).toBe("nvidia-h100-sxm");
    expect(chip).toEqual(node.chip("nvidia-h100-sxm"));
  });

  it("takes an inline chip that extends a catalog chip: more memory bandwidth, faster memory-bound decode", () => {
    const fast = packed.chip(H100_FAST);
    expect(fast.id).toBe("h100-fast");
    expect(fast.memory.main.bandwidth_bytes_per_s).toBe(6.7e12);
    expect(fast).toEqual(node.chip(H100_FAST));
    const decode = (chip: typeof H100_FAST | string) => JOBS.inference.run({ chip, model: "llama-3.1-8b", batch: 1, input_tokens: 128, output_tokens: 64, chips: 1, tp: 1, pp: 1 }, packed);
    const base = decode("nvidia-h100-sxm");
    const faster = decode(H100_FAST);
    expect(base.phases.decode?.bound).toBe("memory");
    expect(faster.tpot_s).toBeLessThan(base.tpot_s * 0.75);
    expect(faster).toEqual(JOBS.inference.run({ chip: H100_FAST, model: "llama-3.1-8b", batch: 1, input_tokens: 128, output_tokens: 64, chips: 1, tp: 1, pp: 1 }, node));
  });

  it("imports an inline Hugging Face config.json object", () => {
    const config = JSON.parse(readFileSync("test/fixtures/hf/qwen2.5-7b.json", "utf8")) as Record<string, unknown>;
    const spec = packed.model(config);
    expect(spec.category).toBe("decoder-llm");
    expect(spec).toMatchObject({ layers: config.num_hidden_layers, hidden_size: config.hidden_size });
    expect(spec).toEqual(node.model(config));
    // an id given beside the config (a browser upload named qwen2.5-7b.json) names the model
    expect(packed.model({ id: "qwen2.5-7b", ...config }).id).toBe("qwen2.5-7b");
    expect(spec.id).toBe("qwen2");
  });

  it("gives a chip without a catalog system the generic node built from its own link", () => {
    const req = { chip: "nvidia-l4", model: "llama-3.1-8b", batch: 1, input_tokens: 128, output_tokens: 16, chips: 2, tp: 2, pp: 1 };
    const browser = JOBS.inference.run(req, packed);
    expect(browser.communication?.system).toBe("generic-nvidia-l4");
    expect(browser).toEqual(JOBS.inference.run(req, node));
    expect(packed.system(undefined, packed.chip("nvidia-l4"), 2)).toEqual(node.system(undefined, node.chip("nvidia-l4"), 2));
  });

  it("refuses a bad inline chip with the field path", () => {
    const bad = { extends: "nvidia-h100-sxm", id: "bad", memory: { main: { bandwidth: "fast" } } };
    const d = diagnosticsOf(() => packed.chip(bad));
    expect(d[0]).toMatchObject({ code: "E_UNIT", path: "memory.main.bandwidth" });
    expect(diagnosticsOf(() => packed.chip({ extends: "no-such-chip", id: "x" }))[0]!.code).toBe("E_UNKNOWN_ID");
  });

  it("refuses file references (browsers cannot read files) and unknown ids with hints", () => {
    for (const ref of ["my-chip.yaml", "specs/chip"]) {
      const d = diagnosticsOf(() => packed.chip(ref));
      expect(d[0]).toMatchObject({ code: "E_IO", got: ref });
      expect(d[0]!.message).toContain("files cannot be read in the browser");
      expect(d[0]!.hint).toContain("upload");
    }
    expect(diagnosticsOf(() => packed.model("config.json"))[0]!.code).toBe("E_IO");
    expect(diagnosticsOf(() => packed.system("cluster.yaml"))[0]!.code).toBe("E_IO");
    expect(diagnosticsOf(() => packed.chip("nvidia-h100-sx"))[0]!.hint).toContain("nvidia-h100-sxm");
  });

  it("takes spec support lazily: a loader called only when a spec must be validated", () => {
    let calls = 0;
    const lazy = packedCatalog(bytes(), () => (calls++, specSupportFromCore));
    lazy.chip("nvidia-h100-sxm");
    lazy.model("llama-3.1-8b");
    lazy.system("dgx-h100");
    lazy.context(lazy.chip("nvidia-h100-sxm"));
    expect(calls).toBe(0);
    lazy.chip(H100_FAST);
    expect(calls).toBeGreaterThan(0);
  });

  it("refuses bytes that are not a compiled catalog", () => {
    expect(diagnosticsOf(() => openPackedCatalog(new TextEncoder().encode("hello")))[0]!.code).toBe("E_PARSE");
    const whole = bytes();
    const headerLength = Number(new TextDecoder().decode(whole.subarray(0, 10)));
    expect(diagnosticsOf(() => openPackedCatalog(whole.subarray(0, 11 + headerLength - 1)))[0]!.message).toContain("header length");
    expect(openPackedCatalog(whole).folders.chips.length).toBe(node.chipIds().length);
  });

  it("is exported from the package barrel", () => {
    expect(barrel.packedCatalog).toBe(packedCatalog);
    expect(barrel.openPackedCatalog).toBe(openPackedCatalog);
    expect(barrel.specSupportFromCore).toBe(specSupportFromCore);
  });
});

describe("core/catalog's lazy path", () => {
  it("packedCatalog and the lookups bundle without zod or yaml (spec support is injected)", async () => {
    const result = await build({ entryPoints: ["src/core/app/packed-catalog.ts"], bundle: true, write: false, metafile: true, format: "esm", platform: "neutral", logLevel: "silent" });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("src/core/catalog/chip-lookup.ts");
    expect(inputs.filter((f) => /node_modules\/(zod|yaml)\/|spec-support\.ts$/.test(f))).toEqual([]);
  }, 30_000);

  it("specSupportFromCore does bring them (the bundle check above can fail)", async () => {
    const result = await build({ entryPoints: ["src/core/catalog/spec-support-from-core.ts"], bundle: true, write: false, metafile: true, format: "esm", platform: "neutral", logLevel: "silent" });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.includes("node_modules/zod/"))).toBe(true);
    expect(inputs.some((f) => f.includes("node_modules/yaml/"))).toBe(true);
  }, 30_000);
});
