import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { type ModelSpec, parseModelSpec } from "../src/core/spec/model-spec.js";
import { moeRouting } from "../src/core/workload/builders/transformer-layer.js";
import {
  attentionFlopsPerContextToken,
  buildWorkload,
  flopsPerTokenForwardLinear,
  kvCacheBytes,
  modelParams,
  type WorkloadShape,
} from "../src/core/workload/build-workload.js";
import type { WorkloadGraph } from "../src/core/workload/op.js";
import { graphTotals, opFlops, opMacs, opParams } from "../src/core/workload/op-metrics.js";
import { DEFAULT_PRECISION, parsePrecision } from "../src/core/workload/precision.js";
import { loadModel } from "../src/node/model-catalog.js";

/** A 2-layer GQA decoder small enough to count every op by hand. */
const TOY = parseModelSpec({
  id: "toy-gqa", name: "toy", category: "decoder-llm",
  layers: 2, hidden_size: 16, vocab_size: 32, max_context: 64, tied_embeddings: false,
  position: { type: "rope" },
  attention: { heads: 4, kv_heads: 2, head_dim: 4 },
  ffn: { type: "swiglu", intermediate_size: 32 },
  norm: { type: "rmsnorm", placement: "pre", per_layer: 2 },
});

const prefill = (s: number, batch = 1): WorkloadShape => ({ batch, new_tokens: s, context_tokens: s, phase: "prefill" });
const decode = (ctx: number, batch = 1): WorkloadShape => ({ batch, new_tokens: 1, context_tokens: ctx, phase: "decode" });
const build = (m: ModelSpec, s: WorkloadShape) => buildWorkload(m, s, DEFAULT_PRECISION);

function flopsByName(g: WorkloadGraph): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of g.blocks) for (const op of b.ops) out[`${b.name}/${op.name}`] = opFlops(op);
  return out;
}

describe("toy 2-layer GQA decoder (d 16, 4 heads, 2 KV heads, head 4, SwiGLU 32, vocab 32)", () => {
  it("parameters: 2 × (768 attention + 1536 FFN + 32 norms) + 512 + 512 + 16 = 5712", () => {
    const p = modelParams(TOY);
    expect(p.params_total).toBe(5712);
    expect(flopsPerTokenForwardLinear(TOY)).toBe(10400); // 2 · (5712 − 512 embedding)
    expect(attentionFlopsPerContextToken(TOY)).toBe(128); // 2 · 2 layers · 4 heads · (4 + 4)
  });

  it("prefill of 4 tokens: every op's FLOPs by hand", () => {
    const g = build(TOY, prefill(4));
    expect(g.blocks.map((b) => [b.name, b.repeat])).toEqual([["embedding", 1], ["decoder_layer", 2], ["final", 1]]);
    expect(flopsByName(g)).toEqual({
      "embedding/embed.tokens": 0,
      "decoder_layer/attn_norm": 256, // 4 tokens · 16 · 4
      "decoder_layer/attn.qkv_proj": 4096, // 2 · 4 · 16 · (4 + 2·2)·4
      "decoder_layer/attn.rope": 288, // 4 · (4 + 2) heads · 4 · 3
      "decoder_layer/attn.core": 640, // 4 heads · 10 causal pairs · 2 · (4 + 4)
      "decoder_layer/attn.o_proj": 2048, // 2 · 4 · 16 · 16
      "decoder_layer/attn.residual": 64,
      "decoder_layer/mlp_norm": 256,
      "decoder_layer/mlp.gate_up_proj": 8192, // 2 · 4 · 16 · 64
      "decoder_layer/mlp.act": 640, // 4 · 32 · (silu 4 + multiply 1)
      "decoder_layer/mlp.down_proj": 4096, // 2 · 4 · 32 · 16
      "decoder_layer/mlp.residual": 64,
      "final/final_norm": 256,
      "final/lm_head": 4096, // 2 · 4 · 16 · 32
    });
    expect(graphTotals(g).flops).toBe(2 * 20640 + 4352);
    expect(graphTotals(g).params).toBe(5712);
  });

  it("decode at 5 keys: 1 token through every layer plus 5 attended positions", () => {
    const f = flopsByName(build(TOY, decode(5)));
    expect(f["decoder_layer/attn.core"]).toBe(4 * 5 * 16);
    expect(f["decoder_layer/attn.qkv_proj"]).toBe(4096 / 4);
    expect(f["final/lm_head"]).toBe(4096 / 4);
  });

  it("lm_head_tokens 'last' computes one row of logits per sequence", () => {
    const g = build(TOY, { ...prefill(4, 3), lm_head_tokens: "last" });
    const head = g.blocks.at(-1)!.ops.find((o) => o.name === "lm_head")!;
    expect(opMacs(head)).toBe(3 * 16 * 32);
  });
});

