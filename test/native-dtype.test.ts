/**
 * `op` and `run` without --dtype run each chip's native math dtype (bf16, else fp16, fp8, int8), as
 * `compare` does, and say so; an explicit --dtype keeps its meaning (and an int8-only chip refuses bf16).
 */
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";

const GEMM = ["op", "gemm", "--m", "1024", "--n", "1024", "--k", "1024"];

describe("native dtype when none is given", () => {
  it("op: an int8-only chip runs int8 and says so; a bf16 chip is unchanged", async () => {
    const r = await runCli(...GEMM, "--chip", "hailo-8,nvidia-h100-sxm", "--json");
    expect(r.code).toBe(0);
    const [hailo, h100] = JSON.parse(r.out) as Array<{ notes: string[]; peak_flops_per_s: number }>;
    expect(hailo!.notes[0]).toMatch(/no dtype given: ran int8/);
    expect(hailo!.peak_flops_per_s).toBe(26e12); // Hailo-8's 26 TOPS int8
    const explicit = await runCli(...GEMM, "--chip", "nvidia-h100-sxm", "--dtype", "bf16", "--json");
    expect(h100).toEqual(JSON.parse(explicit.out));
  });

  it("op: an explicit --dtype bf16 on an int8-only chip is refused, naming the dtype", async () => {
    const r = await runCli(...GEMM, "--chip", "hailo-8", "--dtype", "bf16");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/hailo-8 has no bf16 matrix engine/);
  });

  it("run: an int8-only chip runs int8 and warns; a bf16 chip gets bf16 with no warning", async () => {
    const coral = JSON.parse((await runCli("run", "--model", "mobilenet-v2", "--chip", "google-coral-edge-tpu", "--json")).out) as { precision: { compute: string }; warnings: string[] };
    expect(coral.precision.compute).toBe("int8");
    expect(coral.warnings[0]).toMatch(/no dtype given: ran int8/);
    const a100 = JSON.parse((await runCli("run", "--model", "resnet-50", "--chip", "nvidia-a100-sxm-80gb", "--json")).out) as { precision: { compute: string }; warnings: string[] };
    expect(a100.precision.compute).toBe("bf16");
    expect(a100.warnings).toEqual([]);
  });
});
