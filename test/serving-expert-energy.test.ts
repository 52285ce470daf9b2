import { afterEach, describe, expect, it, vi } from "vitest";
import { planServing } from "../src/core/search/serving-plan.js";
import { defaultSystemFor } from "../src/node/system-catalog.js";
import { runCli } from "./helpers/run-cli.js";
import { layoutNetwork } from "../src/core/parallel/network-context.js";
import { routedExpertParams } from "../src/core/parallel/expert-parallel.js";
import { simulateServing } from "../src/core/serving/simulate-serving.js";
import { createStepBatch, engineStepCost, linearStepCost } from "../src/core/serving/step-cost.js";
import { generateWorkload } from "../src/core/serving/workload-gen.js";
import { waitingPowerW } from "../src/core/estimate/sharded-pass.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";

const bf16 = { compute: "bf16", weights: "bf16", activations: "bf16", kv_cache: "bf16" } as const;
const h100 = loadChip("nvidia-h100-sxm");
const ctx = contextFor(h100);
const mixtral = loadModel("mixtral-8x7b");
const llama8b = loadModel("llama-3.1-8b");
const dgx = loadSystem("dgx-h100");

function batch(chunks: Array<[number, number]>, decodes: number, ctxSum: number) {
  const b = createStepBatch(64);
  b.chunks = chunks.length;
  chunks.forEach(([t, p], i) => {
    b.chunk_tokens[i] = t;
    b.chunk_prior[i] = p;
  });
  b.decodes = decodes;
  b.decode_context_sum = ctxSum;
  return b;
}

describe("expert parallelism in the serving step cost", () => {
  it("ep = 1 is the step cost without it, to the bit", () => {
    const plain = engineStepCost(mixtral, ctx, bf16, { interpolate: false });
    const ep1 = engineStepCost(mixtral, ctx, bf16, { interpolate: false, ep: 1 });
    for (const b of [batch([[700, 0]], 0, 0), batch([], 37, 37 * 900), batch([[300, 100], [64, 0]], 20, 20 * 1500)]) {
      expect(ep1.stepTimeS(b)).toBe(plain.stepTimeS(b));
      expect(ep1.stepEnergyJ(b)).toBe(plain.stepEnergyJ(b));
    }
    expect(ep1.id).toBe("engine-exact");
  });

  it("an ep = 4 decode step of 4·B sequences costs one rank's B-sequence step plus the all-to-alls, experts ÷ 4", () => {
    const net = layoutNetwork(dgx, 1, 4, 1, 4);
    const ep4 = engineStepCost(mixtral, ctx, bf16, { interpolate: false, ep: 4, network: net });
    const one = engineStepCost(mixtral, ctx, bf16, { interpolate: false });
    const t4 = ep4.stepTimeS(batch([], 64, 64 * 1000));
    const t1at16 = one.stepTimeS(batch([], 16, 16 * 1000));
    const t1at64 = one.stepTimeS(batch([], 64, 64 * 1000));
    // 32 MoE layers × (dispatch + combine) of 16 tokens × top-2 × 4096 × 2 B each.
    const a2a = 32 * 2 * net.ep("all_to_all", 16 * 2 * 4096 * 2);
    expect(a2a).toBeGreaterThan(0);
    // The rank reads a quarter of the expert weights, so its step is shorter than a lone chip's at
    // the same 16 sequences plus the collectives, and much shorter than one chip holding all 64.
    expect(t4).toBeLessThan(t1at16 + a2a);
    expect(t4).toBeGreaterThan(a2a);
    expect(t4).toBeLessThan(t1at64);
    expect(ep4.id).toBe("engine-exact-ep4");
    expect(ep4.chips).toBe(4);
  });

  it("a prompt chunk is never split between attention groups", () => {
    const net = layoutNetwork(dgx, 1, 4, 1, 4);
    const ep4 = engineStepCost(mixtral, ctx, bf16, { interpolate: false, ep: 4, network: net });
    // One 2048-token chunk: the busiest group holds all of it, so 4 equal chunks cost about the same.
    const lone = ep4.stepTimeS(batch([[2048, 0]], 0, 0));
    const four = ep4.stepTimeS(batch([[512, 0], [512, 0], [512, 0], [512, 0]], 0, 0));
    expect(lone).toBeGreaterThan(four);
  });

  it("simulateServing with ep: tp·ep chips, routed experts ÷ ep per chip, ep groups of KV blocks", () => {
    const reqs = generateWorkload({ requests: 120, rate_per_s: 8, input: 512, output: 64, seed: 2 });
    const r1 = simulateServing(mixtral, ctx, bf16, { engine: "vllm" }, reqs);
    const r4 = simulateServing(mixtral, ctx, bf16, { engine: "vllm" }, reqs, { ep: 4, system: dgx });
    expect(r4.ep).toBe(4);
    expect(r4.chips).toBe(4);
    expect(r1.memory.weights_bytes - r4.memory.weights_bytes).toBeCloseTo(routedExpertParams(mixtral) * 0.75 * 2, -3);
    expect(r4.memory.kv_bytes_per_token).toBe(r1.memory.kv_bytes_per_token);
    expect(r4.metrics!.kv.blocks_total).toBe(4 * r4.memory.num_blocks);
    expect(r4.requests.completed).toBe(120);
    // 93 GB of bf16 weights do not fit one 80 GB chip; a quarter of the experts per chip does.
    expect(r1.feasible).toBe(false);
    expect(r4.feasible).toBe(true);
  });

  it("rejects ep on dense models and ep not dividing the experts", () => {
    const reqs = generateWorkload({ requests: 5, rate_per_s: 1, input: 64, output: 8, seed: 1 });
    expect(() => simulateServing(llama8b, ctx, bf16, {}, reqs, { ep: 2, system: dgx })).toThrow(/dense/);
    expect(() => simulateServing(mixtral, ctx, bf16, {}, reqs, { ep: 3, system: dgx })).toThrow(/does not divide the 8 experts/);
    expect(() => simulateServing(mixtral, ctx, bf16, {}, reqs, { ep: 2 })).toThrow(/system/);
  });
});

