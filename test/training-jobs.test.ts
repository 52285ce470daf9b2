import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { trainingRequest } from "../src/core/app/training-request.js";
import { estimateTraining, type TrainingEstimate } from "../src/core/estimate/estimate-training.js";
import { resolvePrecision } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";
import { runCli } from "./helpers/run-cli.js";

afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), "xpusim-training-jobs-"));
function scenario(name: string, yaml: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, yaml);
  return f;
}

/** Training scenarios that exercise each request field the two paths must carry the same way. */
const SCENARIOS: Record<string, string> = {
  "gpt3 example (interleave, sp, selective)": "examples/gpt3-training.yaml",
  "resnet example (eager, CNN)": "examples/resnet-training.yaml",
  "grad bucket, ZeRO-1, full recompute": scenario(
    "bucket",
    `kind: training
hardware: { chip: nvidia-h100-sxm, count: 8, system: dgx-h100 }
workload: { model: llama-3.1-8b }
parallelism: { zero: 1, microbatch: 2 }
training: { global_batch: 16, seq_len: 2048, recompute: full, grad_bucket_bytes: 2000000000 }
`,
  ),
  "ZeRO-3, tp with sp, bucket": scenario(
    "zero3",
    `kind: training
hardware: { chip: nvidia-h100-sxm, count: 32, system: dgx-h100 }
workload: { model: llama-3.1-8b }
parallelism: { tp: 2, sp: true, zero: 3, microbatch: 2 }
training: { global_batch: 256, seq_len: 4096, recompute: full, grad_bucket_bytes: 10000000 }
`,
  ),
  "MoE with ep and cp, interleave unset": scenario(
    "mixtral",
    `kind: training
hardware: { chip: nvidia-h100-sxm, count: 64, system: dgx-h100 }
workload: { model: mixtral-8x7b }
parallelism: { tp: 2, pp: 2, ep: 4, cp: 2, sp: true, zero: 1, microbatch: 1 }
training: { global_batch: 64, seq_len: 16384, recompute: selective, grad_bucket_bytes: 25000000 }
`,
  ),
  "interleave given, no overlap, tokens": scenario(
    "interleave",
    `kind: training
hardware: { chip: nvidia-a100-sxm-80gb, count: 128, system: dgx-a100 }
workload: { model: gpt3-175b }
parallelism: { tp: 8, pp: 8, sp: true, microbatch: 1, interleave: 2 }
training: { global_batch: 128, seq_len: 2048, recompute: none, overlap_grad_reduce: false, tokens: 300e9 }
`,
  ),
  "micro-batch, interleave and sp all unset": scenario(
    "open",
    `kind: training
hardware: { chip: nvidia-h100-sxm, count: 16, system: dgx-h100 }
workload: { model: llama-3.1-8b }
parallelism: { tp: 2, pp: 2, zero: 1 }
training: { global_batch: 64, seq_len: 4096, recompute: selective }
`,
  ),
};

async function json(...argv: string[]): Promise<TrainingEstimate> {
  const r = await runCli(...argv, "--json");
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as TrainingEstimate;
}

