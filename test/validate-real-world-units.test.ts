import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWith } from "../src/core/spec/validate.js";
import { parseMeasured, parseQuantity, parseUnit } from "../src/core/units/quantity.js";
import { measuredFileSchema, toSi } from "../src/core/validate/measured-point.js";
import { canonicalCategory, canonicalMetric, nameKey } from "../src/core/validate/metric-names.js";
import { countOf } from "../src/core/validate/point-config.js";
import { runValidation } from "../src/core/validate/run-validation.js";
import { matchModelName, modelKey } from "../src/node/model-name-match.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";
import { MEASURED_PUBLIC_JSON, VALIDATION_FIXTURE_DIR } from "./helpers/validation-fixtures.js";

/**
 * Measured files as users have them: units, metric names and model names spelled the way papers and
 * MLPerf tables spell them (test/fixtures/validation/real-world-units.json, each point sourced).
 */
const FIXTURE = join(VALIDATION_FIXTURE_DIR, "real-world-units.json");
const raw = JSON.parse(readFileSync(FIXTURE, "utf8")) as Array<{ id: string; expect_unsupported?: string }>;
const summary = runValidation(parseWith(measuredFileSchema, raw), validationResolvers());
const byId = Object.fromEntries(summary.results.map((r) => [r.id, r]));
const publicSummary = runValidation(parseWith(measuredFileSchema, JSON.parse(readFileSync(MEASURED_PUBLIC_JSON, "utf8"))), validationResolvers());
const publicById = Object.fromEntries(publicSummary.results.map((r) => [r.id, r]));

describe("units as measured files write them (core/units parseUnit)", () => {
  const si = (text: string) => parseMeasured(text);
  it("converts SI prefixes, rates, long times, accelerator time and energy (hand-checked)", () => {
    expect(si("1 PFLOP/s")!.value).toBe(1e15);
    expect(si("227.1 PFLOP/s")!.value).toBeCloseTo(2.271e17, 3);
    expect(si("148 TFLOPS")!.value).toBe(148e12);
    expect(si("1 GPU-hour")).toMatchObject({ dimension: "chip_seconds", value: 3600 });
    expect(si("1,022,362 GPU-hours")!.value).toBe(1_022_362 * 3600);
    expect(si("2 chip-days")!.value).toBe(2 * 86400);
    expect(si("1 MWh")).toMatchObject({ dimension: "joules", value: 3.6e9 });
    expect(si("1 kWh")!.value).toBe(3.6e6);
    expect(si("2 MJ")!.value).toBe(2e6);
    expect(si("2 mJ")!.value).toBe(2e-3);
    expect(si("1 MW")!.value).toBe(1e6);
    expect(si("21 days")).toMatchObject({ dimension: "seconds", value: 21 * 86400 });
    expect(si("10.94 min")!.value).toBeCloseTo(656.4, 9);
    expect(si("1.5 h")!.value).toBe(5400);
    expect(si("5.586 k tokens/s")).toMatchObject({ dimension: "tokens_per_s", value: 5586 });
    expect(si("2500 samples/s")).toMatchObject({ dimension: "samples_per_s", value: 2500 });
    expect(si("0.4 J/token")).toMatchObject({ dimension: "joules_per_item", value: 0.4 });
  });
  it("reports per-accelerator rates and shares of peak", () => {
    expect(parseUnit("tokens/s/GPU")).toEqual({ dimension: "tokens_per_s", factor: 1, perChip: true });
    expect(parseUnit("TFLOP/s per GPU")).toEqual({ dimension: "flops_per_s", factor: 1e12, perChip: true });
    expect(parseUnit("TFLOPS/GPU")).toMatchObject({ perChip: true });
    expect(parseUnit("GPU-hours")!.perChip).toBeUndefined();
    expect(si("46.2 % of peak")).toMatchObject({ dimension: "fraction", ofPeak: true });
    expect(si("46.2 % of peak")!.value).toBeCloseTo(0.462, 12);
    expect(si("46.2 %")!.ofPeak).toBeUndefined();
    // "% of peak" × peak = achieved: 47 % of the A100's 312 TFLOP/s (fp16 dense) is 146.64 TFLOP/s.
    const peak = parseQuantity("312 TFLOPS", "flops_per_s");
    expect(si("47 % of peak")!.value * (peak.ok ? peak.value : Number.NaN)).toBeCloseTo(146.64e12, -6);
  });
  it("keeps every unit the measured files used before with the same factor", () => {
    const before: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, ns: 1e-9, B: 1, KiB: 1024, MiB: 2 ** 20, GiB: 2 ** 30, GB: 1e9, "GB/s": 1e9, "tokens/s": 1, "tokens/s/GPU": 1, "img/s": 1, "TFLOP/s/GPU": 1e12, "TFLOP/s": 1e12, "%": 1e-2, fraction: 1, ratio: 1, W: 1, kW: 1e3, J: 1, "J/token": 1 };
    for (const [unit, factor] of Object.entries(before)) expect(toSi(1, unit), unit).toBe(factor);
    expect(toSi(1, "fortnights")).toBeUndefined();
  });
  it("spec files keep their dimensions and now also read long times", () => {
    expect(parseQuantity("3.35 TB/s", "bytes_per_s")).toEqual({ ok: true, value: 3.35e12 });
    expect(parseQuantity("2 min", "seconds")).toEqual({ ok: true, value: 120 });
    expect(parseQuantity("2 MW", "watts")).toEqual({ ok: true, value: 2e6 });
    expect(parseQuantity("1 MWh", "watts").ok).toBe(false);
  });
  it("reads counts as papers write them", () => {
    expect(countOf("1.4T")).toBe(1.4e12);
    expect(countOf("366B tokens")).toBe(366e9);
    expect(countOf("1,200,000")).toBe(1.2e6);
    expect(countOf(3e9)).toBe(3e9);
    expect(countOf("many")).toBeUndefined();
  });
});

