import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "./helpers/run-cli.js";

/** Runs the CLI in-process, capturing stdout/stderr and the exit code (pattern of cli.test.ts). */
const cli = runCli;

afterEach(() => vi.restoreAllMocks());

describe("xpusim plan serve / serve --tp", () => {
  it("plan serve --json ranks deployments and lists rejections", async () => {
    const r = await cli("plan", "serve", "--model", "llama-3.1-8b", "--slo", "ttft=500ms,tpot=50ms", "--rate", "2/s", "--chips", "nvidia-h100-sxm,nvidia-a100-sxm-80gb", "--precision", "bf16,fp8", "--max-chips", "2", "--input", "512", "--output", "64", "--json");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as { deployments: Array<{ chip: string; meets_slo: boolean }>; rejected: Array<{ chip: string; reason: string }> };
    expect(plan.deployments.length).toBeGreaterThan(0);
    expect(plan.deployments.every((d) => d.meets_slo)).toBe(true);
    // The A100 has no FP8 engine: FP8 weights run with FP16 math instead of being dropped.
    expect(plan.rejected.some((x) => /dtype unsupported/.test(x.reason))).toBe(false);
  });

  it("plan serve prints the closest configuration when nothing meets the SLO", async () => {
    const r = await cli("plan", "serve", "--model", "llama-3.1-8b", "--slo", "tpot=0.1ms", "--chips", "nvidia-h100-sxm", "--precision", "bf16", "--max-chips", "1", "--input", "128", "--output", "16");
    // Exit 3: infeasible (nothing meets the SLO), the answer still printed.
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/no deployment meets the SLO/);
    expect(r.out).toMatch(/closest: nvidia-h100-sxm bf16 tp 1/);
  });

  it("plan serve says how many candidates it simulated, skipped by the bound or left out by --max-simulated", async () => {
    const args = ["plan", "serve", "--model", "llama-3.1-8b", "--slo", "ttft=500ms,tpot=50ms", "--rate", "2/s", "--chips", "nvidia-h100-sxm,nvidia-a100-sxm-80gb", "--precision", "bf16,fp8", "--max-chips", "2", "--input", "512", "--output", "64"];
    const capped = await cli(...args, "--simulate-top", "1", "--max-simulated", "1");
    expect(capped.code).toBe(0);
    expect(capped.out).toMatch(/^\d+ candidates, 1 simulated \(1 simulation\)(, \d+ that cannot beat the cheapest confirmed one skipped)?; \d+ left out by the budget of 1 \(--max-simulated\)$/m);
    const json = JSON.parse((await cli(...args, "--simulate-top", "1", "--max-simulated", "1", "--json")).out) as { search: { simulated_candidates: number; max_simulated: number; left_by_budget: number } };
    expect(json.search.simulated_candidates).toBe(1);
    expect(json.search.max_simulated).toBe(1);
    expect(json.search.left_by_budget).toBeGreaterThan(0);
    const bad = await cli(...args, "--max-simulated", "0");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--max-simulated must be a positive integer/);
  });

  it("bad plan input is a clear error, not a crash", async () => {
    const bad = await cli("plan", "serve", "--model", "llama-3.1-8b", "--slo", "ttft=500ms", "--power", "lots");
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--power must be a power/);
    const long = await cli("plan", "serve", "--model", "llama-3.1-8b", "--slo", "ttft=500ms", "--input", "200000", "--chips", "nvidia-h100-sxm");
    expect(long.code).not.toBe(0);
    expect(long.err).toMatch(/maximum context of llama-3.1-8b/);
  });

  it("serve --tp 2 runs one engine over two chips", async () => {
    const r = await cli("serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--tp", "2", "--requests", "40", "--rate", "4/s", "--input", "256", "--output", "32", "--json");
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as { chips: number; tp: number; step_cost_model: string };
    expect(res.chips).toBe(2);
    expect(res.tp).toBe(2);
    expect(res.step_cost_model).toBe("engine-interpolated-tp2");
    const noTp = await cli("serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--system", "dgx-h100", "--requests", "5");
    expect(noTp.code).not.toBe(0);
    expect(noTp.err).toMatch(/--system applies only with --tp/);
  });
});
