import { describe, expect, it } from "vitest";
import {
  attentionFlopsPerContextToken,
  buildWorkload,
  flopsPerTokenForwardLinear,
  kvCacheBytesPerToken,
  modelParams,
} from "../src/core/workload/build-workload.js";
import { graphTotals } from "../src/core/workload/op-metrics.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadModel, modelIds } from "../src/node/model-catalog.js";
import { referenceFixture, sharedReferenceTrimmed } from "./helpers/reference-fixtures.js";

/**
 * Every catalog model against the reference table (shared/reference/models.json): parameter counts
 * exactly, FLOPs per token and KV bytes where given, CNN / ViT / UNet MACs exactly. The expected
 * numbers are embedded so the test runs without shared/; when shared/ is present every field of
 * the table is compared as well.
 */
interface Expected {
  total: number;
  active?: number;
  flopsLinear?: number;
  attnPerCtx?: number;
  kvBf16?: number;
  macs?: number;
}

const EXPECTED: Record<string, Expected> = {
  "gpt2-124m": { total: 124439808, flopsLinear: 247306752, attnPerCtx: 36864, kvBf16: 36864 },
  "gpt2-1.5b": { total: 1557611200, flopsLinear: 3111945600, attnPerCtx: 307200, kvBf16: 307200 },
  "gpt3-175b": { total: 174604259328, flopsLinear: 349158187008, attnPerCtx: 4718592, kvBf16: 4718592 },
  "opt-66b": { total: 65719701504, flopsLinear: 131401617408, attnPerCtx: 2359296, kvBf16: 2359296 },
  "opt-175b": { total: 174604468224, flopsLinear: 349158555648, attnPerCtx: 4718592, kvBf16: 4718592 },
  "llama-2-7b": { total: 6738415616, flopsLinear: 13214687232, attnPerCtx: 524288, kvBf16: 524288 },
  "llama-2-13b": { total: 13015864320, flopsLinear: 25704048640, attnPerCtx: 819200, kvBf16: 819200 },
  "llama-2-70b": { total: 68976648192, flopsLinear: 137429008384, attnPerCtx: 2621440, kvBf16: 327680 },
  "llama-3-8b": { total: 8030261248, flopsLinear: 15009849344, attnPerCtx: 524288, kvBf16: 131072 },
  "llama-3-70b": { total: 70553706496, flopsLinear: 139006066688, attnPerCtx: 2621440, kvBf16: 327680 },
  "llama-3.1-8b": { total: 8030261248, flopsLinear: 15009849344, attnPerCtx: 524288, kvBf16: 131072 },
  "llama-3.1-70b": { total: 70553706496, flopsLinear: 139006066688, attnPerCtx: 2621440, kvBf16: 327680 },
  "llama-3.1-405b": { total: 405853388800, flopsLinear: 807504084992, attnPerCtx: 8257536, kvBf16: 516096 },
  "mistral-7b": { total: 7241732096, flopsLinear: 14221320192, attnPerCtx: 524288, kvBf16: 131072 },
  "gemma-2-9b": { total: 9241705984, flopsLinear: 18483411968, attnPerCtx: 688128, kvBf16: 344064 },
  "gemma-2-27b": { total: 27227128320, flopsLinear: 54454256640, attnPerCtx: 753664, kvBf16: 376832 },
  "qwen2.5-7b": { total: 7615616512, flopsLinear: 14141238272, attnPerCtx: 401408, kvBf16: 57344 },
  "qwen2.5-72b": { total: 72706203648, flopsLinear: 142920990720, attnPerCtx: 2621440, kvBf16: 327680 },
  "falcon-40b": { total: 41303293952, flopsLinear: 82606587904, attnPerCtx: 1966080, kvBf16: 122880 },
  "palm-540b": { total: 540356474880, flopsLinear: 1080712949760, attnPerCtx: 5799936, kvBf16: 120832 },
  "mt-nlg-530b": { total: 529581506560, flopsLinear: 1059079127040, attnPerCtx: 8601600, kvBf16: 8601600 },
  "mixtral-8x7b": { total: 46702792704, active: 12879925248, flopsLinear: 25497706496, attnPerCtx: 524288, kvBf16: 131072 },
  "mixtral-8x22b": { total: 140620634112, active: 39152031744, flopsLinear: 77910847488, attnPerCtx: 1376256, kvBf16: 229376 },
  "deepseek-v3": { total: 671026419200, active: 37552297472, flopsLinear: 73251236864, attnPerCtx: 4997120, kvBf16: 70272 },
  "megatron-gpt-1.7b": { total: 1652230656, flopsLinear: 3295024128, attnPerCtx: 221184, kvBf16: 221184 },
  "megatron-gpt-3.6b": { total: 3562168320, flopsLinear: 7111753728, attnPerCtx: 368640, kvBf16: 368640 },
  "megatron-gpt-7.5b": { total: 7467786240, flopsLinear: 14918795264, attnPerCtx: 589824, kvBf16: 589824 },
  "megatron-gpt-18.4b": { total: 18449756160, flopsLinear: 36874346496, attnPerCtx: 983040, kvBf16: 983040 },
  "megatron-gpt-39.1b": { total: 39096041472, flopsLinear: 78158528512, attnPerCtx: 1572864, kvBf16: 1572864 },
  "megatron-gpt-76.1b": { total: 76050739200, flopsLinear: 152059535360, attnPerCtx: 2457600, kvBf16: 2457600 },
  "megatron-gpt-145.6b": { total: 145622261760, flopsLinear: 291194191872, attnPerCtx: 3932160, kvBf16: 3932160 },
  "megatron-gpt-310.1b": { total: 310130540544, flopsLinear: 620193972224, attnPerCtx: 6291456, kvBf16: 6291456 },
  "megatron-gpt-529.6b": { total: 529600819200, flopsLinear: 1059117752320, attnPerCtx: 8601600, kvBf16: 8601600 },
  "megatron-gpt-1008b": { total: 1008038758400, flopsLinear: 2015972659200, attnPerCtx: 13107200, kvBf16: 13107200 },
  "bert-base": { total: 109482240, flopsLinear: 170108928, attnPerCtx: 36864 },
  "bert-large": { total: 335141888, flopsLinear: 604618752, attnPerCtx: 98304 },
  "vit-b-16": { total: 86567656, macs: 17563828224 },
  "vit-l-16": { total: 304326632, macs: 61554712576 },
  "resnet-50": { total: 25557032, macs: 4089184256 },
  "alexnet": { total: 61100840, macs: 714188480 },
  "vgg-16": { total: 138357544, macs: 15470264320 },
  "mobilenet-v2": { total: 3504872, macs: 300774272 },
  "sd-1.5-unet": { total: 859520964, macs: 401636720640 },
};

