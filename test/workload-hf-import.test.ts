import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { buildWorkload, modelParams } from "../src/core/workload/build-workload.js";
import type { Diagnostic } from "../src/core/diagnostics/diagnostic.js";
import { parseModelSpec } from "../src/core/spec/model-spec.js";
import { windowFromLayerTypes } from "../src/core/workload/hf-families.js";
import { importHfConfig } from "../src/core/workload/hf-import.js";
import { opParams } from "../src/core/workload/op-metrics.js";
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

/**
 * The families people run now, imported from their published config.json (test/fixtures/hf/README.md)
 * and checked two ways: `exact` is the count recomputed by hand from the config (formula in the
 * comment) and must match to the parameter; `published` is the total the model's card, paper or
 * Hugging Face page prints, matched within the rounding of the printed figure (`within`).
 * Multimodal checkpoints import their language model only (a warning says so): their published
 * total includes a vision tower of the size noted, so the bound there is that tower.
 */
interface FamilyCase {
  file: string;
  family: string;
  exact: number;
  published: number;
  within: number;
  source: string;
  /** Active parameters as the card counts them (see each case), with its rounding. */
  active?: { value: (p: ReturnType<typeof modelParams>) => number; published: number; within: number };
  warnings: string[];
  /** The input embedding as printed, in millions (Gemma 3 report). */
  embedding?: number;
}

