/**
 * The collective validation points: nccl-tests results on A100 systems (single node, multi-node,
 * send/recv) and LLMCompass's 4×A100 all-reduce. The single-node A100 points are embedded so CI
 * without ../shared still checks them; with ../shared present, both files are converted and
 * predicted end to end. Each point is printed with its error. Bounds are generous per point (the
 * worst is the 2-node RoCE figure NVIDIA called "a bit low"); the median |error| may not rise more
 * than 2 points above its value when the guard was set (test/helpers/accuracy-guard.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseWith } from "../src/core/spec/validate.js";
import { collectivesEntryToPoint, isCollectivesEntry, normaliseMeasuredFile } from "../src/core/validate/collectives-file.js";
import { measuredFileSchema } from "../src/core/validate/measured-point.js";
import { median, runValidation, type ValidationResult } from "../src/core/validate/run-validation.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";
import { expectWithinBaseline } from "./helpers/accuracy-guard.js";
import { COLLECTIVES_PUBLIC_JSON, MEASURED_PUBLIC_JSON } from "./helpers/validation-fixtures.js";

// Committed copies of ../shared/validation (test/fixtures/validation), so these run in CI.
const COLLECTIVES_JSON = COLLECTIVES_PUBLIC_JSON;
const MEASURED_JSON = MEASURED_PUBLIC_JSON;

const STAS = "stas00/ml-engineering network/README.md (nccl-tests all_reduce_perf -g 8, single A100 node)";
/** Single-node A100 points (time in µs), copied from collectives-public.json and measured-public.json. */
const EMBEDDED = [
  ...[
    [32768, 43.83],
    [1048576, 101.9],
    [8388608, 133.5],
    [67108864, 684.6],
    [134217728, 1327.6],
    [536870912, 4218.4],
    [1073741824, 8203.9],
    [17179869184, 127997],
  ].map(([bytes, us]) => ({
    hardware: "DGX/HGX A100 SXM (NVLink3 + NVSwitch, 300 GB/s uni-dir per GPU)",
    nodes: 1,
    gpus_per_node: 8,
    collective: "all_reduce",
    message_bytes: bytes,
    algbw_GBps: null,
    busbw_GBps: null,
    time_us: us,
    kind: "measured",
    source: STAS,
  })),
  ...[
    [1073741824, 7219.2],
    [1048576, 60.75],
  ].map(([bytes, us]) => ({
    id: `comm-a100x4-allreduce-${bytes}`,
    category: "collective",
    hardware: "NVIDIA A100 80GB, 4-GPU NVLink3 node",
    chip_count: 4,
    model: "all_reduce (NCCL)",
    config: { bytes, dtype: "fp16", op: "all_reduce" },
    metric: "latency",
    value: us,
    unit: "us",
  })),
];

function report(label: string, results: ValidationResult[]): void {
  const lines = results.map((r) =>
    r.status === "ok"
      ? `  ${r.id.slice(0, 62).padEnd(62)} measured ${String(r.measured).padStart(8)} ${r.unit.padEnd(4)} predicted ${r.predicted!.toPrecision(4).padStart(8)}  ${(r.error! * 100).toFixed(1).padStart(6)}%`
      : `  ${r.id.slice(0, 62).padEnd(62)} ${r.status}: ${r.reason}`,
  );
  const errs = results.filter((r) => r.status === "ok").map((r) => Math.abs(r.error!));
  console.log(`${label}\n${lines.join("\n")}\n  median |error| ${(median(errs)! * 100).toFixed(1)}% over ${errs.length} points`);
}