describe("energy in the serving simulator", () => {
  it("a hand-checkable run: busy power over steps, idle power between them", () => {
    // One request of 10 prompt tokens and 3 output tokens, steps of 10 ms, 2 chips at 500 W busy, 100 W idle.
    const step = linearStepCost({ base_s: 0.01, busy_power_w: 500, idle_power_w: 100, chips: 2 });
    const reqs = [
      { arrival_s: 0, input_len: 10, output_len: 3 },
      { arrival_s: 1, input_len: 10, output_len: 3 },
    ];
    const r = simulateServing(llama8b, ctx, bf16, { engine: "vllm" }, reqs, { step_cost: step });
    const e = r.metrics!.energy!;
    // 3 steps per request (prefill + 2 decodes) = 60 ms busy of a 1.03 s span.
    expect(e.span_s).toBeCloseTo(1.03, 12);
    expect(e.busy_j).toBeCloseTo(6 * 0.01 * 500 * 2, 12);
    expect(e.idle_j).toBeCloseTo((1.03 - 0.06) * 100 * 2, 12);
    expect(e.per_output_token_j).toBeCloseTo(e.total_j / 6, 12);
    expect(e.average_power_per_chip_w).toBeCloseTo(e.total_j / (1.03 * 2), 12);
  });

  it("energy ≥ idle power × span × chips, and J/token falls with load until saturation", () => {
    const idle = waitingPowerW(ctx);
    expect(idle).toBeGreaterThan(0);
    const jPerToken: number[] = [];
    for (const rate of [0.5, 2, 8, 32]) {
      const reqs = generateWorkload({ requests: 150, rate_per_s: rate, input: 512, output: 128, seed: 5 });
      const r = simulateServing(llama8b, ctx, bf16, { engine: "vllm" }, reqs);
      const e = r.metrics!.energy!;
      expect(e.total_j).toBeGreaterThanOrEqual(idle * e.span_s * e.chips);
      expect(e.average_power_per_chip_w).toBeLessThanOrEqual(h100.power.tdp_w!);
      jPerToken.push(e.per_output_token_j);
    }
    for (let i = 1; i < jPerToken.length; i++) expect(jPerToken[i]!).toBeLessThan(jPerToken[i - 1]!);
  });

  it("a step's energy is its graph energy: a lone prefill equals the prefill pass", () => {
    const exact = engineStepCost(llama8b, ctx, bf16, { interpolate: false });
    const e = exact.stepEnergyJ(batch([[512, 0]], 0, 0));
    const t = exact.stepTimeS(batch([[512, 0]], 0, 0));
    expect(e).toBeGreaterThan(waitingPowerW(ctx) * t);
    expect(e).toBeLessThanOrEqual(h100.power.tdp_w! * t * (1 + 1e-12));
  });

  it("TP: energy counts every chip of the group", () => {
    const net = layoutNetwork(dgx, 2, 1, 1);
    const two = engineStepCost(llama8b, ctx, bf16, { interpolate: false, tp: 2, network: net });
    const b = batch([], 32, 32 * 1000);
    expect(two.stepEnergyJ(b)).toBeGreaterThan(2 * waitingPowerW(ctx) * two.stepTimeS(b));
    expect(two.chips).toBe(2);
  });
});

