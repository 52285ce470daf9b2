/**
 * The assessment under a power cap and thermal throttling (issue #9): every time-based factor is taken
 * at the sustained operating point. Properties: a lower cap never raises throughput or lowers latency;
 * more cooling never lowers sustained throughput; a cap below idle is bad input naming --power-cap; a
 * cap above TDP is clamped with a note; a chip without TDP under a cap is unknown, not its stock figure.
 */
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/index.js";
import type { AssessConditions, AssessResult, FactorKey, FactorValue } from "../src/core/assess/factor.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

const catalog = nodeCatalog();
/** A prefill-heavy request (8 × 2048 prompt tokens, 16 generated): compute-bound, so a cap matters. */
const PREFILL_HEAVY = { model: "llama-3.1-8b", mode: "inference", batch: 8, input_tokens: 2048, output_tokens: 16 } as const;
/** Training llama-3.1-8b on 8 chips (global batch 64, seq 2048): compute-bound steps. */
const TRAINING_8 = { model: "llama-3.1-8b", mode: "training", count: 8, scale_counts: [8] } as const;

function factor(r: AssessResult, key: FactorKey, chip = 0): FactorValue {
  return r.chips[chip]!.factors[key]!;
}

function inference(chips: string[], conditions: AssessConditions): AssessResult {
  return JOBS.assess.run({ chips, ...PREFILL_HEAVY, conditions }, catalog);
}

function training(chips: string[], conditions: AssessConditions): AssessResult {
  return JOBS.assess.run({ chips, ...TRAINING_8, conditions }, catalog);
}

describe("a lower power cap never speeds anything up (inference, nvidia-h100-sxm)", () => {
  const caps = [700, 650, 600, 500, 400, 300, 200, 150];
  const runs = caps.map((cap) => inference(["nvidia-h100-sxm"], { power_cap_w: cap }));

  it("throughput is non-increasing and latency, TTFT and TPOT non-decreasing as the cap falls", () => {
    for (let i = 1; i < runs.length; i++) {
      const [a, b] = [runs[i - 1]!, runs[i]!];
      expect(factor(b, "throughput").value!).toBeLessThanOrEqual(factor(a, "throughput").value!);
      expect(factor(b, "latency").value!).toBeGreaterThanOrEqual(factor(a, "latency").value!);
      expect(factor(b, "latency").details!.ttft_s as number).toBeGreaterThanOrEqual(factor(a, "latency").details!.ttft_s as number);
      expect(factor(b, "latency").details!.tpot_s as number).toBeGreaterThanOrEqual(factor(a, "latency").details!.tpot_s as number);
    }
    // The cap binds for real: 300 W leaves about half the stock throughput of this compute-bound prefill.
    // By hand: demand 583 W = 140 W static (Hopper 0.20 × 700) + 443 W dynamic; compute-bound dynamic
    // power ∝ r·V(r)², V(r) = 0.725 + 0.275·(r − 0.174)/0.826, so 140 + 443·r·V(r)² = 300 → r ≈ 0.515.
    expect(factor(runs[5]!, "throughput").value! / factor(runs[0]!, "throughput").value!).toBeLessThan(0.55);
  });

  it("a 700 W cap (the TDP) is the stock estimate itself: the same figures as no cap", () => {
    const stock = inference(["nvidia-h100-sxm"], {});
    for (const k of ["latency", "throughput", "power", "cost"] as const) expect(factor(runs[0]!, k).value).toBe(factor(stock, k).value);
    expect(factor(runs[0]!, "throughput").details!.operating_point).toBe("stock");
    expect(factor(stock, "throughput").details!.operating_point).toBeUndefined();
  });

  it("latency and throughput are the same request: tokens/s × latency = generated tokens at every cap", () => {
    for (const r of runs) expect(factor(r, "throughput").value! * factor(r, "latency").value!).toBeCloseTo(8 * 16, 6);
  });

  it("the memory-bound decode step barely slows while the compute-bound prefill slows with the clock (500 W)", () => {
    const stock = factor(runs[0]!, "latency").details!;
    const capped = factor(runs[3]!, "latency").details!;
    expect(capped.tpot_s).toBe(stock.tpot_s);
    // By hand (as above): 140 + 443·r·V(r)² = 500 → r ≈ 0.88 with the request's average dynamic power,
    // lower with the prefill's own (higher) one: TTFT × 1/r ≥ 1.13.
    expect((capped.ttft_s as number) / (stock.ttft_s as number)).toBeGreaterThan(1.13);
    expect(factor(runs[3]!, "latency").note).toMatch(/power cap 500 W: clock \d\.\d\d GHz \(\d+ % of boost\)/);
    expect(factor(runs[3]!, "throughput").limited_by).toMatch(/power cap 500 W/);
  });
});