describe("collective validation points", () => {
  it("reads a time given as latency_us / time_ms (a TPU all-gather in µs is a time, not zero) and hyphenated op names", () => {
    const tpu = { hardware: "TPU v4 (16 chips)", nodes: 1, gpus_per_node: 16, collective: "all-gather", message_bytes: 2 ** 24, algbw_GBps: null, kind: "measured" };
    expect(isCollectivesEntry({ ...tpu, algbw_GBps: undefined, latency_us: 150 })).toBe(true);
    expect(collectivesEntryToPoint({ ...tpu, latency_us: 150 }, 0)).toMatchObject({ metric: "latency", unit: "us", value: 150, config: { op: "all_gather" } });
    expect(collectivesEntryToPoint({ ...tpu, time_ms: 0.15 }, 0)).toMatchObject({ metric: "latency", value: 150 });
    expect((collectivesEntryToPoint({ ...tpu, latency_us: 150 }, 0).config as Record<string, unknown>).skip).toBeUndefined();
  });
  it("converts the nccl-tests shape and passes the harness shape through", () => {
    const pts = normaliseMeasuredFile(EMBEDDED) as Array<Record<string, unknown>>;
    expect(pts).toHaveLength(10);
    expect(pts[0]).toMatchObject({ category: "collective", chip_count: 8, metric: "latency", unit: "us", value: 43.83, config: { op: "all_reduce", bytes: 32768 } });
    expect(pts[9]).toBe(EMBEDDED[9]);
    const peak = collectivesEntryToPoint({ hardware: "DGX A100 (8x A100, 8x HDR 200 Gb/s IB per node)", nodes: null, gpus_per_node: 8, collective: "all_reduce", message_bytes: null, busbw_GBps: 192, kind: "vendor_engineer_statement" }, 0);
    expect(peak).toMatchObject({ metric: "busbw", unit: "GB/s", chip_count: 32, config: { bytes: 8 * 2 ** 30 } });
    expect((peak.config as { assumptions: string[] }).assumptions.join(" ")).toMatch(/4 nodes assumed/);
    const nic = collectivesEntryToPoint({ hardware: "ConnectX-7 NDR 400 Gb/s NIC", collective: "per_NIC_throughput", algbw_GBps: 47, kind: "vendor_engineer_statement" }, 1);
    expect((nic.config as { skip?: string }).skip).toMatch(/circular/);
    expect(isCollectivesEntry({ id: "x", metric: "latency" })).toBe(false);
    expect(() => normaliseMeasuredFile({ not: "an array" })).toThrow(/JSON array/);
  });

  it("single-node A100 all-reduce points (embedded) within bounds and the median guard", () => {
    const pts = parseWith(measuredFileSchema, normaliseMeasuredFile(EMBEDDED));
    const s = runValidation(pts, validationResolvers());
    report("single-node A100 all-reduce:", s.results);
    for (const r of s.results) {
      expect(r.status, r.reason).toBe("ok");
      // The -g 8 run drives 8 GPUs from one host thread, so its small sizes carry ~25-30 µs of serial
      // kernel launches (32 KiB: 43.8 µs on 8 GPUs vs 20.0 µs on LLMCompass's 4; 1 MiB: 101.9 vs
      // 60.8 µs): 32 KiB and 1 MiB get wider bounds; everything else within 25 %.
      const bound = r.id.includes("-32768") ? 0.7 : r.id.includes("-1048576") && r.id.startsWith("coll-") ? 0.3 : 0.25;
      expect(Math.abs(r.error!), r.id).toBeLessThan(bound);
    }
    // Median of 2026-12-07 (6.2 %), rounded up; it may rise at most 2 points.
    expectWithinBaseline(s, { collective: { predicted: 10, median: 0.063 } }, { predicted: 10, median: 0.063 });
    const large = s.results.filter((r) => /1073741824|17179869184|536870912/.test(r.id));
    for (const r of large) expect(Math.abs(r.error!)).toBeLessThan(0.06);
  });

  it("every collective point of the shared files (committed copies), end to end", () => {
    const a = normaliseMeasuredFile(JSON.parse(readFileSync(COLLECTIVES_JSON, "utf8")));
    const b = (JSON.parse(readFileSync(MEASURED_JSON, "utf8")) as Array<{ category: string }>).filter((p) => p.category === "collective");
    const s = runValidation(parseWith(measuredFileSchema, [...a, ...b]), validationResolvers());
    report("all collective points (collectives-public.json + measured-public.json):", s.results);
    const ok = s.results.filter((r) => r.status === "ok");
    const skipped = s.results.filter((r) => r.status !== "ok");
    // Skipped: the two per-NIC line-rate figures (sources of the NIC efficiency) and the copy-engine memcpy.
    expect(skipped.map((r) => r.reason).every((x) => /circular|memcpy/.test(x ?? ""))).toBe(true);
    expect(skipped).toHaveLength(3);
    expect(ok.length).toBeGreaterThanOrEqual(15);
    for (const r of ok) expect(Math.abs(r.error!), r.id).toBeLessThan(1.5);
    // Median of 2026-12-07 (8.3 % over 15 points), rounded up; it may rise at most 2 points.
    expectWithinBaseline(s, { collective: { predicted: 15, median: 0.083 } }, { predicted: 15, median: 0.083 });
    const dgx = ok.find((r) => /8x-hdr/.test(r.id))!;
    expect(Math.abs(dgx.error!)).toBeLessThan(0.05); // 8 × 24 GB/s HDR = NVIDIA's 192 GB/s busbw
  });

  it("the project's own collective files (validation/): every point predicted; the LLMCompass sweep and DeepEP's table stay close", () => {
    const load = (f: string) => parseWith(measuredFileSchema, normaliseMeasuredFile(JSON.parse(readFileSync(f, "utf8"))));
    const sweep = runValidation(load("validation/collectives-sweeps.json"), validationResolvers());
    const multi = runValidation(load("validation/collectives-multinode.json"), validationResolvers());
    const deepep = runValidation(load("validation/expert-parallel-deepep.json"), validationResolvers());
    const nvlink = runValidation(load("validation/collectives-nvlink.json"), validationResolvers());
    report("NVLink domains (GB200 NVL72 rack, 8× H800):", nvlink.results);
    // NVL72's NVLS efficiency is the 4-8 GiB plateau of this sweep (in-sample there); 8× H800 is out of sample
    for (const r of nvlink.results) if (/4294967296|8589934592|h800/.test(r.id)) expect(Math.abs(r.error!), r.id).toBeLessThan(0.02);
    report("LLMCompass 4×A100 all-reduce sweep:", sweep.results);
    report("multi-node nccl-tests (EFA, IB, RoCE):", multi.results);
    report("DeepEP low-latency kernels:", deepep.results);
    for (const s of [sweep, multi, deepep, nvlink]) for (const r of s.results) expect(r.status, `${r.id}: ${r.reason}`).toBe("ok");
    // 2026-12-08: sweep 6.3 % (max 22 %), DeepEP 1.3 % (max 10.5 %); the multi-node file is reported, not
    // guarded (its RoCE run is one its reporter calls low, and p4dn's 3-4 node run an issue titled "slow").
    expectWithinBaseline(sweep, { collective: { predicted: 30, median: 0.063 } }, { predicted: 30, median: 0.063 });
    expectWithinBaseline(deepep, { collective: { predicted: 12, median: 0.02 } }, { predicted: 12, median: 0.02 });
    for (const r of sweep.results) expect(Math.abs(r.error!), r.id).toBeLessThan(0.25);
  });
});

