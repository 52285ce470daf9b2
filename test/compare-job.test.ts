import { describe, expect, it } from "vitest";
import { compareWorkload } from "../src/core/app/compare-workload.js";
import { JOBS } from "../src/core/app/registry.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

/** The compare job in core: defaults, ranking and feasibility, without the CLI. */
const catalog = nodeCatalog();

describe("compare workload defaults", () => {
  it("an LLM: batch 1, 2048 + 256 tokens, capped so prompt + output fit the context", () => {
    expect(compareWorkload(catalog.model("llama-3.1-8b"), {})).toEqual({ mode: "inference", category: "decoder-llm", unit: "token", batch: 1, input_tokens: 2048, output_tokens: 256, tp: 1 });
    // GPT-2 holds 1024 tokens: 1024 − 256 = 768 prompt tokens.
    expect(compareWorkload(catalog.model("gpt2-124m"), {}).input_tokens).toBe(768);
  });

  it("an encoder: its prompt only; a CNN: images at its resolution; training: global batch = batch", () => {
    expect(compareWorkload(catalog.model("bert-base"), {})).toMatchObject({ unit: "sequence", input_tokens: 512 });
    expect(compareWorkload(catalog.model("bert-base"), {}).output_tokens).toBeUndefined();
    expect(compareWorkload(catalog.model("resnet-50"), { batch: 8 })).toEqual({ mode: "inference", category: "cnn", unit: "image", image_size: 224, batch: 8, tp: 1 });
    expect(compareWorkload(catalog.model("resnet-50"), { training: true, batch: 64 })).toMatchObject({ mode: "training", batch: 64 });
    // Recompute (like the micro-batch) is left to the training chooser when not given.
    expect(compareWorkload(catalog.model("resnet-50"), { training: true, batch: 64 }).recompute).toBeUndefined();
    expect(compareWorkload(catalog.model("resnet-50"), { training: true, batch: 64, recompute: "full" }).recompute).toBe("full");
    expect(compareWorkload(catalog.model("llama-3.1-8b"), { training: true, microbatch: 4 })).toMatchObject({ batch: 4, microbatch: 4, seq_len: 2048 });
  });
});

describe("compare job", () => {
  it("ranks by throughput, fitting chips first, chips that cannot run last", () => {
    const r = JOBS.compare.run({ model: "llama-3.1-70b", chips: ["nvidia-h100-sxm", "intel-agilex7", "amd-mi300x", "nvidia-h200-sxm"], input_tokens: 512, output_tokens: 32 }, catalog);
    // 70B in bf16 needs ~142 GB: only the MI300X holds it; of the two that do not, the H200 is faster.
    expect(r.rows.map((x) => x.chip)).toEqual(["amd-mi300x", "nvidia-h200-sxm", "nvidia-h100-sxm", "intel-agilex7"]);
    const [a, b, c] = r.rows.map((x) => (x.ok ? x.inference! : undefined));
    expect([a!.fits, b!.fits, c!.fits]).toEqual([true, false, false]);
    expect(b!.output_tokens_per_s).toBeGreaterThan(c!.output_tokens_per_s);
    expect(r.feasible).toBe(true);
    expect(r.dtype).toBe("native");
  });

  it("training at batch 64 picks micro-batch 64 when it fits and 1 step of accumulation", () => {
    const r = JOBS.compare.run({ model: "resnet-50", chips: ["nvidia-h100-sxm"], training: true, batch: 64 }, catalog);
    const row = r.rows[0]!;
    expect(row.ok && row.microbatch_chosen).toBe(64);
    expect(row.ok && row.training!.microbatches_per_step).toBe(1);
  });
});