describe("training on 8 × nvidia-h200-sxm at 500 W, as MLPerf Power runs cap it", () => {
  const stock = training(["nvidia-h200-sxm"], {});
  const capped = training(["nvidia-h200-sxm"], { power_cap_w: 500 });
  const ratio = factor(capped, "power").details!.throughput_ratio_vs_stock as number;

  it("slows the compute-bound step: the power model's ratio is below 0.8", () => {
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.8);
    expect(factor(capped, "compute").details!.throughput_ratio).toBe(ratio);
  });

  it("applies that one ratio to compute (FLOP/s, MFU) and to the step time", () => {
    expect(factor(capped, "compute").value! / factor(stock, "compute").value!).toBeCloseTo(ratio, 12);
    expect((factor(capped, "compute").details!.mfu as number) / (factor(stock, "compute").details!.mfu as number)).toBeCloseTo(ratio, 12);
    expect((factor(capped, "compute").details!.step_time_s as number) * ratio).toBeCloseTo(factor(stock, "compute").details!.step_time_s as number, 12);
    expect(factor(capped, "compute").details!.operating_clock_hz as number).toBeLessThan(1.98e9);
  });

  it("a longer step costs more when capex dominates (the cheaper energy does not make up for it)", () => {
    const c = factor(capped, "cost");
    expect(c.value!).toBeGreaterThan(factor(stock, "cost").value!);
    expect(c.details!.seconds_per_unit as number).toBeCloseTo((factor(stock, "cost").details!.seconds_per_unit as number) / ratio, 9);
    expect(c.details!.busy_power_w_per_chip as number).toBeLessThanOrEqual(500);
  });

  it("communication is a smaller share of the longer step, never a larger one", () => {
    expect(factor(capped, "data_transfer").value!).toBeLessThanOrEqual(factor(stock, "data_transfer").value!);
  });

  it("scalability says it is at the stock clock", () => {
    expect(factor(capped, "scalability").note).toMatch(/at the stock clock/);
    expect(factor(stock, "scalability").note).not.toMatch(/stock clock/);
  });
});

describe("more cooling never lowers sustained throughput (training, 8 × amd-mi300x)", () => {
  const resistances = [0.12, 0.1, 0.09, 0.08, 0.07, 0.06, 0.04];
  const runs = resistances.map((r) => training(["amd-mi300x"], { thermal_resistance_c_per_w: r }));

  it("compute FLOP/s and the thermal factor are non-decreasing as the thermal resistance falls", () => {
    for (let i = 1; i < runs.length; i++) {
      expect(factor(runs[i]!, "compute").value!).toBeGreaterThanOrEqual(factor(runs[i - 1]!, "compute").value!);
      expect(factor(runs[i]!, "thermal").value!).toBeGreaterThanOrEqual(factor(runs[i - 1]!, "thermal").value!);
    }
    expect(factor(runs[0]!, "compute").details!.operating_point).toBe("thermal");
    expect(factor(runs[0]!, "compute").value!).toBeLessThan(factor(runs[runs.length - 1]!, "compute").value!);
  });

  it("the throttled compute is the thermal factor's sustained share of the unthrottled one", () => {
    const cool = runs[runs.length - 1]!;
    expect(factor(cool, "thermal").value).toBe(1);
    expect(factor(runs[0]!, "compute").value! / factor(cool, "compute").value!).toBeCloseTo(factor(runs[0]!, "thermal").value!, 12);
    expect(factor(runs[0]!, "compute").note).toMatch(/thermal throttling \(air, \d+ °C\)/);
  });
});