describe("metric and category names", () => {
  const u = (text: string) => parseUnit(text)!;
  it("normalises the words papers use", () => {
    expect(nameKey("Achieved teraFLOP/s per GPU")).toBe("achieved_tflops_per_gpu");
    expect(nameKey("TTFT (median)")).toBe("ttft_median");
    expect(nameKey("output tokens/s")).toBe("output_tokens_per_s");
    expect(canonicalCategory("LLM training")).toBe("llm_training");
    expect(canonicalCategory("attention")).toBe("attention");
    expect(canonicalCategory("matmul")).toBe("gemm");
  });
  it("maps synonyms, and lets the unit decide generic words and per-GPU versus whole-job", () => {
    expect(canonicalMetric("llm_inference", "latency_median", u("ms"), 1)).toMatchObject({ metric: "latency" });
    expect(canonicalMetric("llm_inference", "TPOT", u("ms"), 1)).toMatchObject({ metric: "time_per_output_token" });
    expect(canonicalMetric("llm_inference", "throughput", u("tokens/s per GPU"), 2)).toMatchObject({ metric: "output_throughput_per_gpu" });
    // an explicit metric with a per-GPU unit (TensorRT-LLM's tables: "Throughput (out tok/s/GPU)") is per GPU too
    expect(canonicalMetric("llm_inference", "output_throughput", u("tokens/s/GPU"), 4)).toMatchObject({ metric: "output_throughput_per_gpu" });
    expect(canonicalMetric("llm_inference", "output_throughput", u("tokens/s"), 4)).toMatchObject({ metric: "output_throughput" });
    expect(canonicalMetric("llm_training", "throughput", u("tokens/s/GPU"), 2048)).toMatchObject({ metric: "tokens_per_s_per_gpu" });
    expect(canonicalMetric("llm_training", "tokens_per_s", u("tokens/s"), 2048)).toMatchObject({ metric: "tokens_per_s" });
    expect(canonicalMetric("llm_training", "tflops", u("TFLOPS"), 992)).toMatchObject({ metric: "achieved_tflops_per_gpu" });
    expect(canonicalMetric("llm_training", "tflops", u("PFLOP/s"), 992)).toMatchObject({ metric: "achieved_flops_total" });
    expect(canonicalMetric("llm_training", "MFU", u("% of peak"), 6144)).toMatchObject({ metric: "mfu" });
    expect(canonicalMetric("llm_training", "throughput", u("% of peak"), 6144)).toMatchObject({ metric: "mfu" });
    expect(canonicalMetric("llm_training", "achieved_tflops_per_gpu", u("% of peak"), 8)).toMatchObject({ metric: "hfu" });
    expect(canonicalMetric("llm_training", "time to train", u("min"), 8)).toMatchObject({ metric: "time_to_train" });
    expect(canonicalMetric("llm_training", "GPU-hours", u("GPU-hours"), 8)).toMatchObject({ metric: "chip_time_to_train" });
    expect(canonicalMetric("gemm", "throughput", u("% of peak"), 1)).toMatchObject({ metric: "utilization" });
  });
  it("leaves canonical names unchanged with no assumption", () => {
    expect(canonicalMetric("llm_training", "achieved_tflops_per_gpu", u("TFLOP/s/GPU"), 384)).toEqual({ metric: "achieved_tflops_per_gpu" });
    expect(canonicalMetric("cnn_inference", "throughput", u("img/s"), 1)).toEqual({ metric: "throughput" });
    expect(canonicalMetric("gemm", "achieved_tflops", u("TFLOP/s"), 1)).toEqual({ metric: "achieved_tflops" });
  });
  it("says which field is wrong and how to fix it", () => {
    expect(canonicalMetric("llm_training", "iteration_time", u("tokens/s"), 8)).toMatchObject({ reason: expect.stringMatching(/measured in seconds: fix the unit or the metric/) });
    expect(canonicalMetric("llm_inference", "latency_p99", u("ms"), 1)).toMatchObject({ reason: expect.stringMatching(/tail percentile.*latency_median/) });
    expect(canonicalMetric("llm_training", "goodness", u("s"), 1)).toMatchObject({ reason: expect.stringMatching(/use one of iteration_time/) });
  });
});