const FAMILY_CASES: FamilyCase[] = [
  {
    // 36 × (attn 4096·4096·2 + 2·4096·1024 + q/k norm 2·128 + SwiGLU 3·4096·12288 + 2·4096) + 2·151936·4096 (untied) + 4096
    file: "qwen3-8b.json", family: "qwen3", exact: 8_190_735_360, published: 8.2e9, within: 0.05e9,
    source: "Qwen/Qwen3-8B model card: 8.2B parameters, 6.95B non-embedding", warnings: [],
  },
  {
    // 48 × (attn 2048·4096·2 + 2·2048·512 + 256 + 128 experts · 3·2048·768 + router 2048·128 + 2·2048) + 2·151936·2048 + 2048
    file: "qwen3-30b-a3b.json", family: "qwen3_moe", exact: 30_532_122_624, published: 30.5e9, within: 0.05e9,
    source: "Qwen/Qwen3-30B-A3B model card: 30.5B total, 3.3B activated",
    active: { value: (p) => p.params_active, published: 3.3e9, within: 0.1e9 }, warnings: [],
  },
  {
    // 24 × (attn with q/k/v/o biases 26,550,080 + 64 sinks + 32 experts · (3·2880² + 2·2880 + 2880) + router 2880·32 + 32 + 2·2880) + 2·201088·2880 + 2880
    file: "gpt-oss-20b.json", family: "gpt_oss", exact: 20_914_757_184, published: 20.91e9, within: 0.005e9,
    source: "OpenAI gpt-oss model card (2025), Table 1: gpt-oss-20b 20.91B total, 3.61B active (active counts the unembedding, not the embedding)",
    active: { value: (p) => p.params_active - p.params_embedding, published: 3.61e9, within: 0.005e9 },
    warnings: ["model_type", "quantization_config"],
  },
  {
    // 32 × (4·3072² + 3·3072·8192 + 2·3072) + 2·32064·3072 + 3072
    file: "phi-3-mini-4k.json", family: "phi3", exact: 3_821_079_552, published: 3.8e9, within: 0.05e9,
    source: "microsoft/Phi-3-mini-4k-instruct model card: 3.8B parameters", warnings: [],
  },
  {
    // 26 × (1152·1024·2 + 2·1152·256 + 2·256 + 3·1152·6912 + 4·1152) + 262144·1152 (tied) + 1152
    // (each printed figure rounds to 1M, so the sum is matched within 1M; the embedding alone within 0.5M below)
    file: "gemma-3-1b.json", family: "gemma3", exact: 999_885_952, published: 1_000e6, within: 1e6,
    source: "Gemma 3 technical report (2025), Table 1: 1B = 302M embedding + 698M non-embedding parameters",
    embedding: 302e6, warnings: [],
  },
  {
    // text only: 48 × (3840·4096·2 + 2·3840·2048 + 512 + 3·3840·15360 + 4·3840) + 262208·3840 + 3840 = 10,759M non-embedding as the report
    file: "gemma-3-12b.json", family: "gemma3", exact: 11_766_034_176, published: 12.187e9, within: 0.43e9,
    source: "Gemma 3 technical report, Table 1: 12B = 417M vision encoder + 1,012M embedding + 10,759M non-embedding (the vision tower is not imported)",
    warnings: ["vision_config"],
  },
  {
    // 40 × (4096·4096·2 + 2·4096·256 + q/k/v bias 4096 + 512 + 3·4096·13696 + 4 RMSNorms·4096) + 2·151552·4096 + 4096
    file: "glm-4-9b-0414.json", family: "glm4", exact: 9_400_279_040, published: 9.4e9, within: 0.05e9,
    source: "THUDM/GLM-4-9B-0414 on Hugging Face: 9.4B params (safetensors)", warnings: [],
  },
  {
    // 1 dense layer + 45 MoE layers (128 routed + 1 shared expert of 3·4096·1408, router 4096·128 + 128 bias) with
    // 96-head attention (12288 wide) and q/k/v biases; MTP layer not counted. The announced 106B sits 0.62B
    // (= one 151552×4096 vocabulary matrix) below this count, so it is matched at 1%.
    file: "glm-4.5-air.json", family: "glm4_moe", exact: 106_852_251_264, published: 106e9, within: 0.01 * 106e9,
    source: "Z.ai GLM-4.5 announcement and zai-org/GLM-4.5-Air model card: 106B total, 12B active (active without the two vocabulary matrices)",
    active: { value: (p) => p.params_active - p.params_embedding - p.params_lm_head_untied, published: 12e9, within: 0.5e9 }, warnings: [],
  },
  {
    // 32 × (4·4096² + q/k norms 2·4096 + 3·4096·11008 + 2·4096) + 2·100352·4096 + 4096
    file: "olmo-2-7b.json", family: "olmo2", exact: 7_298_617_344, published: 7.3e9, within: 0.05e9,
    source: "allenai/OLMo-2-1124-7B on Hugging Face: 7.3B params", warnings: [],
  },
  {
    // 40 × (4096² · 2 + 2·4096·1024 + 3·4096·12800 + 2·4096) + 49155·4096 (tied) + 4096
    file: "granite-3.1-8b.json", family: "granite", exact: 8_170_848_256, published: 8.17e9, within: 0.005e9,
    source: "ibm-granite/granite-3.1-8b-base on Hugging Face: 8.17B params", warnings: [],
  },
  {
    // 36 × (4096·4096·2 + 2·4096·1024 + 3·4096·12288 + 2·4096) + 2·131072·4096 + 4096
    file: "ministral-8b.json", family: "mistral", exact: 8_019_808_256, published: 8_019_808_256, within: 0,
    source: "mistralai/Ministral-8B-Instruct-2410 model card: 8,019,808,256 parameters", warnings: [],
  },
  {
    // text only: 40 × (5120·4096·2 + 2·5120·1024 + 3·5120·32768 + 2·5120) + 2·131072·5120 + 5120; the Pixtral vision
    // encoder (24 layers of 1024) and projector hold the other ≈0.44B
    file: "mistral-small-3.1-24b.json", family: "mistral3", exact: 23_572_403_200, published: 24e9, within: 0.5e9,
    source: "mistralai/Mistral-Small-3.1-24B-Base-2503 model card: 24B parameters (with the vision encoder)", warnings: ["vision_config"],
  },
  {
    // text only: 48 × (attn 62,914,560 + 16 experts + 1 shared expert of 3·5120·8192 + router 5120·16 + 2·5120) + 2·202048·5120 + 5120;
    // the vision encoder and projector hold the other ≈0.87B of the card's 109B
    file: "llama-4-scout-17b-16e.json", family: "llama4", exact: 107_769_861_120, published: 109e9, within: 1.5e9,
    source: "meta-llama/Llama-4-Scout-17B-16E model card: 17B active, 109B total parameters",
    active: { value: (p) => p.params_active, published: 17e9, within: 0.5e9 }, warnings: ["vision_config", "attention_chunk_size"],
  },
];

