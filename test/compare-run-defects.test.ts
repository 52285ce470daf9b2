import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { nativeMathDType } from "../src/core/estimate/native-precision.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

/** The defects of issue #8 in run, compare and docs/scenario.md, each pinned by a test. */
const H100 = "nvidia-h100-sxm";

describe("run says when the model does not fit", () => {
  it("llama-3.1-70b in bf16 on one 80 GB H100: table and JSON both say so", async () => {
    const t = await runCli("run", "--model", "llama-3.1-70b", "--chip", H100);
    // Exit 3 (infeasible), the answer printed as usual and the reason on stderr.
    expect(t.code).toBe(3);
    expect(t.out).toMatch(/does NOT fit \(short by/);
    expect(t.err).toMatch(/^infeasible: does not fit in memory: needs 14\d GB per chip, has 80\.0 GB \(short by 6\d\.\d GB\)\n$/);
    expect(t.out).toMatch(/note: does not fit: needs 14\d(\.\d)? GB on the chip, has 80\.0 GB/);
    const jr = await runCli("run", "--model", "llama-3.1-70b", "--chip", H100, "--json");
    expect(jr.code).toBe(3);
    const j = JSON.parse(jr.out);
    expect(j.fits).toBe(false);
    // 70.55 B parameters × 2 bytes of bf16 weights alone exceed 80 GB.
    expect(j.memory_breakdown_bytes.weights).toBeGreaterThan(141e9);
    expect(j.shortfall_bytes).toBe(j.memory_per_chip_bytes - 80e9);
    expect(j.warnings).toHaveLength(1);
  });

  it("a model that fits prints no warning", async () => {
    const r = await runCli("run", "--model", "llama-3.1-8b", "--chip", H100, "--seq", "1024", "--json");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const j = JSON.parse(r.out);
    expect(j.fits).toBe(true);
    expect(j.warnings).toEqual([]);
  });
});

describe("docs/scenario.md describes multi-chip inference as it is", () => {
  const doc = readFileSync("docs/scenario.md", "utf8");
  it("no longer says tensor/pipeline-parallel inference is future work", () => {
    expect(doc).not.toMatch(/tp = pp = 1\)\. Tensor\/pipeline-parallel serving: issue #4/);
    expect(doc).not.toMatch(/read by the multi-chip models \(issue #3\)/);
    const line = doc.split("\n").find((l) => l.startsWith("- `inference`:"))!;
    for (const word of ["tensor parallelism", "pipeline", "context parallelism", "expert parallelism", "replicas"]) expect(line).toContain(word);
  });

  it("and what it says runs: tp 4 × pp 2 on 8 chips through estimate", async () => {
    const { parseScenario, runScenario } = await import("../src/core/app/run-scenario.js");
    const s = parseScenario({ kind: "inference", hardware: { chip: H100, count: 8 }, workload: { model: "llama-3.1-70b" }, parallelism: { tp: 4, pp: 2 }, inference: { batch: 8, input_tokens: 512, output_tokens: 64 } });
    const r = runScenario(s, nodeCatalog()) as { tp: number; pp: number; fits: boolean };
    expect([r.tp, r.pp, r.fits]).toEqual([4, 2, true]);
  });
});

describe("compare: a model that does not fit one chip gets the smallest count that does", () => {
  it("llama-3.1-70b on an H100: 2 chips, tp 2 on the DGX H100", async () => {
    const rows = JSON.parse((await runCli("compare", "--model", "llama-3.1-70b", "--chips", `${H100},amd-mi300x`, "--json")).out) as Array<Record<string, any>>;
    const h100 = rows.find((r) => r.chip === H100)!;
    expect(h100.fits).toBe(false);
    expect(h100.smallest_fit).toMatchObject({ chips: 2, tp: 2, pp: 1, system: "dgx-h100" });
    expect(h100.smallest_fit.memory_per_chip_bytes).toBeLessThanOrEqual(80e9);
    // Half the 141 GB of weights per chip, plus KV, activations and runtime.
    expect(h100.smallest_fit.memory_per_chip_bytes).toBeGreaterThan(141e9 / 2);
    expect(rows.find((r) => r.chip === "amd-mi300x")!.smallest_fit).toBeUndefined();
    const t = await runCli("compare", "--model", "llama-3.1-70b", "--chips", H100);
    expect(t.out).toMatch(/nvidia-h100-sxm: 2 chips, tp 2 on dgx-h100/);
  });

  it("llama-3.1-405b on an H100 needs a pipeline across two DGX nodes: 16 chips, tp 8 · pp 2", () => {
    const r = JOBS.compare.run({ model: "llama-3.1-405b", chips: [H100] }, nodeCatalog());
    const row = r.rows[0]!;
    expect(row.ok && row.smallest_fit).toMatchObject({ chips: 16, tp: 8, pp: 2 });
  });
});

describe("compare --training uses --batch", () => {
  it("ResNet-50 at batch 1 and 64 differ: global batch 64, micro-batch 64 chosen (it fits)", async () => {
    const at = async (b: string) => (JSON.parse((await runCli("compare", "--model", "resnet-50", "--chips", H100, "--training", "--batch", b, "--json")).out) as Array<Record<string, any>>)[0]!;
    const one = await at("1");
    const many = await at("64");
    expect(one.microbatches_per_step * one.layout.microbatch).toBe(1);
    expect(many.layout.microbatch).toBe(64);
    expect(many.microbatch_chosen).toBe(64);
    expect(many.microbatches_per_step).toBe(1);
    expect(many.samples_per_s).toBeGreaterThan(4 * one.samples_per_s);
  });

  it("--batch and --global-batch that disagree are a usage error", async () => {
    const r = await runCli("compare", "--model", "resnet-50", "--chips", H100, "--training", "--batch", "8", "--global-batch", "16");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--global-batch 16 and --batch 8 disagree/);
  });
});

describe("compare fits its inputs and columns to the model's category", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["--input on a CNN", ["--model", "resnet-50", "--input", "512"], /--input does not apply to resnet-50 \(a cnn model: images, not tokens\)[\s\S]*hint: use --image/],
    ["--output on a CNN", ["--model", "resnet-50", "--output", "16"], /--output does not apply to resnet-50 \(a cnn model/],
    ["--kv-cache on a ViT", ["--model", "vit-b-16", "--kv-cache", "fp8"], /--kv-cache does not apply to vit-b-16 \(a vision-transformer model/],
    ["--image on an LLM", ["--model", "llama-3.1-8b", "--image", "224"], /--image does not apply to llama-3.1-8b \(a decoder-llm model: tokens\)[\s\S]*hint: use --input/],
    ["--output on an encoder", ["--model", "bert-base", "--output", "16"], /--output does not apply to bert-base \(an encoder model: tokens, no generation\)/],
    ["--seq without --training", ["--model", "llama-3.1-8b", "--seq", "512"], /--seq applies to training comparisons only/],
    ["--tp with --training", ["--model", "llama-3.1-8b", "--training", "--tp", "2"], /--tp applies to inference comparisons only/],
  ];
  for (const [name, args, says] of cases) {
    it(`${name}: usage error naming the flag and the category`, async () => {
      const r = await runCli("compare", "--chips", H100, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(says);
      expect(r.out).toBe("");
    });
  }

  it("a CNN gets an image header, images/s, energy per image and $ per million images", async () => {
    const r = await runCli("compare", "--model", "resnet-50", "--chips", `${H100},nvidia-a100-sxm-80gb`, "--batch", "32");
    expect(r.code).toBe(0);
    const [header, columns] = r.out.split("\n");
    expect(header).toMatch(/^resnet-50: batch 32, 224×224 images,/);
    expect(header).not.toMatch(/tokens/);
    expect(columns).toMatch(/latency\s+images\/s\s+memory\s+fits\s+J\/image\s+\$\/M images/);
    expect(r.out).not.toMatch(/\$\/Mtok|J\/token/);
    const rows = JSON.parse((await runCli("compare", "--model", "resnet-50", "--chips", H100, "--batch", "32", "--json")).out) as Array<Record<string, any>>;
    const row = rows[0]!;
    expect(row.energy_per_sample_j).toBeCloseTo(row.energy_j / 32, 12);
    // H100 SXM at its catalog cloud price: $/hour ÷ 3600 ÷ images/s × 1e6.
    const cph = nodeCatalog().chip(H100).cost.cloud_usd_per_hour!;
    expect(row.usd_per_million_samples).toBeCloseTo((cph / 3600 / row.samples_per_s) * 1e6, 9);
  });

  it("an LLM keeps its token header and columns", async () => {
    const r = await runCli("compare", "--model", "llama-3.1-8b", "--chips", H100, "--input", "256", "--output", "32");
    expect(r.out.split("\n")[0]).toMatch(/^llama-3\.1-8b: batch 1, 256 input \+ 32 output tokens/);
    expect(r.out).toMatch(/out tok\/s[\s\S]*J\/token\s+\$\/Mtok/);
  });
});

describe("compare without --dtype runs each chip in its native dtype", () => {
  it("the preference is bf16, else fp16, else fp8, else int8 from the matrix engine", () => {
    const c = nodeCatalog();
    expect(nativeMathDType(c.chip(H100))).toBe("bf16");
    expect(nativeMathDType(c.chip("nvidia-t4"))).toBe("fp16");
    expect(nativeMathDType(c.chip("google-coral-edge-tpu"))).toBe("int8");
    expect(nativeMathDType(c.chip("hailo-8"))).toBe("int8");
  });

  it("int8-only chips run (int8) and say so; an explicit --dtype bf16 keeps excluding them", async () => {
    const chips = `${H100},google-coral-edge-tpu,hailo-8`;
    const rows = JSON.parse((await runCli("compare", "--model", "resnet-50", "--chips", chips, "--json")).out) as Array<Record<string, any>>;
    for (const id of ["google-coral-edge-tpu", "hailo-8"]) {
      const row = rows.find((r) => r.chip === id)!;
      expect(row.ok).toBe(true);
      expect(row.dtype_choice).toEqual({ dtype: "int8", source: "native", note: `${id} has no bf16 matrix engine; runs int8 natively` });
      expect(row.precision.executed).toMatch(/^(compute=)?int8/);
    }
    expect(rows.find((r) => r.chip === H100)!.dtype_choice).toEqual({ dtype: "bf16", source: "native" });
    const t = await runCli("compare", "--model", "resnet-50", "--chips", chips);
    expect(t.out).toMatch(/note: hailo-8 has no bf16 matrix engine; runs int8 natively/);
    expect(t.out.split("\n")[1]).toMatch(/\bdtype\b/);
    const forced = JSON.parse((await runCli("compare", "--model", "resnet-50", "--chips", chips, "--dtype", "bf16", "--json")).out) as Array<Record<string, any>>;
    expect(forced.find((r) => r.chip === "hailo-8")).toMatchObject({ ok: false, reason: expect.stringMatching(/no bf16 matrix engine/) });
  });
});

describe("compare with nothing feasible exits with the infeasible code", () => {
  it("no chip can run: the result is printed, the reason on stderr, exit 3", async () => {
    const r = await runCli("compare", "--model", "llama-3.1-8b", "--chips", "intel-agilex7", "--json");
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject([{ chip: "intel-agilex7", ok: false }]);
    expect(r.err).toMatch(/infeasible: none of the 1 chips can run llama-3\.1-8b/);
    const job = JOBS.compare.run({ model: "llama-3.1-8b", chips: ["intel-agilex7"] }, nodeCatalog());
    expect(job.feasible).toBe(false);
  });

  it("one chip that runs it is enough for exit 0", async () => {
    const r = await runCli("compare", "--model", "llama-3.1-8b", "--chips", `intel-agilex7,${H100}`, "--json");
    expect(r.code).toBe(0);
  });
});