/** Σ 2·MACs of weight GEMMs must equal tokens × (flops_per_token_forward_linear − 2 × norm and bias parameters). */
function weightGemmCheck(id: string, s: number, batch: number) {
  const m = loadModel(id);
  const g = build(m, prefill(s, batch));
  let matmul = 0;
  let vectorParams = 0; // norm scales, biases and the router bias: models.md counts 2 FLOPs per parameter
  let attention = 0;
  for (const b of g.blocks) {
    if (b.name === "embedding") continue;
    for (const op of b.ops) {
      if (op.kind === "gemm" && op.b_is_weight) {
        matmul += b.repeat * 2 * opMacs(op);
        if (op.bias) vectorParams += b.repeat * op.batch * op.n;
      }
      if (op.kind === "norm" || op.kind === "elementwise") vectorParams += b.repeat * opParams(op);
      if (op.kind === "attention") attention += b.repeat * opFlops(op);
    }
  }
  const T = s * batch;
  expect(matmul, id).toBe(T * (flopsPerTokenForwardLinear(m)! - 2 * vectorParams));
  return { attention, m };
}

describe("prefill FLOPs = tokens × flops_per_token_forward_linear + causal attention term", () => {
  for (const id of ["llama-3.1-405b", "gpt2-124m", "qwen2.5-7b", "falcon-40b", "palm-540b", "gemma-2-27b", "mixtral-8x7b", "deepseek-v3"]) {
    it(id, () => {
      const s = 1024;
      const batch = 2;
      const { attention, m } = weightGemmCheck(id, s, batch);
      if (m.category !== "decoder-llm") throw new Error("decoder expected");
      const sw = m.attention.sliding_window;
      if (!sw || sw.window >= s) {
        // causal: T(T+1)/2 attended positions per sequence (models.md §4)
        expect(attention).toBe(batch * attentionFlopsPerContextToken(m)! * ((s * (s + 1)) / 2));
      }
    });
  }

  it("Mistral beyond its 4096 window: each query attends min(position, 4096) keys", () => {
    const m = loadModel("mistral-7b");
    const g = build(m, prefill(8192));
    const attn = g.blocks[1]!.ops.find((o) => o.kind === "attention")!;
    const pairs = (4096 * 4097) / 2 + (8192 - 4096) * 4096;
    expect(g.blocks[1]!.repeat * opFlops(attn)).toBe(attentionFlopsPerContextToken(m)! * pairs);
  });
});

describe("published FLOP formulas", () => {
  it("Megatron GPT (Narayanan et al. 2021): forward per token 24·l·h²·(1 + s/6h + V/12lh), full attention", () => {
    for (const id of ["megatron-gpt-1.7b", "megatron-gpt-145.6b", "megatron-gpt-1008b"]) {
      const m = loadModel(id);
      if (m.category !== "decoder-llm") throw new Error("decoder expected");
      const { layers: l, hidden_size: h, vocab_size: V } = m;
      const s = 2048;
      const narayanan = 24 * l * h * h + 4 * l * h * s + 2 * V * h; // = 24lh²(1 + s/6h + V/12lh)
      // The paper drops biases and LayerNorms: 13 parameters per h per layer + the final LN, 2 FLOPs each.
      expect(flopsPerTokenForwardLinear(m)! + attentionFlopsPerContextToken(m)! * s - narayanan).toBe(26 * l * h + 4 * h);
    }
  });
});