describe("model names matched to the catalog", () => {
  const catalog = [
    { id: "llama-2-70b", names: ["llama-2-70b", "Llama 2 70B", "meta-llama/Llama-2-70b-hf", "LLaMA 70B"] },
    { id: "llama-3.1-70b", names: ["llama-3.1-70b", "Llama 3.1 70B", "Llama 3.3 70B"] },
    { id: "palm-540b", names: ["palm-540b", "PaLM 540B"] },
    { id: "opt-175b", names: ["opt-175b", "OPT-175B"] },
  ];
  it("reduces names to loose keys", () => {
    expect(modelKey("meta-llama/Llama-2-70b-chat-hf")).toEqual({ key: "llama270b", dropped: ["-hf", "-chat"] });
    expect(modelKey("Llama 2 70B (chat)")).toEqual({ key: "llama270b", dropped: ["(chat)"] });
    expect(modelKey("LLaMA-65B").key).toBe("llama65b");
  });
  it("matches ids, names and HF names; a fine-tune reads as its base, saying so", () => {
    expect(matchModelName("PaLM 540B", catalog)).toEqual({ id: "palm-540b" });
    expect(matchModelName("OPT-175B", catalog)).toEqual({ id: "opt-175b" });
    expect(matchModelName("palm_540b", catalog)).toMatchObject({ id: "palm-540b", assumption: expect.stringContaining("palm-540b") });
    expect(matchModelName("Llama 2 70B (chat)", catalog)).toMatchObject({ id: "llama-2-70b", assumption: expect.stringContaining("(chat)") });
    expect(matchModelName("Llama-3.3-70B-Instruct", catalog)).toMatchObject({ id: "llama-3.1-70b", assumption: expect.stringContaining("-Instruct") });
    expect(matchModelName("meta-llama/Llama-3.3-70B-Instruct", catalog)).toMatchObject({ id: "llama-3.1-70b" });
  });
  it("a name not in the catalog says how to add it", () => {
    const r = matchModelName("LLaMA-65B", catalog);
    expect("reason" in r && r.reason).toMatch(/field "model": "LLaMA-65B" is not in the catalog \(its family there: llama-2-70b, llama-3.1-70b\); add catalog\/models\/llama-65b\.yaml.*model_config/);
  });
  it("the real catalog resolves the names of issue #11", () => {
    const r = validationResolvers();
    const id = (name: string) => {
      const m = r.modelByName(name, {});
      return typeof m === "string" ? m : m.id;
    };
    expect(id("PaLM 540B")).toBe("palm-540b");
    expect(id("OPT-175B")).toBe("opt-175b");
    expect(id("Llama 2 70B (chat)")).toBe("llama-2-70b");
    expect(id("Llama-3.3-70B-Instruct")).toBe("llama-3.1-70b");
    expect(id("GPT-3 175B")).toBe("gpt3-175b");
    expect(id("LLaMA-65B")).toBe("llama-65b");
    expect(id("BLOOM 176B")).toBe("bloom-176b");
    expect(id("bigscience/bloom")).toBe("bloom-176b");
  });
});

