/**
 * docs/library.md: every ```js block runs as written against the built package (imported by its own
 * name, "xpusim" / "xpusim/core", from a file inside this clone, as a clone's user would; `npm test`
 * builds dist/ first), and what it prints equals the same request run through the sources here.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS, scenarioJob } from "../src/core/app/registry.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import type { InferenceEstimate, InferenceJobRequest, NpuMapJobRequest, RequestOf, ResultOf, ServingPlan, ServingPlanJobRequest } from "../src/node/index.js";

// The request and result types docs/library.md names are exported from the package entry and are the jobs' own (checked by tsc).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesNamedInDocs: [
  Same<RequestOf<typeof JOBS.inference>, InferenceJobRequest>,
  Same<ResultOf<typeof JOBS.inference>, InferenceEstimate>,
  Same<RequestOf<(typeof JOBS)["serving-plan"]>, ServingPlanJobRequest>,
  Same<ResultOf<(typeof JOBS)["serving-plan"]>, ServingPlan>,
  Same<RequestOf<(typeof JOBS)["npu-map"]>, NpuMapJobRequest>,
] = [true, true, true, true, true];

const root = join(import.meta.dirname, "..");
const doc = readFileSync(join(root, "docs", "library.md"), "utf8");
const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The browser example's loader of spec documents: here, the catalog's YAML files. */
const FETCH_SPEC = 'import { readFileSync as __read } from "node:fs";\nimport __YAML from "yaml";\nconst fetchSpec = async (p) => __YAML.parse(__read(`catalog/${p}.yaml`, "utf8"));\n';

/** The packed-catalog example's fetch: the page's server, here dist/ of this clone. */
const FETCH_PACK = 'import { readFileSync as __read } from "node:fs";\nconst fetch = async (p) => new Response(__read(`dist/${p}`));\n';

function runBlock(index: number, preamble = ""): string {
  const dir = join(root, "dist", ".library-examples");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `example-${index}.mjs`);
  writeFileSync(file, preamble + blocks[index]!);
  const r = spawnSync(process.execPath, [file], { cwd: root, encoding: "utf8" });
  expect(r.stderr, `docs/library.md block ${index + 1}`).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

const catalog = nodeCatalog();
const ms = (s: number, digits: number) => (s * 1e3).toFixed(digits);