const cand = (id: string) => {
  const chip = loadChip(id);
  return { chip, ctx: contextFor(chip), system: (n: number) => defaultSystemFor(chip, Math.max(2, n)) };
};

describe("plan serve: dtype fallback, expert parallelism, energy", () => {
  it("FP8 on an A100 runs FP16 math on FP8 storage, says so, and reports energy per token", () => {
    const plan = planServing({
      model: llama8b,
      chips: [cand("nvidia-a100-sxm-80gb")],
      slo: { ttft_s: 0.5, tpot_s: 0.05 },
      rate_per_s: 2,
      input_tokens: 512,
      output_tokens: 64,
      precisions: ["fp8"],
      max_chips: 1,
      requests: 60,
    });
    const d = plan.deployments[0]!;
    expect(d.precision).toBe("fp8");
    expect(d.precision_executed).toMatch(/compute=fp16,weights=fp8/);
    expect(d.notes.join(" ")).toMatch(/no fp8 matrix engine: math runs in fp16 with fp8 weights dequantised on the fly \(\+\d/);
    // Simulated energy: at least idle power, at most TDP per chip.
    const a100 = loadChip("nvidia-a100-sxm-80gb");
    expect(d.average_watts_per_replica!).toBeGreaterThanOrEqual(waitingPowerW(contextFor(a100)));
    expect(d.average_watts_per_replica!).toBeLessThanOrEqual(a100.power.tdp_w!);
    expect(d.energy_per_output_token_j!).toBeGreaterThan(0);
  });

  it("a MoE model gets expert-parallel candidates with tp·ep chips per replica", () => {
    const plan = planServing({
      model: mixtral,
      chips: [cand("nvidia-h100-sxm")],
      slo: { ttft_s: 1, tpot_s: 0.05 },
      rate_per_s: 4,
      input_tokens: 512,
      output_tokens: 64,
      precisions: ["bf16"],
      max_chips: 2,
      requests: 60,
    });
    // tp 1 does not fit (93 GB of weights); tp 2 and ep 2 both do.
    expect(plan.rejected.find((r) => r.tp === 1 && r.ep === undefined)!.reason).toMatch(/does not fit/);
    const ep2 = plan.deployments.find((d) => d.ep === 2 && d.tp === 1)!;
    expect(ep2.chips).toBe(2 * ep2.replicas);
    expect(ep2.notes.join(" ")).toMatch(/expert parallel/);
    expect(plan.deployments.some((d) => d.tp === 2 && d.ep === 1)).toBe(true);
  });
});

describe("xpusim serve --ep", () => {
  afterEach(() => vi.restoreAllMocks());
  it("prints the energy line and runs MoE experts over ep chips", async () => {
    const r = await runCli("serve", "--model", "mixtral-8x7b", "--chip", "nvidia-h100-sxm", "--ep", "2", "--requests", "40", "--rate", "4/s", "--input", "256", "--output", "32");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/on 2 × nvidia-h100-sxm/);
    expect(r.out).toMatch(/per attention group, 2 groups per instance/);
    expect(r.out).toMatch(/energy {6}[\d.]+ J\/output token · \d+ W per chip on average/);
    const bad = await runCli("serve", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--ep", "2", "--requests", "5");
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/dense/);
  });
});