describe("decode vs prefill consistency", () => {
  for (const id of ["llama-3.1-8b", "gpt2-1.5b", "mistral-7b", "gemma-2-9b", "falcon-40b"]) {
    it(`${id}: prefill(s) + decode step at s+1 keys = prefill(s+1)`, () => {
      const m = loadModel(id);
      for (const s of [7, 4100]) {
        const a = graphTotals(build(m, prefill(s, 3))).flops;
        const b = graphTotals(build(m, decode(s + 1, 3))).flops;
        const c = graphTotals(build(m, prefill(s + 1, 3))).flops;
        expect(a + b).toBe(c);
      }
    });
  }

  it("chunked prefill: two chunks of 512 = one prefill of 1024", () => {
    const m = loadModel("llama-3.1-70b");
    const one = graphTotals(build(m, prefill(1024))).flops;
    const first = graphTotals(build(m, prefill(512))).flops;
    const second = graphTotals(build(m, { batch: 1, new_tokens: 512, context_tokens: 1024, phase: "prefill" })).flops;
    expect(first + second).toBe(one);
  });

  it("a decode step streams every weight once (the embedding only its gathered rows)", () => {
    const m = loadModel("llama-3.1-8b");
    const t = graphTotals(build(m, decode(4096, 4)));
    const p = modelParams(m);
    expect(t.weight_bytes).toBe(2 * (p.params_total - 128256 * 4096 + 4 * 4096));
    // int4 weights quarter the matrix and embedding stream; norm scales stay in the activation dtype
    const normBytes = 2 * (32 * 2 * 4096 + 4096);
    const q = graphTotals(buildWorkload(m, decode(4096, 4), parsePrecision("w4a16")));
    expect(q.weight_bytes).toBe(0.25 * (t.weight_bytes - normBytes) + normBytes);
  });
});

describe("block structure", () => {
  it("Llama 3.1 405B: one decoder block × 126", () => {
    const g = build(loadModel("llama-3.1-405b"), prefill(128));
    expect(g.blocks.map((b) => [b.name, b.repeat])).toEqual([["embedding", 1], ["decoder_layer", 126], ["final", 1]]);
  });

  it("Gemma 2: local and global blocks, local layers windowed", () => {
    const g9 = build(loadModel("gemma-2-9b"), decode(8192));
    expect(g9.blocks.map((b) => [b.name, b.repeat])).toEqual([["embedding", 1], ["decoder_layer.local", 21], ["decoder_layer.global", 21], ["final", 1]]);
    const local = g9.blocks[1]!.ops.find((o) => o.kind === "attention")!;
    const global = g9.blocks[2]!.ops.find((o) => o.kind === "attention")!;
    expect(local.kind === "attention" && local.window).toBe(4096);
    expect(global.kind === "attention" && global.window).toBeUndefined();
    const g27 = build(loadModel("gemma-2-27b"), decode(10));
    expect(g27.blocks.slice(1, 3).map((b) => b.repeat)).toEqual([23, 23]);
  });

  it("DeepSeek-V3: 3 dense + 58 MoE layers; MLA prefill up-projects, decode attends the latent", () => {
    const m = loadModel("deepseek-v3");
    const g = build(m, decode(32768, 1));
    expect(g.blocks.map((b) => [b.name, b.repeat])).toEqual([["embedding", 1], ["decoder_layer.dense", 3], ["decoder_layer.moe", 58], ["final", 1]]);
    const moe = g.blocks[2]!;
    const experts = moe.ops.find((o) => o.name === "moe.experts.gate_up_proj")!;
    expect(experts.kind === "gemm" && [experts.batch, experts.m, experts.n]).toEqual([8, 1, 4096]);
    const attn = moe.ops.find((o) => o.kind === "attention")!;
    // latent cache: 576 elements · 2 B per token per layer; 61 layers = 70,272 B/token (models.md §3)
    expect(attn.kind === "attention" && [attn.kv_heads, attn.head_dim_qk, attn.head_dim_v, attn.kv_bytes_per_token]).toEqual([1, 576, 512, 1152]);
    expect(g.kv_cache_bytes).toBe(70272 * 32768);
    const p = build(m, prefill(64)).blocks[2]!.ops.find((o) => o.kind === "attention")!;
    expect(p.kind === "attention" && [p.kv_heads, p.head_dim_qk, p.head_dim_v]).toEqual([128, 192, 128]);
  });
});

describe("MoE routing (expected uniform routing)", () => {
  it("busy experts E·(1 − (1 − k/E)^T) rounded up, tokens spread evenly", () => {
    expect(moeRouting(1, 256, 8)).toEqual({ busy_experts: 8, tokens_per_expert: 1 });
    expect(moeRouting(4, 8, 2)).toEqual({ busy_experts: 6, tokens_per_expert: 2 }); // 8·(1 − 0.75⁴) = 5.47
    expect(moeRouting(32, 256, 8)).toEqual({ busy_experts: 164, tokens_per_expert: 2 }); // 256·(1 − (31/32)³²) = 163.3
    expect(moeRouting(4096, 8, 2)).toEqual({ busy_experts: 8, tokens_per_expert: 1024 });
  });

  it("Mixtral decode of 4 sequences reads 6 experts' weights per layer", () => {
    const g = build(loadModel("mixtral-8x7b"), decode(100, 4));
    const up = g.blocks[1]!.ops.find((o) => o.name === "moe.experts.gate_up_proj")!;
    expect(opParams(up)).toBe(6 * 4096 * 2 * 14336);
  });
});