/** The reference table: the committed copy (test/fixtures/reference/models.json), checked against ../shared when present. */
const reference = referenceFixture("models.json");
const sharedModels = sharedReferenceTrimmed("models.json");

/**
 * Catalog models beyond the reference table, each checked against the total its paper prints.
 * `low` ≤ params_total < `high`: the interval the printed figure stands for (the papers truncate:
 * LLaMA's 65.2B is 65,285,660,672; PaLM's 540.35B is 540,356,474,880), or, where the figure is a
 * name, the rounding it implies. No tolerance covers something the engine leaves out: BLOOM's ALiBi
 * and PaLM's multi-query attention add no parameters, and PaLM's parallel block (one LayerNorm per
 * layer) and BLOOM's embedding LayerNorm are modelled.
 */
const PAPER_TOTALS: Record<string, { low: number; high: number; printed: string; total: number }> = {
  // Touvron et al. 2023 (arXiv:2302.13971) Table 2: "65.2B".
  "llama-65b": { low: 65.2e9, high: 65.3e9, printed: "65.2B", total: 65_285_660_672 },
  // Zhang et al. 2022 (arXiv:2205.01068) Table 1: "175B" (a name: 174.6B rounds to it).
  "opt-175b": { low: 174.5e9, high: 175.5e9, printed: "175B", total: 174_604_468_224 },
  // Le Scao et al. 2022 (arXiv:2211.05100) Table 3: "176,247M".
  "bloom-176b": { low: 176_247e6, high: 176_248e6, printed: "176,247M", total: 176_247_271_424 },
  // Chowdhery et al. 2022 (arXiv:2204.02311) Table 1: "540.35B".
  "palm-540b": { low: 540.35e9, high: 540.36e9, printed: "540.35B", total: 540_356_474_880 },
};

describe(`model catalog: the ${Object.keys(EXPECTED).length} reference models and the sourced others`, () => {
  it("holds every id of the reference table", () => {
    expect(modelIds()).toEqual(expect.arrayContaining(Object.keys(EXPECTED)));
  });

  it("every model beyond the reference table names a paper and is checked against its published total", () => {
    const extra = modelIds().filter((id) => !(id in EXPECTED));
    expect(extra.sort()).toEqual(["bloom-176b", "llama-65b"]);
    for (const id of extra) {
      expect(loadModel(id).sources.some((s) => s.kind === "paper"), id).toBe(true);
      expect(PAPER_TOTALS[id], id).toBeDefined();
    }
  });

  for (const [id, paper] of Object.entries(PAPER_TOTALS)) {
    it(`${id}: params_total ${paper.total} is the paper's ${paper.printed}`, () => {
      const spec = loadModel(id);
      const total = modelParams(spec).params_total;
      expect(total).toBe(paper.total);
      expect(total).toBeGreaterThanOrEqual(paper.low);
      expect(total).toBeLessThan(paper.high);
      const shape = { batch: 1, new_tokens: 64, context_tokens: 64, phase: "prefill" as const };
      expect(graphTotals(buildWorkload(spec, shape, DEFAULT_PRECISION)).params).toBe(total);
    });
  }

  for (const [id, e] of Object.entries(EXPECTED)) {
    it(`${id}: counts recomputed from the spec`, () => {
      const spec = loadModel(id);
      const p = modelParams(spec);
      expect(p.params_total).toBe(e.total);
      expect(p.params_active).toBe(e.active ?? e.total);
      if (e.flopsLinear !== undefined) expect(flopsPerTokenForwardLinear(spec)).toBe(e.flopsLinear);
      if (e.attnPerCtx !== undefined) expect(attentionFlopsPerContextToken(spec)).toBe(e.attnPerCtx);
      if (e.kvBf16 !== undefined) expect(kvCacheBytesPerToken(spec, "bf16")).toBe(e.kvBf16);
      // A full forward touches every parameter: the graph's per-op sum equals the closed form.
      const shape =
        spec.category === "decoder-llm"
          ? { batch: 2, new_tokens: 256, context_tokens: 256, phase: "prefill" as const }
          : { batch: 1, new_tokens: 128, context_tokens: 128, phase: "forward" as const };
      const t = graphTotals(buildWorkload(spec, shape, DEFAULT_PRECISION));
      expect(t.params).toBe(e.total);
      if (e.macs !== undefined) expect(t.macs).toBe(e.macs);
    });
  }
});

