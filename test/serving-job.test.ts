import { servingSummary } from "../src/core/serving/serving-summary.js";
import { describe, expect, it } from "vitest";
import { describeServingWorkload, SERVING_WORKLOAD_DEFAULTS, servingRequests } from "../src/core/app/jobs/serving-job.js";
import { JOBS } from "../src/core/app/registry.js";
import { parseBandwidth, parseBudget, parseDisaggregation, parseInRange, parseLength, parsePower, parseRate, parseSlo } from "../src/core/app/serving-text.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { simulateServing } from "../src/core/serving/simulate-serving.js";
import { generateWorkload } from "../src/core/serving/workload-gen.js";
import { parsePrecision } from "../src/core/workload/precision.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

const catalog = nodeCatalog();
const roundTrip = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)));

describe("serving text inputs read into typed values (core, shared by every front end)", () => {
  it("rates, lengths, SLOs, splits, bandwidths, power and budgets", () => {
    expect(parseRate("600/min")).toBe(10);
    expect(parseRate("7200/h")).toBe(2);
    expect(parseRate("2.5")).toBe(2.5);
    expect(parseRate("inf")).toBe(Infinity);
    expect(parseLength("1024")).toBe(1024);
    expect(parseLength("512 - 2048")).toEqual({ kind: "uniform", min: 512, max: 2048 });
    expect(parseSlo("ttft=500ms, tpot=0.05s")).toEqual({ ttft_s: 0.5, tpot_s: 0.05 });
    expect(parseDisaggregation("2:3")).toEqual({ prefill_instances: 2, decode_instances: 3 });
    expect(parseBandwidth("50 GB/s")).toBe(50e9);
    expect(parsePower("0.7kW")).toBe(700);
    expect(parsePower("15 W")).toBe(15);
    expect(parseBudget("$100/h")).toBe(100);
    expect(parseInRange("0.9", "mem", 1)).toBe(0.9);
  });

  it("bad text is an XpusimError naming the label it was typed under", () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => parseRate("0/s", "--rate"), /^--rate must be a positive rate/],
      [() => parseLength("2048-512", "--input"), /^--input must be a token count/],
      [() => parseSlo("ttft=fast", "--slo"), /^--slo ttft: expected a duration/],
      [() => parseSlo("e2e=1s", "--slo"), /^--slo: cannot read "e2e=1s"/],
      [() => parseDisaggregation("0:1", "--disagg"), /^--disagg must be P:D/],
      [() => parsePower("lots", "--power"), /^--power must be a power/],
      [() => parseBudget("-5", "--budget"), /^--budget must be dollars per hour/],
      [() => parseInRange("1.5", "--mem-util", 1), /^--mem-util must be in \(0, 1\]/],
    ];
    for (const [f, re] of cases) {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(XpusimError);
      expect((caught as XpusimError).diagnostics[0]!.message).toMatch(re);
    }
  });
});