describe("Hugging Face import: current families against their published parameter counts", () => {
  for (const c of FAMILY_CASES) {
    it(`${c.file} (${c.family}): ${c.exact.toLocaleString("en-US")} parameters — ${c.source}`, () => {
      const r = importHfConfig(fixture(c.file), { file: c.file });
      expect(r.family).toBe(c.family);
      expect(r.warnings.map((w) => w.path)).toEqual(c.warnings);
      const p = modelParams(r.spec);
      expect(p.params_total).toBe(c.exact);
      expect(Math.abs(p.params_total - c.published)).toBeLessThanOrEqual(c.within);
      if (c.active) expect(Math.abs(c.active.value(p) - c.active.published)).toBeLessThanOrEqual(c.active.within);
      if (c.embedding) expect(Math.abs(p.params_embedding - c.embedding)).toBeLessThanOrEqual(0.5e6);
      // The graph the builders make holds the same parameters as the closed form (a 4096-token prefill keeps every expert busy).
      const g = buildWorkload(r.spec, { batch: 1, new_tokens: 4096, context_tokens: 4096, phase: "prefill" }, DEFAULT_PRECISION);
      const fromGraph = g.blocks.reduce((n, b) => n + b.repeat * b.ops.reduce((m, op) => m + opParams(op), 0), 0);
      expect(fromGraph).toBe(p.params_total);
    });
  }

  it("keeps the structure: q/k norms, sinks, local/global patterns, chunked attention, interleaved and dense-first MoE", () => {
    const layerKinds = (file: string) => {
      const spec = importHfConfig(fixture(file)).spec;
      return buildWorkload(spec, { batch: 1, new_tokens: 1, context_tokens: 10, phase: "decode" }, DEFAULT_PRECISION).blocks.map((b) => [b.name, b.repeat]);
    };
    // Gemma 3: five local (512-token window) layers, then one global: layers 5, 11, 17, 23 global.
    expect(layerKinds("gemma-3-1b.json")).toEqual([["embedding", 1], ["decoder_layer.local", 22], ["decoder_layer.global", 4], ["final", 1]]);
    // gpt-oss: alternating 128-token window and full attention.
    expect(layerKinds("gpt-oss-20b.json")).toEqual([["embedding", 1], ["decoder_layer.local", 12], ["decoder_layer.global", 12], ["final", 1]]);
    // Llama 4: chunked attention on three layers of four, the fourth (NoPE) global.
    expect(layerKinds("llama-4-scout-17b-16e.json")).toEqual([["embedding", 1], ["decoder_layer.local", 36], ["decoder_layer.global", 12], ["final", 1]]);
    // GLM-4.5-Air: one dense layer before 45 MoE layers.
    expect(layerKinds("glm-4.5-air.json")).toEqual([["embedding", 1], ["decoder_layer.dense", 1], ["decoder_layer.moe", 45], ["final", 1]]);

    const gptOss = importHfConfig(fixture("gpt-oss-20b.json")).spec;
    expect(gptOss.category === "decoder-llm" && [gptOss.attention.sinks, gptOss.attention.sliding_window?.window, gptOss.moe?.router_bias, gptOss.ffn.bias]).toEqual([true, 128, true, true]);
    const olmo = importHfConfig(fixture("olmo-2-7b.json")).spec;
    expect(olmo.category === "decoder-llm" && olmo.attention.qk_norm).toBe("all_heads");
    const scout = importHfConfig(fixture("llama-4-scout-17b-16e.json")).spec;
    expect(scout.category === "decoder-llm" && [scout.moe?.shared_experts, scout.ffn.intermediate_size, scout.moe?.expert_intermediate_size]).toEqual([1, 16384, 8192]);
    // Llama 4 Maverick interleaves: every second layer (1, 3, …) MoE, the others dense with intermediate_size_mlp;
    // the global layers (3, 7, …) all fall on MoE layers.
    const scoutCfg = fixture("llama-4-scout-17b-16e.json");
    const maverick = { ...scoutCfg, text_config: { ...(scoutCfg.text_config as object), interleave_moe_layer_step: 2, num_local_experts: 128 } };
    const m = importHfConfig(maverick).spec;
    const kinds = buildWorkload(m, { batch: 1, new_tokens: 1, context_tokens: 10, phase: "decode" }, DEFAULT_PRECISION).blocks.map((b) => [b.name, b.repeat]);
    expect(kinds).toEqual([["embedding", 1], ["decoder_layer.dense.local", 24], ["decoder_layer.moe.local", 12], ["decoder_layer.moe.global", 12], ["final", 1]]);
    // 24 dense layers at 3·5120·16384 and 24 MoE layers of 128 + 1 experts at 3·5120·8192 (+ router 5120·128): Maverick's published 400B total, 17B active.
    const mp = modelParams(m);
    expect(Math.abs(mp.params_total - 400e9)).toBeLessThan(2e9);
    expect(Math.abs(mp.params_active - 17e9)).toBeLessThan(0.5e9);
  });

  it("an unknown model_type with the common decoder fields imports as a dense decoder, naming the fields it guessed from", () => {
    const { model_type: _t, architectures: _a, ...rest } = fixture("llama-3.1-8b.json");
    const cfg = { ...rest, model_type: "my_llama_fork", architectures: ["MyLlamaForkForCausalLM"] };
    const r = importHfConfig(cfg, { file: "fork.json" });
    expect(r.family).toBe("decoder");
    expect(modelParams(r.spec).params_total).toBe(modelParams(loadModel("llama-3.1-8b")).params_total);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([["W_ESTIMATED", "model_type"]]);
    expect(r.warnings[0]!.message).toMatch(/my_llama_fork.*Llama-style dense decoder.*guessed from hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads, intermediate_size, vocab_size/);
    expect(r.warnings[0]!.message).toMatch(/assumed head_dim = hidden_size \/ num_attention_heads/);
    expect(r.warnings[0]!.file).toBe("fork.json");
  });

  it("an unknown model_type missing a field it needs is an error naming that field", () => {
    const { intermediate_size: _i, model_type: _t, architectures: _a, ...rest } = fixture("llama-3.1-8b.json");
    try {
      importHfConfig({ ...rest, model_type: "my_fork" }, { file: "fork.json" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XpusimError);
      const d = (e as XpusimError).diagnostics;
      expect(d.map((x) => [x.code, x.path, x.message])).toEqual([["E_SCHEMA", "intermediate_size", "required field is missing"]]);
      expect(d[0]!.hint).toMatch(/FFN intermediate size/);
    }
    // Without the decoder conventions at all (an encoder-decoder), it is still refused by family.
    expect(() => importHfConfig({ model_type: "my_t5", d_model: 512, num_layers: 6, is_encoder_decoder: true })).toThrow(/cannot import this Hugging Face model family/);
  });
});

describe("local/global layer patterns", () => {
  it("layer_types maps onto all / alternating / one global in n, and warns when it is not periodic", () => {
    const types = (pattern: string) => [...pattern].map((c) => (c === "L" ? "sliding_attention" : "full_attention"));
    const w: Diagnostic[] = [];
    expect(windowFromLayerTypes(types("LLLL"), 4, 64, w, {})).toEqual({ window: 64, layers: "all" });
    expect(windowFromLayerTypes(types("GGGG"), 4, 64, w, {})).toBeUndefined();
    expect(windowFromLayerTypes(types("LGLG"), 4, 64, w, {})).toEqual({ window: 64, layers: "alternating" });
    expect(windowFromLayerTypes(types("LLLGLLLG"), 8, 64, w, {})).toEqual({ window: 64, layers: "pattern", global_every: 4 });
    expect(w).toEqual([]);
    // 2 global of 8, not periodic: counted as one global layer in 4, with a warning.
    expect(windowFromLayerTypes(types("GLLLLLLG"), 8, 64, w, {})).toEqual({ window: 64, layers: "pattern", global_every: 4 });
    expect(w.map((d) => [d.code, d.path])).toEqual([["W_ESTIMATED", "layer_types"]]);
  });

  it("a spec with layers: pattern needs global_every ≥ 2", () => {
    const spec = importHfConfig(fixture("gemma-3-1b.json")).spec;
    const bad = { ...spec, attention: { ...spec.category === "decoder-llm" ? spec.attention : {}, sliding_window: { window: 512, layers: "pattern" } } };
    expect(() => parseModelSpec(bad)).toThrow(/global_every/);
  });
});