describe("xpusim estimate and xpusim train give the same numbers", () => {
  for (const [name, file] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const viaEstimate = await json("estimate", file);
      expect(viaEstimate.kind).toBe("training");
      expect(await json("train", file)).toEqual(viaEstimate);
    });
  }

  it("the scenario's zero_prefetch_layers and overlap_param_gather reach the estimate", async () => {
    const f = (name: string, zero: number, extra: string) =>
      scenario(name, `kind: training\nhardware: { chip: nvidia-h100-sxm, count: 32, system: dgx-h100 }\nworkload: { model: llama-3.1-8b }\nparallelism: { zero: ${zero}, microbatch: 1 }\ntraining: { global_batch: 64, seq_len: 1024, recompute: full${extra} }\n`);
    const prefetched = await json("estimate", f("z3-pf1", 3, ""));
    const serial = await json("estimate", f("z3-pf0", 3, ", zero_prefetch_layers: 0"));
    // Without prefetching every gather waits for its layer: more shows.
    expect(serial.step_breakdown_s.data_parallel_exposed).toBeGreaterThan(prefetched.step_breakdown_s.data_parallel_exposed);
    const hidden = await json("estimate", f("z1-pg", 1, ", overlap_param_gather: true"));
    const shown = await json("estimate", f("z1-nopg", 1, ", overlap_param_gather: false"));
    expect(shown.step_breakdown_s.data_parallel_exposed).toBeGreaterThan(hidden.step_breakdown_s.data_parallel_exposed);
  });

  it("the scenario's grad_bucket_bytes reaches the estimate (hand-built request agrees; the bucket changes the step)", async () => {
    const e = await json("train", SCENARIOS["grad bucket, ZeRO-1, full recompute"]!);
    const req = { model: loadModel("llama-3.1-8b"), precision: resolvePrecision({}), global_batch: 16, seq_len: 2048, recompute: "full", chips: 8, tp: 1, pp: 1, dp: 8, ep: 1, cp: 1, zero: 1, microbatch: 2, interleave: 1, sp: false, system: loadSystem("dgx-h100") } as const;
    const h100 = contextFor(loadChip("nvidia-h100-sxm"));
    // The job's default stack for a Llama on H100 is megatron-core: eager execution, fused attention, no dropout, overlapped DP reduction.
    expect(e.software!.id).toBe("megatron-core");
    const withBucket = estimateTraining({ ...req, grad_bucket_bytes: 2e9 }, h100, { execution: "eager" });
    expect(e.step_time_s).toBe(withBucket.step_time_s);
    // Only the last bucket's reduction is exposed: 2 GB of the 16 GB of gradients instead of the default 25 MB.
    expect(estimateTraining(req, h100, { execution: "eager" }).step_time_s).toBeLessThan(e.step_time_s * 0.99);
  });

  it("flags give what the matching scenario gives (MoE, ep, cp, ZeRO, recompute)", async () => {
    // The scenario states the default 25 MB bucket: the train command has no bucket flag, and the bucket sets what shows of the ZeRO-1 reduction.
    const viaEstimate = await json("estimate", SCENARIOS["MoE with ep and cp, interleave unset"]!);
    const flags = ["--model", "mixtral-8x7b", "--chip", "nvidia-h100-sxm", "--chips", "64", "--system", "dgx-h100", "--tp", "2", "--pp", "2", "--ep", "4", "--cp", "2", "--sp"];
    const viaFlags = await json("train", ...flags, "--zero", "1", "--microbatch", "1", "--recompute", "selective", "--global-batch", "64", "--seq", "16384");
    expect(viaFlags).toEqual(viaEstimate);
  });

  it("flags override a scenario's fields through the same core function", async () => {
    const file = SCENARIOS["grad bucket, ZeRO-1, full recompute"]!;
    const overridden = await json("train", file, "--microbatch", "1", "--recompute", "selective");
    expect(overridden.layout).toMatchObject({ microbatch: 1, recompute: "selective", zero: 1 });
    const req = trainingRequest(undefined, { model: "llama-3.1-8b", chip: "nvidia-h100-sxm", chips: 8, system: "dgx-h100", global_batch: 16, seq_len: 2048, zero: 1, microbatch: 1, recompute: "selective" });
    expect(JOBS.training.run({ ...req, grad_bucket_bytes: 2e9 }, nodeCatalog()).step_time_s).toBe(overridden.step_time_s);
  });
});

