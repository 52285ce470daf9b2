import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";

/**
 * `xpusim estimate <scenario>` and the dedicated command for the same inputs give identical numbers
 * (issue #8): both are one call to the same job (op), or to jobs that price the pass the same way
 * (run's breakdown = the inference job's prefill; compare's rows = the inference job).
 */
const H100 = "nvidia-h100-sxm";
const dir = mkdtempSync(join(tmpdir(), "xpusim-parity-"));
function scenario(name: string, yaml: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}
async function jsonOf(...argv: string[]): Promise<Record<string, unknown> & Array<Record<string, unknown>>> {
  const r = await runCli(...argv, "--json");
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}
/** The compare row without the fields only a comparison has. */
function asEstimate(row: Record<string, unknown>): Record<string, unknown> {
  const { ok, dtype_choice, energy_per_sample_j, usd_per_million_samples, smallest_fit, smallest_fit_none, ...rest } = row;
  expect(ok).toBe(true);
  return rest;
}
const prefillOf = (e: Record<string, unknown>) => (e.phases as { prefill: Record<string, unknown> }).prefill;
const passOf = (r: Record<string, unknown>) => ({ time_s: r.time_s, flops: r.flops, bytes: r.bytes, bound: r.bound, energy_j: r.energy_j, ...(r.comm_s !== undefined ? { comm_s: r.comm_s } : {}) });

describe("estimate and op give identical results", () => {
  it("examples/gemm-h100.yaml = op gemm", async () => {
    const est = await jsonOf("estimate", "examples/gemm-h100.yaml");
    const op = await jsonOf("op", "gemm", "--m", "8192", "--n", "8192", "--k", "8192", "--dtype", "bf16", "--chip", H100);
    expect(op).toEqual(est);
    expect(est.flops).toBe(2 * 8192 ** 3);
  });

  it("an attention scenario = op attention", async () => {
    const file = scenario("attn", `kind: op\nhardware: { chip: ${H100} }\nworkload: { op: { type: attention, batch: 4, heads: 32, kv_heads: 8, head_dim: 128, seq_kv: 4096, causal: true, phase: prefill } }\n`);
    const est = await jsonOf("estimate", file);
    const op = await jsonOf("op", "attention", "--batch", "4", "--heads", "32", "--kv-heads", "8", "--head-dim", "128", "--seq-kv", "4096", "--chip", H100);
    expect(op).toEqual(est);
  });

  it("a conv2d scenario on an A100 = op conv2d", async () => {
    const file = scenario("conv", "kind: op\nhardware: { chip: nvidia-a100-sxm-80gb }\nworkload: { op: { type: conv2d, n: 32, h: 56, w: 56, c_in: 64, c_out: 64, kh: 3, kw: 3, stride: 1, padding: 1 } }\n");
    const est = await jsonOf("estimate", file);
    const op = await jsonOf("op", "conv2d", "--n", "32", "--h", "56", "--w", "56", "--c-in", "64", "--c-out", "64", "--kh", "3", "--kw", "3", "--padding", "1", "--chip", "nvidia-a100-sxm-80gb");
    expect(op).toEqual(est);
  });
});

describe("estimate and run/compare give identical numbers for inference", () => {
  it("examples/llama-inference.yaml: prefill = run --logits last; the whole estimate = compare's row", async () => {
    const est = await jsonOf("estimate", "examples/llama-inference.yaml");
    const run = await jsonOf("run", "--model", "llama-3.1-8b", "--chip", H100, "--batch", "16", "--seq", "1024", "--logits", "last");
    expect(passOf(run)).toEqual(prefillOf(est));
    const [row] = await jsonOf("compare", "--model", "llama-3.1-8b", "--chips", H100, "--batch", "16", "--input", "1024", "--output", "256", "--dtype", "bf16");
    expect(asEstimate(row!)).toEqual(est);
  });

  it("multi-chip tp 2 on a DGX H100: prefill = run --tp 2; the estimate = compare --tp 2", async () => {
    const file = scenario("tp2", "kind: inference\nhardware: { chip: nvidia-h100-sxm, count: 2, system: dgx-h100 }\nworkload: { model: llama-3.1-70b }\nparallelism: { tp: 2 }\ninference: { batch: 8, input_tokens: 1024, output_tokens: 128 }\n");
    const est = await jsonOf("estimate", file);
    expect(est.tp).toBe(2);
    const run = await jsonOf("run", "--model", "llama-3.1-70b", "--chip", H100, "--tp", "2", "--system", "dgx-h100", "--batch", "8", "--seq", "1024", "--logits", "last");
    expect(passOf(run)).toEqual(prefillOf(est));
    expect(run.comm_s as number).toBeGreaterThan(0);
    const [row] = await jsonOf("compare", "--model", "llama-3.1-70b", "--chips", H100, "--tp", "2", "--system", "dgx-h100", "--batch", "8", "--input", "1024", "--output", "128");
    expect(asEstimate(row!)).toEqual(est);
  });

  it("a CNN: the forward pass = run; images/s = compare's row", async () => {
    const file = scenario("resnet", `kind: inference\nhardware: { chip: ${H100} }\nworkload: { model: resnet-50 }\ninference: { batch: 64, input_tokens: 1, output_tokens: 0 }\n`);
    const est = await jsonOf("estimate", file);
    const run = await jsonOf("run", "--model", "resnet-50", "--chip", H100, "--batch", "64");
    expect(passOf(run)).toEqual(prefillOf(est));
    const [row] = await jsonOf("compare", "--model", "resnet-50", "--chips", H100, "--batch", "64");
    expect(asEstimate(row!)).toEqual(est);
  });
});