describe("model catalog against the reference table (shared/reference/models.json, copied in test/fixtures/reference)", () => {
  it.skipIf(!sharedModels)("keeps test/fixtures/reference/models.json equal to ../shared/reference/models.json (trimmed)", () => {
    expect(reference).toEqual(sharedModels);
  });

  it("every reference model is in the catalog, and the EXPECTED table lists exactly the reference models", () => {
    const ids = reference.map((m) => String(m.id));
    expect(modelIds()).toEqual(expect.arrayContaining(ids));
    expect(ids.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const m of reference) {
    it(`${String(m.id)} matches every counted field of the table`, () => {
      const spec = loadModel(String(m.id));
      const p = modelParams(spec);
      expect(p.params_total).toBe(m.params_total);
      if (m.params_active != null) expect(p.params_active).toBe(m.params_active);
      if (m.params_embedding_input != null) expect(p.params_embedding).toBe(m.params_embedding_input);
      if (m.params_lm_head_untied != null) expect(p.params_lm_head_untied).toBe(m.params_lm_head_untied);
      if (m.params_non_embedding != null) expect(p.params_non_embedding).toBe(m.params_non_embedding);
      if (m.flops_per_token_forward_linear != null) expect(flopsPerTokenForwardLinear(spec)).toBe(m.flops_per_token_forward_linear);
      if (m.flops_per_token_forward_attention_per_context_token != null) {
        expect(attentionFlopsPerContextToken(spec)).toBe(m.flops_per_token_forward_attention_per_context_token);
      }
      if (m.kv_cache_bytes_per_token_bf16 != null) expect(kvCacheBytesPerToken(spec, "bf16")).toBe(m.kv_cache_bytes_per_token_bf16);
      if (m.weights_bytes_bf16 != null) expect(2 * p.params_total).toBe(m.weights_bytes_bf16);
      const breakdown = m.params_breakdown as Record<string, number> | undefined;
      if (breakdown?.mtp_module_unique_computed !== undefined) expect(p.params_mtp).toBe(breakdown.mtp_module_unique_computed);
      const macs = (m.macs_per_image ?? m.macs_per_unet_eval_64x64_batch1) as number | undefined;
      if (macs !== undefined) {
        const t = graphTotals(buildWorkload(spec, { batch: 1, new_tokens: 1, context_tokens: 1, phase: "forward" }, DEFAULT_PRECISION));
        expect(t.macs).toBe(macs);
      }
    });
  }

  it("CNN convolution and FC rows match the layers_table row by row (params and MACs)", () => {
    for (const m of reference ?? []) {
      const table = m.layers_table as Array<{ type: string; params: number; macs: number }> | undefined;
      if (!table) continue;
      const g = buildWorkload(loadModel(String(m.id)), { batch: 1, new_tokens: 1, context_tokens: 1, phase: "forward" }, DEFAULT_PRECISION);
      // Each conv/FC with its BatchNorm (the table folds BN γ, β into the conv row).
      const rows: string[] = [];
      for (const b of g.blocks) {
        for (let r = 0; r < b.repeat; r++) {
          b.ops.forEach((op, i) => {
            if (op.kind !== "conv2d" && op.kind !== "gemm") return;
            const next = b.ops[i + 1];
            const bn = next?.kind === "norm" && next.norm === "batchnorm" ? next.params : 0;
            const t = graphTotals({ ...g, blocks: [{ name: "x", kind: "stage", repeat: 1, ops: [op] }] });
            rows.push(`${t.params + bn}/${t.macs}`);
          });
        }
      }
      const expected = table.filter((r) => r.type !== "maxpool" && r.type !== "avgpool").map((r) => `${r.params}/${r.macs}`);
      expect(rows.sort(), String(m.id)).toEqual(expected.sort());
    }
  });
});
