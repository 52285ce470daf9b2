import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { buildWorkload, modelParams } from "../src/core/workload/build-workload.js";
import { importHfConfig } from "../src/core/workload/hf-import.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadModel, loadModelDetailed } from "../src/node/model-catalog.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "hf");
const fixture = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, unknown>;

/** Fixture → catalog model whose exact parameter count the import must reproduce. */
const CASES: Array<[file: string, catalogId: string, family: string]> = [
  ["llama-3.1-8b.json", "llama-3.1-8b", "llama"],
  ["mixtral-8x7b.json", "mixtral-8x7b", "mixtral"],
  ["deepseek-v3.json", "deepseek-v3", "deepseek_v3"],
  ["gpt2.json", "gpt2-124m", "gpt2"],
  ["bert-base.json", "bert-base", "bert"],
  ["gemma-2-9b.json", "gemma-2-9b", "gemma2"],
  ["qwen2.5-7b.json", "qwen2.5-7b", "qwen2"],
  ["vit-b-16.json", "vit-b-16", "vit"],
];

describe("Hugging Face config import", () => {
  for (const [file, id, family] of CASES) {
    it(`${file} reproduces ${id} exactly, without warnings`, () => {
      const r = importHfConfig(fixture(file), { file });
      expect(r.family).toBe(family);
      expect(r.warnings).toEqual([]);
      const got = modelParams(r.spec);
      const want = modelParams(loadModel(id));
      expect(got.params_total).toBe(want.params_total);
      expect(got.params_active).toBe(want.params_active);
      expect(got.params_embedding).toBe(want.params_embedding);
    });
  }

  it("keeps the structure that changes the graph: Gemma 2 local/global, DeepSeek MLA + MTP, Mixtral experts", () => {
    const gemma = importHfConfig(fixture("gemma-2-9b.json")).spec;
    const blocks = buildWorkload(gemma, { batch: 1, new_tokens: 1, context_tokens: 10, phase: "decode" }, DEFAULT_PRECISION).blocks;
    expect(blocks.map((b) => [b.name, b.repeat])).toEqual([["embedding", 1], ["decoder_layer.local", 21], ["decoder_layer.global", 21], ["final", 1]]);
    const ds = importHfConfig(fixture("deepseek-v3.json")).spec;
    expect(ds.category === "decoder-llm" && [ds.attention.mla?.kv_lora_rank, ds.moe?.first_dense_layers, ds.moe?.router_bias, ds.mtp?.modules]).toEqual([512, 3, true, 1]);
    expect(modelParams(ds).params_mtp).toBe(11_610_068_224);
    expect(ds.notes).toMatch(/fp8/);
    const llama = importHfConfig(fixture("llama-3.1-8b.json")).spec;
    expect(llama.category === "decoder-llm" && llama.position.scaling).toMatch(/^llama3 \(factor 8/);
  });

  it("reports every field it does not understand", () => {
    const cfg = { ...fixture("llama-3.1-8b.json"), num_experts_in_layer_17: 4, fancy_gate: true };
    const r = importHfConfig(cfg, { file: "cfg.json" });
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ["W_UNKNOWN_FIELD", "num_experts_in_layer_17"],
      ["W_UNKNOWN_FIELD", "fancy_gate"],
    ]);
    expect(r.warnings[0]!.file).toBe("cfg.json");
  });

  it("missing or malformed required fields are errors with the field path and a hint", () => {
    const { hidden_size: _h, ...noHidden } = fixture("llama-3.1-8b.json");
    try {
      importHfConfig({ ...noHidden, num_hidden_layers: "32" }, { file: "bad.json" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XpusimError);
      const d = (e as XpusimError).diagnostics;
      expect(d.map((x) => x.path)).toEqual(["hidden_size", "num_hidden_layers"]);
      expect(d[0]!.message).toBe("required field is missing");
      expect(d[0]!.hint).toMatch(/model width/);
      expect(d[1]!.got).toBe('"32"');
      expect(d[0]!.file).toBe("bad.json");
    }
  });

  it("refuses families it cannot build", () => {
    expect(() => importHfConfig({ model_type: "t5", architectures: ["T5ForConditionalGeneration"] })).toThrow(/cannot import this Hugging Face model family/);
  });

  it("loadModel takes a config.json path and keeps the importer warnings", () => {
    const path = join(dir, "mixtral-8x7b.json");
    const loaded = loadModelDetailed(path);
    expect(loaded.source).toBe("hf-config");
    expect(loaded.spec.id).toBe("mixtral-8x7b");
    expect(modelParams(loadModel(path)).params_active).toBe(12_879_925_248);
  });
});
