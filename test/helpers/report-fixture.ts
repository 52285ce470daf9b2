import type { ReportData } from "../../src/core/app/report/report-data.js";
import type { ArchitectureInput } from "../../src/core/charts/index.js";

/**
 * A fixed, small report input for the golden report and the chart tests: written out by hand (not
 * computed), so the golden files change only when the report's rendering changes.
 */
export const FIXTURE_GPU: ArchitectureInput = {
  id: "fixture-gpu",
  name: "Fixture GPU",
  vendor: "Example",
  kind: "gpu",
  clock_hz: 1.5e9,
  compute_units: 16,
  unit_name: "SM",
  matrix: { name: "tensor core", kind: "tensor-core", count: 64, peak_flops_per_s: { bf16: 400e12, fp8: 800e12, fp32: 25e12 } },
  vector: { peak_flops_per_s: { fp32: 25e12 } },
  memory: { main: { name: "main", type: "HBM3", capacity_bytes: 80e9, bandwidth_bytes_per_s: 2e12, scope: "chip" }, on_chip: [{ name: "L1", capacity_bytes: 256e3, scope: "unit" }, { name: "L2", capacity_bytes: 40e6, scope: "chip" }] },
  interconnect: { scale_up: { name: "NVLink", bandwidth_per_direction_bytes_per_s: 300e9, links: 12 }, host: { name: "PCIe 5 x16", bandwidth_per_direction_bytes_per_s: 64e9 } },
  power: { tdp_w: 500 },
};

export const FIXTURE_NPU: ArchitectureInput = {
  id: "fixture-npu",
  name: "Fixture NPU",
  vendor: "Example",
  kind: "npu",
  clock_hz: 1e9,
  compute_units: 2,
  unit_name: "core",
  matrix: { name: "MXU", kind: "systolic", count: 4, shape: { rows: 128, cols: 128 }, peak_flops_per_s: { bf16: 130e12, int8: 260e12 } },
  vector: { peak_flops_per_s: {} },
  memory: { main: { name: "main", type: "HBM2e", capacity_bytes: 32e9, bandwidth_bytes_per_s: 1.2e12, scope: "chip" }, on_chip: [{ name: "VMEM", capacity_bytes: 64e6, scope: "chip" }] },
  interconnect: { scale_up: { name: "ICI", bandwidth_per_direction_bytes_per_s: 100e9, links: 4 } },
};

export const FIXTURE_CPU: ArchitectureInput = {
  id: "fixture-cpu",
  name: "Fixture CPU",
  vendor: "Example",
  kind: "cpu",
  clock_hz: 3e9,
  compute_units: 8,
  unit_name: "core",
  matrix: { name: "AMX", kind: "amx", count: 8, peak_flops_per_s: { bf16: 10e12 } },
  vector: { peak_flops_per_s: { fp32: 1.5e12 } },
  memory: { main: { name: "main", type: "DDR5", capacity_bytes: 256e9, bandwidth_bytes_per_s: 300e9, scope: "chip" }, on_chip: [{ name: "L2", capacity_bytes: 2e6, scope: "unit" }, { name: "L3", capacity_bytes: 32e6, scope: "chip" }] },
  interconnect: { host: { name: "PCIe 5" } },
};

const ops = [
  { name: "layer/qkv", flops: 6e11, bytes: 1.2e9, time_s: 2e-3, bound: "compute" },
  { name: "layer/attention", flops: 3e11, bytes: 8e8, time_s: 1.1e-3, bound: "compute" },
  { name: "layer/norm", flops: 2e8, bytes: 4e8, time_s: 2.4e-4, bound: "memory" },
  { name: "layer/mlp", flops: 1.2e12, bytes: 2e9, time_s: 3.5e-3, bound: "compute" },
];

