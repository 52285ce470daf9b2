import { describe, expect, it } from "vitest";
import { planServing } from "../src/core/search/serving-plan.js";
import { simulateServing } from "../src/core/serving/simulate-serving.js";
import { engineStepCost, createStepBatch } from "../src/core/serving/step-cost.js";
import { generateWorkload } from "../src/core/serving/workload-gen.js";
import { layoutNetwork } from "../src/core/parallel/network-context.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { defaultSystemFor, loadSystem } from "../src/node/system-catalog.js";

const cand = (id: string) => {
  const chip = loadChip(id);
  return { chip, ctx: contextFor(chip), system: (n: number) => defaultSystemFor(chip, Math.max(2, n)) };
};
const llama8b = loadModel("llama-3.1-8b");
const bf16 = { compute: "bf16", weights: "bf16", activations: "bf16", kv_cache: "bf16" } as const;

describe("TP step cost in the serving simulator", () => {
  it("a TP-2 decode step is faster than TP-1 but carries the all-reduces", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const ctx = contextFor(chip);
    const net = layoutNetwork(loadSystem("dgx-h100"), 2, 1, 1);
    const one = engineStepCost(llama8b, ctx, bf16, { interpolate: false });
    const two = engineStepCost(llama8b, ctx, bf16, { interpolate: false, tp: 2, network: net });
    const b = createStepBatch(4);
    b.decodes = 1;
    b.decode_context_sum = 1024;
    const t1 = one.stepTimeS(b);
    const t2 = two.stepTimeS(b);
    expect(t2).toBeLessThan(t1);
    // 66 collectives per step, each at least the 8 KiB all-reduce time.
    expect(t2).toBeGreaterThan(t1 / 2 + 64 * net.tp("all_reduce", 8192));
    expect(two.id).toBe("engine-exact-tp2");
  });

  it("simulateServing with tp counts tp chips per instance and per-chip KV capacity", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const reqs = generateWorkload({ requests: 50, rate_per_s: 5, input: 512, output: 64, seed: 3 });
    const r1 = simulateServing(llama8b, contextFor(chip), bf16, { engine: "vllm" }, reqs);
    const r2 = simulateServing(llama8b, contextFor(chip), bf16, { engine: "vllm" }, reqs, { tp: 2, system: loadSystem("dgx-h100") });
    expect(r2.chips).toBe(2);
    expect(r2.tp).toBe(2);
    expect(r2.memory.weights_bytes).toBe(r1.memory.weights_bytes / 2);
    expect(r2.memory.kv_bytes_per_token).toBe(r1.memory.kv_bytes_per_token / 2);
    expect(r2.memory.token_capacity).toBeGreaterThan(r1.memory.token_capacity * 2);
    expect(r2.metrics!.tpot_s.p50).toBeLessThan(r1.metrics!.tpot_s.p50);
  });
});

describe("planServing", () => {
  it("ranks deployments that meet the SLO by $ per million tokens and says why the others fail", () => {
    const plan = planServing({
      model: llama8b,
      chips: [cand("nvidia-h100-sxm"), cand("nvidia-a100-sxm-80gb"), cand("nvidia-l4")],
      slo: { ttft_s: 0.5, tpot_s: 0.05 },
      rate_per_s: 4,
      input_tokens: 1024,
      output_tokens: 128,
      precisions: ["bf16", "fp8"],
      max_chips: 4,
      requests: 80,
    });
    expect(plan.deployments.length).toBeGreaterThan(0);
    for (const d of plan.deployments) {
      expect(d.meets_slo).toBe(true);
      expect(d.ttft_p90_s!).toBeLessThanOrEqual(0.5);
      expect(d.tpot_p90_s!).toBeLessThanOrEqual(0.05);
      expect(d.chips).toBe(d.tp * d.replicas);
    }
    const costs = plan.deployments.map((d) => d.usd_per_million_tokens ?? Infinity);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    // The A100 has no FP8 engine: not dropped, it runs FP16 math on FP8 storage (serving-expert-energy.test.ts).
    expect(plan.rejected.some((r) => /dtype unsupported/.test(r.reason))).toBe(false);
    // $/M tokens = $/h / (rate × output tokens × 3600) × 1e6.
    const d = plan.deployments[0]!;
    expect(d.usd_per_million_tokens).toBeCloseTo((d.usd_per_hour! / (4 * 128 * 3600)) * 1e6, 9);
  });

  it("an SLO nothing meets names the closest configuration", () => {
    const plan = planServing({
      model: llama8b,
      chips: [cand("nvidia-h100-sxm")],
      slo: { tpot_s: 0.0001 },
      rate_per_s: 1,
      input_tokens: 256,
      output_tokens: 32,
      precisions: ["bf16"],
      max_chips: 2,
    });
    expect(plan.deployments).toHaveLength(0);
    expect(plan.closest).toBeDefined();
    expect(plan.closest!.slo_ratio!).toBeGreaterThan(1);
    expect(plan.rejected.every((r) => /SLO missed/.test(r.reason))).toBe(true);
  });

  it("a power limit rejects chips by TDP × tp", () => {
    const plan = planServing({
      model: llama8b,
      chips: [cand("nvidia-h100-sxm")],
      slo: { ttft_s: 1 },
      rate_per_s: 1,
      input_tokens: 256,
      output_tokens: 32,
      precisions: ["bf16"],
      max_chips: 1,
      power_limit_w: 15,
    });
    expect(plan.deployments).toHaveLength(0);
    expect(plan.rejected[0]!.reason).toMatch(/power: 1 × 700 W = 700 W > 15 W/);
  });

  it("refuses a context longer than the model's maximum", () => {
    expect(() =>
      planServing({ model: llama8b, chips: [], slo: { ttft_s: 1 }, rate_per_s: 1, input_tokens: (llama8b as { max_context: number }).max_context, output_tokens: 1, precisions: ["bf16"], max_chips: 1 }),
    ).toThrow(/maximum context/);
  });
});