describe("bad and edge inputs", () => {
  it("a cap below a chip's idle power exits 1 naming --power-cap", async () => {
    const { code, err } = await runCli("assess", "--chips", "nvidia-h100-sxm", "--workload", "llama-3.1-8b", "--mode", "inference", "--power-cap", "100");
    expect(code).toBe(1);
    expect(err).toMatch(/--power-cap/);
    expect(err).toMatch(/idle power \(121\.7 W\)/);
  });

  it("an ambient at or above the junction limit exits 1 naming --ambient", async () => {
    const { code, err } = await runCli("assess", "--chips", "nvidia-h100-sxm", "--workload", "llama-3.1-8b", "--mode", "inference", "--ambient", "95");
    expect(code).toBe(1);
    expect(err).toMatch(/--ambient/);
    expect(err).toMatch(/junction limit 87 °C/);
  });

  it("a cap above TDP is clamped, with a note, and gives the stock figures", () => {
    const over = inference(["nvidia-h100-sxm"], { power_cap_w: 900 });
    const stock = inference(["nvidia-h100-sxm"], {});
    expect(factor(over, "throughput").value).toBe(factor(stock, "throughput").value);
    expect(factor(over, "throughput").note).toMatch(/900 W power cap is above the 700 W TDP: clamped/);
    expect(factor(over, "power").details!.power_cap_w).toBe(700);
  });

  it("a chip without TDP under a cap: latency, throughput, power and cost are null with power.tdp missing, not 0 and not the stock figure", () => {
    const r = inference(["google-tpu-v5p"], { power_cap_w: 300 });
    for (const k of ["latency", "throughput", "power"] as const) {
      expect(factor(r, k).value).toBeNull();
      expect(factor(r, k).missing).toContain("power.tdp");
    }
    expect(factor(r, "cost").value).toBeNull();
    // Without a cap the stock estimate stands.
    expect(factor(inference(["google-tpu-v5p"], {}), "throughput").value!).toBeGreaterThan(0);
  });

  it("a chip without clock figures says the clock as a share of boost, never '?'", () => {
    const r = training(["intel-gaudi3"], { power_cap_w: 600 });
    const p = factor(r, "power");
    expect(p.limited_by).toMatch(/^power cap 600 W: clock at \d+ % of boost$/);
    for (const f of Object.values(r.chips[0]!.factors)) expect(`${f.note} ${f.limited_by ?? ""}`).not.toMatch(/\?|NaN|undefined/);
  });

  it("a chip the workload does not fit (VGG-16: 138 M int8 weights, more than the Hailo-8's ~32 MB of SRAM) has no power or thermal figure (the power of nothing that can run), never a rank", () => {
    const r = JOBS.assess.run({ chips: ["hailo-8", "nvidia-t4"], model: "vgg-16", mode: "inference" }, catalog);
    expect(factor(r, "power")).toMatchObject({ value: null, rank: null, missing: ["a layout that fits in memory"] });
    expect(factor(r, "power", 1).value!).toBeGreaterThan(0);
    expect(factor(r, "power", 1).note).toMatch(/^\d+\.\d W average \(demand \d+\.\d W at the boost clock, cap 70\.0 W TDP\)/);
  });
});

describe("cost of a chip with no price: the die-cost floor (custom designs)", () => {
  /** Tesla's D1 die (645 mm², TSMC 7 nm, 400 W; no published price) given 80 GB of HBM3 so a model fits. */
  const DOJO_HBM = { id: "dojo-hbm", extends: "tesla-dojo-d1", name: "D1 with 80 GB HBM3", memory: { main: { type: "HBM3", capacity: "80 GB", bandwidth: "3.35 TB/s" } } };
  const r = JOBS.assess.run({ chips: [DOJO_HBM, "nvidia-h100-sxm"], model: "gpt2-124m", mode: "inference" }, catalog);
  const cost = factor(r, "cost");

  it("prices the die from wafer cost, dies per wafer and yield, plus HBM and package, labelled derived", () => {
    const d = cost.details!;
    expect(cost.value!).toBeGreaterThan(0);
    expect(cost.basis).toBe("derived");
    expect(d.price_basis).toBe("derived: die cost");
    expect(d.process_node).toBe("7nm");
    expect(d.usd_per_good_die as number).toBeCloseTo((d.wafer_usd as number) / ((d.dies_per_wafer as number) * (d.die_yield as number)), 6);
    expect(d.derived_unit_usd as number).toBeCloseTo((d.usd_per_good_die as number) + (d.packaging_usd as number), 6);
    expect(d.derived_unit_usd_low as number).toBeLessThanOrEqual(d.derived_unit_usd as number);
    expect(cost.note).toMatch(/price derived from the die \(no published price\): 645 mm² at 7nm.*a manufacturing floor/);
    expect(cost.source).toBeUndefined();
  });

  it("a chip with a published price keeps it", () => {
    expect(factor(r, "cost", 1).details!.price_basis).toBeUndefined();
    expect(factor(r, "cost", 1).source).toBeDefined();
  });
});