describe("KV cache and other categories", () => {
  it("sliding windows cap the cache: Gemma 2 9B and Mistral 7B at 8192 tokens", () => {
    // Gemma: 21 local layers × 4096 + 21 global × 8192 tokens, 2·8·256·2 B per token-layer
    expect(kvCacheBytes(loadModel("gemma-2-9b"), 8192, "bf16")).toBe(21 * 8192 * (4096 + 8192));
    expect(kvCacheBytes(loadModel("mistral-7b"), 8192, "bf16", 2)).toBe(2 * 32 * 4096 * 4096);
    expect(kvCacheBytes(loadModel("llama-3.1-70b"), 1000, "fp8")).toBe(163840 * 1000);
  });

  it("ViT at 384 px: 577 tokens; ResNet-50 at batch 8 scales MACs by 8", () => {
    const vit = loadModel("vit-b-16");
    const t = graphTotals(buildWorkload(vit, { batch: 1, new_tokens: 1, context_tokens: 1, phase: "forward", image_size: 384 }, DEFAULT_PRECISION));
    const T = 577;
    // models.md §10.12 with T = 577
    expect(t.macs).toBe(12 * (T * (4 * 768 * 768 + 2 * 768 * 3072) + 2 * T * T * 768) + (T - 1) * 3 * 256 * 768 + 768 * 1000);
    const r = loadModel("resnet-50");
    const one = graphTotals(buildWorkload(r, { batch: 1, new_tokens: 1, context_tokens: 1, phase: "forward" }, DEFAULT_PRECISION)).macs;
    const eight = graphTotals(buildWorkload(r, { batch: 8, new_tokens: 1, context_tokens: 1, phase: "forward" }, DEFAULT_PRECISION)).macs;
    expect(eight).toBe(8 * one);
  });

  it("SD 1.5 UNet: classifier-free guidance batch 2 doubles the MACs of one 512×512 evaluation", () => {
    const u = loadModel("sd-1.5-unet");
    const g = buildWorkload(u, { batch: 2, new_tokens: 1, context_tokens: 1, phase: "forward", image_size: 512 }, DEFAULT_PRECISION);
    expect(graphTotals(g).macs).toBe(2 * 401_636_720_640);
  });
});

describe("errors", () => {
  it("bad shapes name the field", () => {
    const m = loadModel("llama-3.1-8b");
    const path = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(XpusimError);
        return (e as XpusimError).diagnostics.map((d) => d.path);
      }
      throw new Error("no error");
    };
    expect(path(() => build(m, { batch: 1, new_tokens: 10, context_tokens: 5, phase: "prefill" }))).toEqual(["shape.context_tokens"]);
    expect(path(() => build(m, { batch: 0, new_tokens: 1, context_tokens: 5, phase: "decode" }))).toEqual(["shape.batch"]);
    expect(path(() => build(loadModel("resnet-50"), decode(5)))).toEqual(["shape.phase"]);
    expect(build(loadModel("resnet-50"), prefill(1)).phase).toBe("forward"); // "prefill" of an image model = its forward pass
    expect(path(() => build(loadModel("vit-b-16"), { batch: 1, new_tokens: 1, context_tokens: 1, phase: "forward", image_size: 8 }))).toEqual(["shape.image_size"]);
    expect(path(() => build(loadModel("sd-1.5-unet"), { batch: 1, new_tokens: 1, context_tokens: 1, phase: "forward", image_size: 500 }))).toEqual(["shape.image_size"]);
  });
});

describe("performance", () => {
  it("builds the Llama 3.1 405B graph in well under 1 ms", () => {
    const m = loadModel("llama-3.1-405b");
    for (let i = 0; i < 50; i++) build(m, decode(4096, 8)); // warm up
    const n = 500;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) build(m, decode(4096 + i, 8));
    const perBuild = (performance.now() - t0) / n;
    expect(perBuild).toBeLessThan(0.5);
  });
});