describe("serving job", () => {
  it("defaults: 1000 Poisson requests at 10/s of 1024 → 256 tokens, seed 1", () => {
    expect(describeServingWorkload(undefined)).toBe("1000 requests, 10/s Poisson, input 1024, output 256 tokens, seed 1");
    expect(servingRequests(undefined)).toEqual(generateWorkload({ requests: 1000, rate_per_s: 10, input: 1024, output: 256, seed: 1 }));
    expect(SERVING_WORKLOAD_DEFAULTS.requests).toBe(1000);
    expect(describeServingWorkload({ kind: "synthetic", rate_per_s: Infinity, input: { kind: "uniform", min: 128, max: 512 }, requests: 5 })).toBe(
      "5 requests, all at t = 0, input 128-512, output 256 tokens, seed 1",
    );
    expect(describeServingWorkload({ kind: "synthetic", rate_per_s: 2 / 3, arrival: { kind: "gamma", cv: 2 } })).toMatch(/^1000 requests, 0\.6667\/s gamma \(cv 2\),/);
    const trace = [{ arrival_s: 0, input_len: 10, output_len: 2 }, { arrival_s: 1, input_len: 20, output_len: 3 }];
    expect(describeServingWorkload({ kind: "trace", requests: trace, limit: 1, source: "t.csv" })).toBe("1 requests from t.csv");
    expect(servingRequests({ kind: "trace", requests: trace, limit: 1 })).toEqual([trace[0]]);
  });

  it("gives the same result as simulateServing called directly (tp 2 on the chip's default system)", () => {
    const workload = { kind: "synthetic", requests: 40, rate_per_s: 4, input: 256, output: 32, seed: 2 } as const;
    const viaJob = JOBS.serving.run({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", precision: "fp8", tp: 2, workload, slo: { ttft_s: 0.2 } }, catalog);
    const chip = catalog.chip("nvidia-h100-sxm");
    const direct = simulateServing(catalog.model("llama-3.1-8b"), catalog.context(chip), parsePrecision("fp8"), { engine: "vllm" }, servingRequests(workload), {
      slo: { ttft_s: 0.2 },
      tp: 2,
      ep: 1,
      system: catalog.system(undefined, chip, 2)!,
    });
    // The job adds the contract's flat fields (serving-summary.ts) and the stack it used (catalog/software) to the simulator's result.
    const { software, ...rest } = viaJob;
    expect(software).toMatchObject({ id: "vllm", settings: { execution: "graph", serving: { max_num_seqs: 1024, block_size: 16 } } });
    expect(roundTrip(rest)).toEqual(roundTrip({ ...direct, ...servingSummary(direct.metrics, direct.memory, direct.feasible, direct.config.max_num_seqs) }));
    expect(viaJob.ttft_p90_s).toBe(direct.metrics!.ttft_s.p90);
    expect(viaJob.goodput_requests_per_s).toBe(direct.metrics!.goodput!.requests_per_s);
    expect(viaJob.chips).toBe(2);
    expect(viaJob.metrics!.goodput!.ttft_slo_s).toBe(0.2);
  });

  it("a system without tp or ep is refused; a non-LLM is a clear error", () => {
    expect(() => JOBS.serving.run({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", system: "dgx-h100" }, catalog)).toThrow(/applies only with tp or ep > 1/);
    expect(() => JOBS.serving.run({ model: "resnet-50", chip: "nvidia-h100-sxm", workload: { kind: "synthetic", requests: 2 } }, catalog)).toThrow(/needs a decoder LLM/);
  });

  it("`serve --json` prints exactly the job's result for the same inputs", async () => {
    const r = await runCli("serve", "--model", "llama-3.1-8b", "--chip", "nvidia-l40s", "--requests", "30", "--rate", "3/s", "--input", "256-512", "--output", "32", "--seed", "4", "--slo", "ttft=300ms", "--max-num-seqs", "8", "--json");
    expect(r.code).toBe(0);
    const job = JOBS.serving.run(
      {
        model: "llama-3.1-8b",
        chip: "nvidia-l40s",
        config: { max_num_seqs: 8 },
        slo: { ttft_s: 0.3 },
        workload: { kind: "synthetic", requests: 30, rate_per_s: 3, input: { kind: "uniform", min: 256, max: 512 }, output: 32, seed: 4 },
      },
      catalog,
    );
    expect(JSON.parse(r.out)).toEqual(roundTrip(job));
    expect(job.config.max_num_seqs).toBe(8);
  });

  it("`plan serve --json` prints exactly the plan job's result for the same inputs", async () => {
    const r = await runCli("plan", "serve", "--model", "llama-3.1-8b", "--slo", "ttft=500ms,tpot=50ms", "--rate", "2/s", "--chips", "nvidia-h100-sxm,nvidia-l4", "--precision", "bf16,int8", "--max-chips", "2", "--input", "512", "--output", "64", "--json");
    expect(r.code).toBe(0);
    const job = JOBS["serving-plan"].run(
      { model: "llama-3.1-8b", slo: { ttft_s: 0.5, tpot_s: 0.05 }, rate_per_s: 2, chips: ["nvidia-h100-sxm", "nvidia-l4"], precisions: ["bf16", "int8"], max_chips: 2, input_tokens: 512, output_tokens: 64 },
      catalog,
    );
    expect(JSON.parse(r.out)).toEqual(roundTrip(job));
    expect(job.search.max_simulated).toBe(40);
  });

  it("a user chip (inline spec) gets a default system from its links: serve --tp and plan serve use it like the catalog chip", () => {
    const mine = { extends: "nvidia-h100-sxm", id: "my-h100", name: "My H100" };
    const workload = { kind: "synthetic", requests: 20, rate_per_s: 2, input: 256, output: 16 } as const;
    const user = JOBS.serving.run({ model: "llama-3.1-8b", chip: mine, tp: 2, workload }, catalog);
    const stock = JOBS.serving.run({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", tp: 2, workload }, catalog);
    expect(user.chip).toBe("my-h100");
    expect(user.chips).toBe(2);
    expect(user.metrics!.ttft_s.p90).toBe(stock.metrics!.ttft_s.p90);
    const p = plan2({ model: "llama-3.1-8b", chips: [mine], precisions: ["bf16"], max_chips: 2, rate_per_s: 1, slo: { ttft_s: 0.5 }, input_tokens: 256, output_tokens: 16 });
    expect(p.deployments.map((d) => d.tp).sort()).toEqual([1, 2]);
  });
});

const plan2 = (req: Parameters<(typeof JOBS)["serving-plan"]["run"]>[0]) => JOBS["serving-plan"].run(req, catalog);

describe("serving job input", () => {
  it("refuses a workload kind it does not know, naming the field", async () => {
    const { servingRequests } = await import("../src/core/app/jobs/serving-job.js");
    expect(() => servingRequests({ kind: "weird" } as never)).toThrow(/workload\.kind|expected synthetic or trace/);
    expect(servingRequests({ kind: "synthetic", requests: 5 })).toHaveLength(5);
  });
});
