/**
 * The systolic and NPU-map jobs (src/core/app/jobs), and the three models of one NPU design
 * (docs/npu.md, "Three models of one design"): `run`, `map` and `systolic` count different things,
 * and each output says which model it is and names the other two.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { simulateSystolic, type LayerSpec } from "../src/core/systolic/index.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { SMALL_OS_CONFIG } from "./helpers/systolic-config.js";
import { runCli } from "./helpers/run-cli.js";

afterEach(() => vi.restoreAllMocks());

const NPU = "examples/npu-32x32.yaml";
const CFG = "examples/npu-32x32.cfg";
const TOPOLOGY = "test/fixtures/scalesim/resnet50-tpu256-ws/Resnet50.csv";
const GEMM: LayerSpec = { kind: "gemm", name: "g", M: 16, N: 12, K: 20 };

async function json(...argv: string[]) {
  const r = await runCli(...argv, "--json");
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}

describe("systolic job", () => {
  it("equals the simulator called directly, with totals summed", () => {
    const r = JOBS.systolic.run({ config: SMALL_OS_CONFIG, layers: [GEMM, { ...GEMM, name: "h", M: 40 }], semantics: "corrected" }, nodeCatalog());
    const direct = simulateSystolic(SMALL_OS_CONFIG, [GEMM, { ...GEMM, name: "h", M: 40 }], { semantics: "corrected", batch: 1 });
    expect(r.results).toEqual(direct);
    expect(r.totals.cycles).toBe(direct[0]!.total_cycles + direct[1]!.total_cycles);
    expect(r.totals.macs).toBe(16 * 12 * 20 + 40 * 12 * 20);
    expect(r.model).toBe("systolic-cycle-sim");
    expect(r.warnings).toEqual([]);
  });

  it("under scalesim semantics, warns for each option SCALE-Sim cannot express and ignores it", () => {
    const req = { config: SMALL_OS_CONFIG, layers: [GEMM], semantics: "scalesim" as const };
    const plain = JOBS.systolic.run(req, nodeCatalog());
    const r = JOBS.systolic.run({ ...req, batch: 4, word_size_bytes: 2, arrays: 2 }, nodeCatalog());
    expect(r.warnings.map((w) => w.path)).toEqual(["word_size_bytes", "batch", "array_count"]);
    expect(r.results[0]!.total_cycles).toBe(plain.results[0]!.total_cycles);
  });
});

describe("NPU map job", () => {
  it("gives what `xpusim map --json` gives, plus which model it is", async () => {
    const args = { chip: "examples/npu-128x128.yaml", layers: ["gemm:m=256,n=256,k=256"], seed: 7, max_evals: 150 };
    const job = JOBS["npu-map"].run(args, nodeCatalog());
    const cli = await json("map", "--chip", args.chip, "--layer", args.layers[0]!, "--seed", "7", "--max-evals", "150");
    expect(cli.layers).toEqual(job.layers);
    expect(cli.totals).toEqual(job.totals);
    expect(cli.model).toBe("npu-mapper");
    expect(cli.scope).toMatch(/conv and GEMM layers only/);
    expect(cli.other_models).toMatch(/xpusim run.*xpusim systolic/);
  });

  it("refuses a mapping replay over several layers, and neither layers nor model", () => {
    expect(() => JOBS["npu-map"].run({ chip: NPU, layers: ["gemm:m=8,n=8,k=8", "gemm:m=16,n=8,k=8"], mapping: { object: {} } }, nodeCatalog())).toThrow(/exactly one layer/);
    expect(() => JOBS["npu-map"].run({ chip: NPU }, nodeCatalog())).toThrow(/layers or a model/);
  });
});

describe("three models of one design (examples/npu-32x32.yaml, ResNet-50)", () => {
  it("run counts every op; map the conv/GEMM MACs of the same graph; systolic the unpadded CSV layers", async () => {
    const run = await json("run", "--chip", NPU, "--model", "resnet-50");
    const map = await json("map", "--chip", NPU, "--model", "resnet-50", "--max-evals", "200");
    const sys = await json("systolic", "-c", CFG, "-t", TOPOLOGY);
    const arrayOps = run.ops.filter((o: { kind: string }) => o.kind === "conv2d" || o.kind === "gemm");
    const arrayMacs = arrayOps.reduce((s: number, o: { flops: number; repeat: number }) => s + (o.flops * o.repeat) / 2, 0);
    const arrayTime = arrayOps.reduce((s: number, o: { total_time_s: number }) => s + o.total_time_s, 0);
    // map and run price the same conv/GEMM work (run's FC counts its 1000 bias adds too); run adds the vector ops map leaves out.
    expect(arrayMacs - map.totals.macs).toBe(500);
    expect(run.time_s - arrayTime).toBeGreaterThan(0.3e-3);
    expect(run.cost_models).toMatchObject({ "systolic-tile": expect.any(Number), vector: expect.any(Number) });
    // Same layers, different cycle models: within 15 % of each other (docs/npu.md: 6.01 vs 6.48 ms).
    expect(map.totals.latency_s / arrayTime).toBeGreaterThan(0.95);
    expect(map.totals.latency_s / arrayTime).toBeLessThan(1.15);
    // The topology CSV has no padding: conv1 is 109×109 instead of 112×112 and 15 % of the MACs go.
    const sysMacs = sys.reduce((s: number, l: { macs: number }) => s + l.macs, 0);
    expect(sys).toHaveLength(54);
    // The figures docs/npu.md quotes.
    expect(sys.reduce((s: number, l: { total_cycles: number }) => s + l.total_cycles, 0)).toBe(5788736);
    expect(sys.reduce((s: number, l: { stall_cycles: number }) => s + l.stall_cycles, 0)).toBe(35196);
    expect(sysMacs / map.totals.macs).toBeCloseTo(3479536384 / 4089184256, 6);
  });

  it("each human output names its model and the other commands", async () => {
    const map = await runCli("map", "--chip", NPU, "--layer", "gemm:m=64,n=64,k=64", "--max-evals", "50");
    expect(map.out).toMatch(/^model: npu-mapper — conv and GEMM layers only/m);
    expect(map.out).toMatch(/^other models: `xpusim run`.*`xpusim systolic`/m);
    const sys = await runCli("systolic", "-c", CFG, "-t", "test/fixtures/scalesim/alexnet-sq32-os/alexnet.csv");
    expect(sys.out).toMatch(/^model: systolic-cycle-sim — array cycles per layer/m);
    expect(sys.out).toMatch(/^other models: `xpusim map`.*`xpusim run`/m);
  });
});