export function reportFixture(): ReportData {
  const fv = (value: number | null, unit: string, better: "higher" | "lower", rank: number | null, note: string, missing?: string[]) => ({
    value,
    unit,
    better,
    rank,
    limited_by: value === null ? null : "memory bandwidth",
    note,
    basis: "derived" as const,
    ...(missing ? { missing } : {}),
  });
  return {
    title: "Fixture report: demo-model inference",
    notes: ["a fixed input for the golden test"],
    assessment: {
      mode: "inference",
      workload: "demo-model, bf16, batch 1, 512+64 tokens, 1 chip",
      factor_keys: ["latency", "throughput", "power"],
      conditions: {},
      chips: [
        { chip: "fixture-gpu", name: "Fixture GPU", factors: { latency: fv(12.5, "ms", "lower", 1, "prefill + decode"), throughput: fv(820, "tokens/s", "higher", 1, "decode tokens | per second"), power: fv(410, "W", "lower", 2, "mean board power") } },
        { chip: "fixture-npu", name: "Fixture NPU", factors: { latency: fv(19, "ms", "lower", 2, "prefill + decode"), throughput: fv(540, "tokens/s", "higher", 2, "decode tokens per second"), power: fv(null, "W", "lower", null, "no TDP in its sources", ["power.tdp"]) } },
      ],
    },
    charts: {
      architectures: [FIXTURE_GPU, FIXTURE_NPU],
      rooflines: [{ chip: "fixture-gpu", peaks_flops_per_s: FIXTURE_GPU.matrix.peak_flops_per_s, memory_bandwidth_bytes_per_s: 2e12, ops, workload: "demo-model prefill" }],
      time_breakdown: { title: "Time of one prefill, by op kind", axis_title: "time (ms)", rows: [{ group: "fixture-gpu", part: "gemm", value: 5.5 }, { group: "fixture-gpu", part: "attention", value: 1.1 }, { group: "fixture-npu", part: "gemm", value: 8 }, { group: "fixture-npu", part: "attention", value: 2.5 }] },
      memory_breakdown: { title: "Memory per chip by component", axis_title: "memory per chip (GB)", rows: [{ group: "fixture-gpu", part: "weights", value: 16 }, { group: "fixture-gpu", part: "kv cache", value: 1 }, { group: "fixture-npu", part: "weights", value: 16 }] },
      scaling: { title: "Scaling", series: [{ chip: "fixture-gpu", points: [{ chips: 1, efficiency: 1 }, { chips: 8, efficiency: 0.93 }, { chips: 64, efficiency: 0.81 }] }] },
      power_timelines: [{ title: "fixture-gpu: 500 W → 450 W after 30 s", chip: "fixture-gpu", detail: "air cooling, ambient 35 °C, Tj limit 80 °C", points: [0, 10, 20, 30, 40].map((t) => ({ t_s: t, power_w: t < 30 ? 500 : 450, temperature_c: 35 + t, clock_hz: t < 30 ? 1.98e9 : 1.7e9 })), power_limit_w: 500, temperature_limit_c: 80 }],
      precision: {
        title: "GEMM error vs speed-up",
        detail: "a 128×128×1024 GEMM",
        points: [
          { chip: "fixture-gpu", format: "bf16", speedup: 1, error: 4e-3 },
          { chip: "fixture-gpu", format: "fp8-e4m3", speedup: 2, error: 3e-2 },
          { chip: "fixture-gpu", format: "mxfp8-e4m3", speedup: 2, error: 3.3e-2 },
          { chip: "fixture-gpu", format: "fp4-e2m1", speedup: null, error: 0.2 },
          { chip: "fixture-npu", format: "bf16", speedup: 1, error: 4e-3 },
          { chip: "fixture-npu", format: "fp8-e4m3", speedup: null, error: 3e-2 },
          { chip: "fixture-npu", format: "int8", speedup: 2, error: 1e-2 },
        ],
      },
      cost: { title: "Cost per million tokens", unit: "USD per million tokens", rows: [{ chip: "fixture-gpu", component: "capex", usd: 0.8 }, { chip: "fixture-gpu", component: "energy", usd: 0.1 }, { chip: "fixture-npu", component: "cloud", usd: 1.1 }] },
    },
  };
}
