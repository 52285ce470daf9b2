import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import type { AssessConditions, FactorContext } from "../src/core/assess/factor.js";
import { costFactor } from "../src/core/assess/factors/cost.js";
import { SECURITY_FEATURES, securityFactor } from "../src/core/assess/factors/security.js";
import { ownershipCost } from "../src/core/money/index.js";
import { resolvePrecision } from "../src/core/workload/precision.js";
import { loadMoneyCatalog } from "../src/node/money-catalog.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const catalog = nodeCatalog();
const money = loadMoneyCatalog();

function inferenceCtx(chipId: string, conditions: AssessConditions = {}, withMoney = true): FactorContext {
  const chip = catalog.chip(chipId);
  const inference = JOBS.inference.run({ chip: chipId, model: "llama-3.1-8b", precision: { compute: "bf16" }, batch: 16, input_tokens: 512, output_tokens: 128, chips: 1, tp: 1, pp: 1 }, catalog);
  return {
    mode: "inference",
    chip,
    cost: catalog.context(chip),
    chips: 1,
    model: catalog.model("llama-3.1-8b"),
    precision: resolvePrecision({ compute: "bf16" }),
    inference,
    conditions,
    ...(withMoney ? { money } : {}),
  };
}

describe("cost factor", () => {
  it("prices a million output tokens from the estimate's throughput and energy, owned by default", () => {
    const ctx = inferenceCtx("nvidia-h100-sxm", { utilisation: 0.5, amortisation_years: 4 });
    const f = costFactor(ctx);
    const e = ctx.inference!;
    const o = ownershipCost(ctx.chip, money.ownership, { count: 1, years: 4, utilisation: 0.5, busy_power_w: e.average_power_w! });
    expect(f.unit).toBe("USD/Mtok");
    expect(f.better).toBe("lower");
    expect(f.value).toBeCloseTo((o.owned_usd_per_busy_chip_hour! * 1e6) / e.output_tokens_per_s / 3600, 9);
    expect(f.details!.capex_usd).toBeCloseTo(27500 * 1.64, 6);
    expect(f.details!.cloud_usd_per_hour).toBe(2.5);
    expect(f.limited_by).toMatch(/capex|energy/);
  });

  it("uses the cloud rate when the deployment is cloud", () => {
    const ctx = inferenceCtx("nvidia-h100-sxm", { deployment: "cloud", utilisation: 0.8 });
    const f = costFactor(ctx);
    expect(f.value).toBeCloseTo((2.5 / 0.8) * 1e6 / ctx.inference!.output_tokens_per_s / 3600, 9);
    expect(f.details!.basis).toBe("cloud");
  });

  it("more utilisation never raises the cost per token", () => {
    let prev = Infinity;
    for (const utilisation of [0.1, 0.3, 0.5, 0.7, 0.9, 1]) {
      const v = costFactor(inferenceCtx("amd-mi300x", { utilisation })).value!;
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
  });

  it("a missing price is unknown naming cost.price, a missing cloud rate names cost.cloud_per_hour — never zero", () => {
    // MI325X: AMD publishes no list price (catalog/chips/amd-mi325x.yaml cost.unpublished.price).
    const owned = costFactor(inferenceCtx("amd-mi325x"));
    expect(owned.value).toBeNull();
    expect(owned.missing).toContain("cost.price");
    const cloud = costFactor(inferenceCtx("intel-gaudi3", { deployment: "cloud" }));
    expect(cloud.value).toBeNull();
    expect(cloud.missing).toEqual(["cost.cloud_per_hour"]);
    expect(costFactor(inferenceCtx("nvidia-h100-sxm", {}, false)).missing).toEqual(["money catalog (FactorContext.money)"]);
  });

  it("prices a training step from the training estimate", () => {
    const req = { model: "llama-3.1-8b", chip: "nvidia-h100-sxm", system: "dgx-h100", chips: 8, precision: { compute: "bf16" as const }, global_batch: 64, seq_len: 4096 };
    const training = JOBS.training.run(req, catalog);
    const chip = catalog.chip("nvidia-h100-sxm");
    const ctx: FactorContext = { mode: "training", chip, cost: catalog.context(chip), chips: 8, model: catalog.model("llama-3.1-8b"), precision: resolvePrecision({ compute: "bf16" }), training, conditions: { deployment: "cloud" }, money };
    const f = costFactor(ctx);
    expect(f.unit).toBe("USD/step");
    expect(f.value).toBeCloseTo((2.5 * 8 * training.step_time_s) / 3600, 9);
  });
});

describe("security factor", () => {
  it("H100: all five sourced features → 5, with the confidential-mode overhead range", () => {
    const f = securityFactor(inferenceCtx("nvidia-h100-sxm", { deployment: "cloud" }));
    expect(f.value).toBe(SECURITY_FEATURES.length);
    expect(f.limited_by).toBeNull();
    expect(f.basis).toBe("sourced");
    expect(f.details!.confidential_overhead_fraction).toBe(0.07);
    expect(f.details!.confidential_overhead_high).toBe(0.32);
    expect(f.details!.isolation_max_instances).toBe(7);
    expect(String(f.details!.data_exposure)).toMatch(/attested confidential VM/);
    expect(f.source).toMatch(/Confidential Computing/);
  });

  it("A100: no confidential computing limits it, and in the cloud the provider can see data in use", () => {
    const onPrem = securityFactor(inferenceCtx("nvidia-a100-sxm-80gb", { deployment: "on-premises" }));
    expect(onPrem.value).toBe(2); // isolation (MIG) + secure boot
    expect(onPrem.limited_by).toBe("confidential computing not supported");
    const cloud = securityFactor(inferenceCtx("nvidia-a100-sxm-80gb", { deployment: "cloud" }));
    expect(cloud.limited_by).toMatch(/provider's host can see data in use/);
    expect(String(cloud.details!.data_exposure)).toMatch(/provider's host/);
  });

  it("a chip without sourced security data is unknown, not zero", () => {
    const f = securityFactor(inferenceCtx("google-tpu-v5e"));
    expect(f.value).toBeNull();
    expect(f.missing).toEqual(SECURITY_FEATURES.map((k) => `security.${k}`));
  });
});

describe("power and cost price a kWh the same way", () => {
  it("the cost factor uses the facility PUE of the chip's cooling that the power factor uses (air 1.56, liquid 1.15), unless --pue is given", () => {
    const run = (conditions: AssessConditions) => JOBS.assess.run({ chips: ["nvidia-h100-sxm"], model: "llama-3.1-8b", mode: "inference", batch: 8, input_tokens: 512, output_tokens: 64, conditions }, catalog).chips[0]!.factors;
    for (const [conditions, pue] of [[{}, 1.56], [{ cooling: "liquid" }, 1.15], [{ pue: 1.3 }, 1.3]] as const) {
      const f = run(conditions);
      expect(f.cost!.details!.pue, JSON.stringify(conditions)).toBe(pue);
      expect(f.power!.details!.pue, JSON.stringify(conditions)).toBe(pue);
    }
  });
});