describe("docs/library.md examples", () => {
  it("names types the package exports (a compile-time check)", () => expect(typesNamedInDocs.every(Boolean)).toBe(true));

  it("has the five examples (Node: inference, serving plan, NPU map; browser: own catalog, packed catalog)", () => {
    expect(blocks).toHaveLength(5);
    expect(blocks.slice(0, 3).every((b) => b.includes('from "xpusim";'))).toBe(true);
    expect(blocks[3]).toContain('from "xpusim/core";');
    expect(blocks[4]).toContain('from "xpusim/core";');
  });

  it("JOBS.inference with nodeCatalog() prints the inference job's numbers", () => {
    const out = runBlock(0);
    const est = JOBS.inference.run({ chip: "nvidia-h100-sxm", model: "llama-3.1-8b", precision: DEFAULT_PRECISION, batch: 8, input_tokens: 1024, output_tokens: 128, chips: 1, tp: 1, pp: 1 }, catalog);
    expect(out).toBe(`TTFT ${ms(est.ttft_s, 1)} ms, TPOT ${ms(est.tpot_s, 2)} ms, ${(est.memory_per_chip_bytes / 1e9).toFixed(1)} GB per chip\n`);
    // 8 × 1024 prompt tokens of an 8B model on one H100: ~130 TFLOP at ~0.8 PFLOP/s; weights 16 GB.
    expect(est.ttft_s).toBeGreaterThan(0.1);
    expect(est.ttft_s).toBeLessThan(0.25);
    expect(est.memory_per_chip_bytes).toBeGreaterThan(16e9);
  });

  it('JOBS["serving-plan"] prints the cheapest deployment the plan job finds', () => {
    const out = runBlock(1);
    const plan = JOBS["serving-plan"].run({ model: "llama-3.1-8b", slo: { ttft_s: 0.5, tpot_s: 0.05 }, rate_per_s: 5, chips: ["nvidia-h100-sxm", "nvidia-l4"], precisions: ["bf16", "fp8"] }, catalog);
    const best = plan.deployments[0]!;
    expect(best.meets_slo).toBe(true);
    expect(best.ttft_p90_s!).toBeLessThanOrEqual(0.5);
    expect(out).toBe(
      `${best.chip} ${best.precision} tp ${best.tp} × ${best.replicas}: TTFT p90 ${ms(best.ttft_p90_s!, 0)} ms, $${best.usd_per_million_tokens!.toFixed(3)} per M tokens\n` +
        `${plan.deployments.length} deployments meet the SLO, ${plan.rejected.length} rejected\n`,
    );
  });

  it('JOBS["npu-map"] prints the mapped layer of the example NPU', () => {
    const out = runBlock(2);
    const map = JOBS["npu-map"].run({ chip: "examples/npu-128x128.yaml", layers: ["conv:h=56,w=56,c=64,k=64,r=3,s=3"] }, catalog);
    const layer = map.layers[0]!;
    expect([map.array.rows, map.array.cols]).toEqual([128, 128]);
    expect(layer.feasible).toBe(true);
    // No padding given: 54·54 outputs × 64 output channels × 64 input channels × 3·3; at most 128·128 MACs a cycle.
    expect(layer.macs).toBe(54 * 54 * 64 * 64 * 9);
    expect(layer.cycles!).toBeGreaterThanOrEqual(layer.macs / (128 * 128));
    expect(out).toBe(`128×128 ${map.array.dtype}: ${layer.layer} ${layer.cycles} cycles, ${(layer.utilization! * 100).toFixed(1)} % utilisation\n`);
  });

  it("xpusim/core with a catalog of one's own gives nodeCatalog()'s numbers for the same inline chip", () => {
    const out = runBlock(3, FETCH_SPEC);
    const chip = /const chips = \{\s*"my-npu": (\{[\s\S]*?\n {2}\}),\n\};/.exec(blocks[3]!)?.[1];
    expect(chip).toBeDefined();
    const inlineChip = new Function(`return ${chip}`)() as Record<string, unknown>;
    const int8 = { compute: "int8", weights: "int8", activations: "int8", kv_cache: "int8" } as const;
    const est = JOBS.inference.run({ chip: inlineChip, model: "resnet-50", precision: int8, batch: 1, input_tokens: 1, output_tokens: 0, chips: 1, tp: 1, pp: 1 }, catalog);
    expect(out).toBe(`resnet-50 on my-npu: ${ms(est.ttft_s, 2)} ms per image, ${est.bound}-bound\n`);
    expect(est.ttft_s).toBeGreaterThan(0);
  });
});

describe("docs/library.md packed-catalog example", () => {
  it("packedCatalog over the served dist/catalog.pack prints nodeCatalog()'s numbers, the inline faster chip faster", () => {
    const out = runBlock(4, FETCH_PACK);
    const fastH100 = { extends: "nvidia-h100-sxm", id: "h100-fast", memory: { main: { type: "HBM3", capacity: "80 GB", bandwidth: "6.7 TB/s" } } };
    const lines = (["nvidia-h100-sxm", fastH100] as const).map((chip) => {
      const est = JOBS.inference.run({ chip, model: "llama-3.1-70b", batch: 8, input_tokens: 1024, output_tokens: 128, chips: 4, tp: 4, pp: 1 }, catalog);
      return { est, line: `${est.chip} × 4 on ${est.communication!.system}: TPOT ${ms(est.tpot_s, 2)} ms\n` };
    });
    expect(out).toBe(lines.map((l) => l.line).join(""));
    expect(lines[1]!.est.tpot_s).toBeLessThan(lines[0]!.est.tpot_s);
  });
});

describe("the job registry as docs/library.md lists it", () => {
  it("lists every job id, and each JOBS key is its job's id", () => {
    const listed = /`JOBS` lists them by id:\s*([\s\S]*?)\. Each job/.exec(doc)?.[1];
    expect([...(listed ?? "").matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort()).toEqual(Object.keys(JOBS).sort());
    for (const [key, job] of Object.entries(JOBS)) {
      expect(job.id).toBe(key);
      expect(job.summary.length, key).toBeGreaterThan(20);
      expect(job.supports.length, key).toBeGreaterThan(20);
    }
  });

  it("answers every scenario kind with the job of the same name", () => {
    for (const kind of ["op", "inference", "training"] as const) expect(scenarioJob(kind)?.id).toBe(kind);
  });
});