describe("the real-world fixture", () => {
  it("every point is read; only the deliberately incomplete ones are not predicted, each naming its field", () => {
    for (const p of raw) {
      const r = byId[p.id]!;
      if (!p.expect_unsupported) {
        expect(r.status, `${p.id}: ${r.reason}`).toBe("ok");
        continue;
      }
      expect(r.status, p.id).not.toBe("ok");
      if (p.expect_unsupported === "layout") expect(r.reason).toMatch(/cannot be placed/);
      else if (p.expect_unsupported === "tokens_to_train") expect(r.reason).toMatch(/field "config": needs "tokens_to_train"/);
      else expect(r.reason).toContain(`field "${p.expect_unsupported}"`);
    }
    expect(summary.overall.predicted).toBe(raw.filter((p) => !p.expect_unsupported).length);
  });
  it("the same measurement spelled differently predicts the same error as the shared file's", () => {
    const pairs: Array<[string, string]> = [
      ["rw-trtllm-h100-llama2-70b-fp8-tp2-per-gpu", "infer-trtllm-h100-llama70b-fp8-tp2-128-128"],
      ["rw-trtllm-h100-llama2-70b-fp8-tp4-ttft", "infer-trtllm-h100-llama70b-fp8-tp4-ttft-2048"],
      ["rw-trtllm-a100-llama2-7b-fp16-tok-per-s", "infer-trtllm-a100-llama7b-fp16-128-128"],
      ["rw-llmcompass-gemm-a100-latency-median", "gemm-a100-fp16-8192x12288x12288"],
    ];
    for (const [mine, theirs] of pairs) expect(byId[mine]!.error, mine).toBeCloseTo(publicById[theirs]!.error!, 10);
    expect(byId["rw-llmcompass-gemm-a100-latency-median"]!.predicted! / 1000).toBeCloseTo(publicById["gemm-a100-fp16-8192x12288x12288"]!.predicted!, 8);
  });
  it("TFLOP/s per GPU, % of peak and aggregate PFLOP/s of one run agree (% of peak × 312 TFLOP/s = achieved)", () => {
    const perGpu = byId["rw-megatron-145b-1536gpu-tflops-per-gpu"]!.predicted!;
    expect(byId["rw-megatron-145b-1536gpu-percent-of-peak"]!.predicted! / 100 * 312).toBeCloseTo(perGpu, 8);
    expect(byId["rw-megatron-145b-1536gpu-aggregate"]!.predicted! * 1000 / 1536).toBeCloseTo(perGpu, 8);
    expect(byId["rw-megatron-145b-1536gpu-percent-of-peak"]!.assumptions).toContain('metric "HFU" in % of peak read as hfu');
  });
  it("time to train, GPU-hours and energy follow from the predicted throughput (LLaMA-65B: 1.4T tokens on 2048 GPUs)", () => {
    const tokPerGpu = byId["rw-llama-65b-2048gpu-tokens-per-gpu"]!.predicted!;
    const days = 1.4e12 / (tokPerGpu * 2048) / 86400;
    expect(byId["rw-llama-65b-2048gpu-time-to-train"]!.predicted!).toBeCloseTo(days, 8);
    const gpuHours = days * 24 * 2048;
    expect(byId["rw-llama-65b-2048gpu-gpu-hours"]!.predicted!).toBeCloseTo(gpuHours, 4);
    // 449 MWh = GPU-hours × 400 W × PUE 1.1 (Touvron et al. 2023 §6.1).
    expect(byId["rw-llama-65b-2048gpu-energy"]!.predicted!).toBeCloseTo((gpuHours * 0.4 * 1.1) / 1000, 6);
    expect(byId["rw-llama-65b-2048gpu-time-to-train"]!.assumptions.join(" ")).toMatch(/evaluation\/checkpoint overhead as stated: 0\.0 %/);
  });
  it("a stated evaluation overhead lengthens the run by its share", () => {
    const base = raw.find((p) => p.id === "rw-llama-65b-2048gpu-time-to-train")! as unknown as { config: Record<string, unknown> };
    const variants = [
      { ...base, id: "ovh", config: { ...base.config, eval_overhead: "10 %" } },
      { ...base, id: "none", config: { ...base.config, eval_overhead: undefined } },
      { ...base, id: "bad", config: { ...base.config, eval_overhead: "lots" } },
    ];
    const s = runValidation(parseWith(measuredFileSchema, variants), validationResolvers());
    const [ovh, none, bad] = s.results;
    expect(ovh!.predicted! / none!.predicted!).toBeCloseTo(1.1, 10);
    expect(none!.assumptions.join(" ")).toMatch(/no evaluation\/checkpoint overhead stated/);
    expect(bad!.reason).toMatch(/config "eval_overhead" must be a share/);
  });
  it("LLaMA-65B, BLOOM 176B and OPT-175B points use the catalog models; an inline model_config still wins and predicts the same", () => {
    for (const id of ["rw-llama-65b-2048gpu-tokens-per-gpu", "rw-bloom-176b-384gpu-tflops", "rw-opt-175b-992gpu-tflops"]) {
      expect(byId[id]!.status, id).toBe("ok");
      expect(byId[id]!.assumptions.join(" "), id).not.toMatch(/model_config/);
    }
    // The configs these points carried before the catalog had the models (the LLaMA-65B config.json; BLOOM from Table 3).
    const llama = { model_type: "llama", hidden_size: 8192, intermediate_size: 22016, num_attention_heads: 64, num_hidden_layers: 80, vocab_size: 32000, max_position_embeddings: 2048, rms_norm_eps: 1e-5, tie_word_embeddings: false };
    const bloom = {
      name: "BLOOM 176B", category: "decoder-llm", layers: 70, hidden_size: 14336, vocab_size: 250880, max_context: 2048, tied_embeddings: true, embedding_norm: true,
      position: { type: "alibi" }, attention: { heads: 112, kv_heads: 112, head_dim: 128, qkv_bias: true, o_bias: true },
      ffn: { type: "gelu", intermediate_size: 57344, bias: true }, norm: { type: "layernorm", placement: "pre", per_layer: 2 },
    };
    const points = raw as unknown as Array<{ id: string; config: Record<string, unknown> }>;
    const inline = [["rw-llama-65b-2048gpu-tokens-per-gpu", llama], ["rw-bloom-176b-384gpu-tflops", bloom]] as const;
    const variants = inline.map(([id, cfg]) => {
      const p = points.find((x) => x.id === id)!;
      return { ...p, config: { ...p.config, model_config: cfg } };
    });
    const s = runValidation(parseWith(measuredFileSchema, variants), validationResolvers());
    for (const r of s.results) {
      expect(r.assumptions.join(" "), r.id).toMatch(/built from the point's model_config/);
      expect(r.predicted!, r.id).toBeCloseTo(byId[r.id]!.predicted!, 9);
    }
  });
  it("results name the point as its file does and group it under the canonical category", () => {
    const r = byId["rw-megatron-145b-1536gpu-tflops-per-gpu"]!;
    expect(r).toMatchObject({ category: "llm_training", metric: "Achieved teraFLOP/s per GPU", unit: "TFLOP/s per GPU", measured: 148 });
    expect(summary.by_category.map((c) => c.category)).toEqual(["llm_training", "llm_inference", "gemm", "attention"]);
  });
});
