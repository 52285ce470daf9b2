import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "./helpers/run-cli.js";

/** `xpusim serve`: table, JSON, CSV, traces, and clear errors for bad flags and bad traces. */
const cli = runCli;

afterEach(() => vi.restoreAllMocks());

const base = ["serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--requests", "300", "--rate", "8/s"];

describe("xpusim serve", () => {
  it("prints the metrics table with percentiles, throughput, goodput and KV use", async () => {
    const r = await cli(...base, "--slo", "ttft=500ms,tpot=50ms");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/vLLM preset: 8192 tokens\/step, 1024 seqs, block 16/);
    expect(r.out).toMatch(/25,956 blocks/);
    for (const row of ["TTFT", "TPOT", "ITL", "E2E", "queue delay"]) expect(r.out).toMatch(new RegExp(`^${row}\\s`, "m"));
    expect(r.out).toMatch(/goodput\s+[\d.]+ req\/s meet TTFT ≤ 500 ms, TPOT ≤ 50.0 ms/);
    expect(r.out).toMatch(/single chip \(tensor parallelism: tp > 1 with a system\)/);
  });

  it("--json is the full result; --csv is one row of scalars", async () => {
    const j = JSON.parse((await cli(...base, "--engine", "tensorrt-llm", "--json")).out);
    expect(j.kind).toBe("serving");
    expect(j.config.block_size).toBe(32);
    expect(j.requests.completed).toBe(300);
    expect(j.metrics.ttft_s.p50).toBeGreaterThan(0);
    expect(j.metrics.kv.series.time_s.length).toBeGreaterThan(10);
    const lines = (await cli(...base, "--csv")).out.trim().split("\n");
    expect(lines).toHaveLength(2);
    const header = lines[0]!.split(",");
    expect(header).toContain("ttft_p99_s");
    expect(header).toContain("output_tokens_per_s");
  });

  it("overrides, bursty arrivals and disaggregation", async () => {
    const j = JSON.parse(
      (await cli(...base, "--max-num-seqs", "64", "--max-batched-tokens", "2048", "--no-chunked-prefill", "--burstiness", "2", "--disagg", "1:2", "--kv-link", "50 GB/s", "--json")).out,
    );
    expect(j.config).toMatchObject({ max_num_seqs: 64, max_num_batched_tokens: 2048, chunked_prefill: false, disaggregation: { prefill_instances: 1, decode_instances: 2, kv_transfer_bytes_per_s: 50e9 } });
    expect(j.chips).toBe(3);
    expect(j.requests.completed).toBe(300);
  });

  it("reads a CSV trace; a malformed one names the file, line and column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-serve-"));
    const good = join(dir, "trace.csv");
    writeFileSync(good, "arrival_s,input_len,output_len\n0,100,20\n0.5,300,40\n1.0,50,10\n");
    const r = await cli("serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--trace", good, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).requests.completed).toBe(3);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "arrival_s,input_len,output_len\n0,100,20\n1,abc,10\n");
    const e = await cli("serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--trace", bad);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/bad\.csv: line 3, column 3: input_len is not a number/);
    const missing = await cli("serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--trace", join(dir, "nope.csv"));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/trace file not found/);
  });

  it("bad flag values exit 2 with a message", async () => {
    for (const [flag, value, msg] of [
      ["--rate", "fast", /--rate must be a positive rate/],
      ["--slo", "ttft=soon", /--slo ttft: expected a duration/],
      ["--input", "0", /--input must be a token count/],
      ["--disagg", "0:1", /--disagg must be P:D/],
      ["--mem-util", "2", /--mem-util must be in \(0, 1\]/],
    ] as const) {
      const r = await cli(...base, flag, value);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });

  it("an infeasible setup is a result, not a crash", async () => {
    const r = await cli("serve", "--model", "llama-3.1-70b", "--chip", "nvidia-h100-sxm", "--requests", "10");
    // Exit 3: infeasible, the answer still printed.
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/infeasible: no memory left for the KV cache/);
  });
});