describe("unset micro-batch, interleave and sp: the best feasible, reported", () => {
  it("ResNet-50, global batch 2048 on 8 A100: a large micro-batch, > 15k images/s (micro-batch 1 gives < 7k)", async () => {
    const flags = ["--model", "resnet-50", "--chip", "nvidia-a100-sxm-80gb", "--chips", "8", "--system", "dgx-a100", "--global-batch", "2048", "--dtype", "fp16", "--zero", "1", "--recompute", "selective"];
    const e = await json("train", ...flags);
    expect(e.samples_per_s).toBeGreaterThan(15_000);
    const chosen = e.chosen_defaults?.find((c) => c.field === "microbatch");
    expect(chosen?.value).toBe(e.layout.microbatch);
    expect(e.layout.microbatch).toBeGreaterThanOrEqual(64);
    expect(e.microbatches_per_step).toBe(256 / e.layout.microbatch);
    const one = await json("train", ...flags, "--microbatch", "1");
    expect(one.samples_per_s).toBeLessThan(7_000);
    expect(one.chosen_defaults?.some((c) => c.field === "microbatch")).toBe(false);
    // The same defaults through a scenario without a micro-batch.
    const file = scenario("resnet-open", "kind: training\nhardware: { chip: nvidia-a100-sxm-80gb, count: 8, system: dgx-a100 }\nworkload: { model: resnet-50 }\nprecision: { compute: fp16 }\nparallelism: { zero: 1 }\ntraining: { global_batch: 2048, recompute: selective }\n");
    expect(await json("estimate", file)).toEqual(e);
  });

  it("the chosen layout is the fastest that fits among the micro-batch × interleave × sp candidates", async () => {
    const base = { model: "llama-3.1-8b", chip: "nvidia-h100-sxm", chips: 16, system: "dgx-h100", global_batch: 64, seq_len: 4096, tp: 2, pp: 2, zero: 1 };
    const catalog = nodeCatalog();
    const best = JOBS.training.run(trainingRequest(undefined, base), catalog);
    expect(best.fits).toBe(true);
    expect(best.chosen_defaults?.map((c) => c.field)).toEqual(["dp", "microbatch", "interleave", "sp", "recompute"]);
    let others = 0;
    for (const microbatch of [1, 2, 4, 8, 16]) {
      for (const interleave of [1, 2, 4, 8, 16]) {
        if (interleave > 1 && (64 / (4 * microbatch)) % 2 !== 0) continue;
        for (const sp of [true, false]) {
          const e = JOBS.training.run(trainingRequest(undefined, { ...base, microbatch, interleave, sp }), catalog);
          if (!e.fits) continue;
          others++;
          expect(e.step_time_s).toBeGreaterThanOrEqual(best.step_time_s);
        }
      }
    }
    expect(others).toBeGreaterThan(4);
  });

  it("given knobs are kept and not reported", async () => {
    const e = await json("estimate", "examples/gpt3-training.yaml");
    expect(e.layout).toMatchObject({ microbatch: 1, interleave: 3, sp: true });
    expect(e.chosen_defaults?.map((c) => c.field)).toEqual(["dp"]);
  });
});

describe("train's text output", () => {
  it("shows the expert- and context-parallel communication the JSON has", async () => {
    const file = SCENARIOS["MoE with ep and cp, interleave unset"]!;
    const e = await json("train", file);
    expect(e.step_breakdown_s.expert_parallel_comm).toBeGreaterThan(0);
    expect(e.step_breakdown_s.context_parallel_comm).toBeGreaterThanOrEqual(0);
    const text = (await runCli("train", file)).out;
    expect(text).toMatch(/expert-parallel +\S+ \S+ +\d+\.\d%/);
    expect(text).toMatch(/context-parallel +\S+/);
    expect(text).toMatch(/chosen: interleave = \d+ — unset/);
  });
});

describe("scaling job", () => {
  it("xpusim scale is the scaling job: same points, efficiency relative to the first fitting count", async () => {
    const r = await runCli("scale", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--chips", "8,16", "--global-batch", "64", "--seq", "4096", "--json");
    expect(r.code).toBe(0);
    const viaCli = JSON.parse(r.out);
    const viaJob = JOBS.scaling.run({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", chip_counts: [8, 16], global_batch: 64, seq_len: 4096, precision: { compute: "bf16" }, rank_by: "time", max_microbatch: 16 }, nodeCatalog());
    expect(viaCli).toEqual(JSON.parse(JSON.stringify(viaJob)));
    const [p8, p16] = viaJob.points;
    expect(p8!.scaling_efficiency).toBe(1);
    expect(p16!.scaling_efficiency).toBeCloseTo(p16!.tokens_per_s! / 16 / (p8!.tokens_per_s! / 8), 12);
    expect(() => JOBS.scaling.run({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", chip_counts: [8], mode: "weak", global_batch: 64, seq_len: 4096, precision: {} }, nodeCatalog())).toThrow(/weak scaling takes batch_per_chip/);
  });
});
