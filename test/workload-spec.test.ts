import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseModelSpec } from "../src/core/spec/model-spec.js";
import { buildWorkload, modelParams } from "../src/core/workload/build-workload.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadAllModels, loadModel, modelFromObject, modelIds } from "../src/node/model-catalog.js";
import { diagnosticsOf as diagnostics } from "./helpers/diagnostics.js";

/** Model spec validation and catalog loading: bad input names its field. */

const base = {
  id: "toy", name: "toy", category: "decoder-llm",
  layers: 2, hidden_size: 64, vocab_size: 100, max_context: 128, tied_embeddings: true,
  position: { type: "rope" },
  attention: { heads: 4, kv_heads: 2, head_dim: 16 },
  ffn: { type: "swiglu", intermediate_size: 128 },
  norm: { type: "rmsnorm", placement: "pre", per_layer: 2 },
};

describe("model spec validation", () => {
  it("accepts the toy spec", () => {
    expect(modelParams(parseModelSpec(base)).params_total).toBe(2 * (64 * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 64 * 128 + 128) + 6400 + 64);
  });

  it("names the missing or wrong field", () => {
    const { head_dim: _hd, ...noHeadDim } = base.attention;
    expect(diagnostics(() => parseModelSpec({ ...base, attention: noHeadDim }, "m.yaml"))[0]).toMatchObject({
      path: "attention.head_dim", message: "required field is missing", file: "m.yaml",
    });
    expect(diagnostics(() => parseModelSpec({ ...base, attention: { ...base.attention, kv_heads: 3 } }))[0]!.path).toBe("attention.kv_heads");
    expect(diagnostics(() => parseModelSpec({ ...base, layers: 0 }))[0]).toMatchObject({ code: "E_RANGE", path: "layers" });
    expect(diagnostics(() => parseModelSpec({ ...base, ffn: { type: "swish", intermediate_size: 128 } }))[0]!.path).toBe("ffn.type");
    expect(diagnostics(() => parseModelSpec({ ...base, hiden_size: 64 }))[0]!.message).toMatch(/unknown field "hiden_size"/);
    expect(diagnostics(() => parseModelSpec({ ...base, category: "rnn" }))[0]).toMatchObject({ path: "category", got: '"rnn"' });
    expect(diagnostics(() => parseModelSpec({ ...base, moe: { experts: 8, top_k: 9, expert_intermediate_size: 64 } }))[0]!.path).toBe("moe.top_k");
    expect(diagnostics(() => parseModelSpec({ ...base, position: { type: "learned" } }))[0]!.path).toBe("position.learned_rows");
    expect(diagnostics(() => parseModelSpec({ ...base, norm: { ...base.norm, placement: "sandwich" } }))[0]!.path).toBe("norm.per_layer");
  });

  it("a CNN whose channels do not chain is refused at the layer that breaks", () => {
    const cnn = parseModelSpec({
      id: "bad-cnn", name: "bad", category: "cnn", input: { channels: 3, image_size: 32 },
      layers: [
        { type: "conv", name: "c1", out: 8, kernel: 3, pad: 1 },
        { type: "conv", name: "c2", in: 16, out: 8, kernel: 3, pad: 1 },
      ],
    });
    expect(diagnostics(() => modelParams(cnn))[0]).toMatchObject({ path: "layers[1].in" });
    const tiny = parseModelSpec({ id: "tiny", name: "t", category: "cnn", input: { channels: 3, image_size: 4 }, layers: [{ type: "conv", name: "c", out: 4, kernel: 7, stride: 2 }] });
    expect(diagnostics(() => modelParams(tiny))[0]!.message).toMatch(/vanishes/);
  });
});

describe("model catalog loading", () => {
  it("loads every catalog model and suggests the closest id for a typo", () => {
    expect(loadAllModels().map((m) => m.id).sort()).toEqual(modelIds().sort());
    const d = diagnostics(() => loadModel("llama-3.1-8"))[0]!;
    expect(d.code).toBe("E_UNKNOWN_ID");
    expect(d.hint).toMatch(/did you mean "llama-3.1-8b"/);
  });

  it("Hugging Face repository names are aliases", () => {
    expect(loadModel("meta-llama/Meta-Llama-3.1-8B").id).toBe("llama-3.1-8b");
    expect(loadModel("deepseek-ai/deepseek-v3").id).toBe("deepseek-v3");
  });

  it("a spec file may extend a catalog model", () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-model-"));
    const file = join(dir, "llama-3.1-8b-deep.yaml");
    writeFileSync(file, "id: llama-3.1-8b-deep\nextends: llama-3.1-8b\nname: Llama 3.1 8B with 40 layers\nlayers: 40\n");
    const m = loadModel(file);
    const perLayer = 4096 * 4096 * 2 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096;
    expect(modelParams(m).params_total).toBe(8_030_261_248 + 8 * perLayer);
    expect(() => modelFromObject({ id: "x", extends: "llama-3.1-8x" })).toThrow(/did you mean "llama-3.1-8b"/);
  });

  it("a decoder's embedding_norm (BLOOM) adds one norm's parameters to the embedding, in the closed form and the graph", () => {
    const bloom = loadModel("bloom-176b");
    const without = modelFromObject({ id: "bloom-no-embnorm", extends: "bloom-176b", embedding_norm: false });
    const d = 14336;
    expect(modelParams(bloom).params_total - modelParams(without).params_total).toBe(2 * d); // LayerNorm: gain + bias
    expect(modelParams(bloom).params_embedding).toBe(250880 * d + 2 * d);
    const shape = { batch: 1, new_tokens: 8, context_tokens: 8, phase: "prefill" as const };
    const ops = buildWorkload(bloom, shape, DEFAULT_PRECISION).blocks[0]!.ops.map((o) => o.name);
    expect(ops).toEqual(["embed.tokens", "embed.norm"]);
  });

  it("every catalog model builds for a typical shape", () => {
    for (const m of loadAllModels()) {
      const shape = m.category === "decoder-llm" ? { batch: 4, new_tokens: 1, context_tokens: 2048, phase: "decode" as const } : { batch: 2, new_tokens: 128, context_tokens: 128, phase: "forward" as const };
      const g = buildWorkload(m, shape, DEFAULT_PRECISION);
      expect(g.blocks.length, m.id).toBeGreaterThan(1);
      expect(g.blocks.every((b) => b.ops.length > 0 && b.repeat >= 1), m.id).toBe(true);
      expect(g.params_total, m.id).toBeGreaterThan(0);
    }
  });
});
