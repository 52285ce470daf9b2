/**
 * The built-in chip catalog: every file validates, every chip of the reference table is present with
 * the same dense peaks and memory figures, aliases are unique and resolve (exactly and loosely), and
 * provenance is consistent. Hand-checked values come from the vendor figures in the chip files' sources.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Chip } from "../src/core/hardware/chip.js";
import type { DType } from "../src/core/units/dtype.js";
import { chipIds, findChipByAlias, loadAllChips, loadChip, normaliseChipName, resolveChipAlias } from "../src/node/chip-catalog.js";
import { referenceFixture, sharedReferenceTrimmed } from "./helpers/reference-fixtures.js";
import { COLLECTIVES_PUBLIC_JSON, MEASURED_PUBLIC_JSON } from "./helpers/validation-fixtures.js";

// Committed copies of ../shared/validation (test/fixtures/validation), so these run in CI.
const MEASURED_JSON = MEASURED_PUBLIC_JSON;
const COLLECTIVES_JSON = COLLECTIVES_PUBLIC_JSON;

/** The 48 chips of the reference table (shared/reference/chips.json), hard-coded so CI without ../shared still checks them. */
const REFERENCE_IDS = [
  "nvidia-v100-sxm2", "nvidia-a100-sxm-40gb", "nvidia-a100-sxm-80gb", "nvidia-a10", "nvidia-l4", "nvidia-l40s",
  "nvidia-h100-sxm", "nvidia-h100-pcie", "nvidia-h200-sxm", "nvidia-b200-hgx", "nvidia-gb200-gpu", "amd-mi250x",
  "amd-mi300x", "amd-mi325x", "amd-mi355x", "google-tpu-v2", "google-tpu-v3", "google-tpu-v4", "google-tpu-v5e",
  "google-tpu-v5p", "google-tpu-v6e", "google-tpu7x-ironwood", "huawei-ascend-910", "huawei-ascend-910b",
  "intel-gaudi2", "intel-gaudi3", "graphcore-gc200", "graphcore-bow", "groq-tsp-lpu", "cerebras-wse2",
  "cerebras-wse3", "sambanova-sn40l", "tesla-dojo-d1", "aws-inferentia2", "intel-xeon-8490h", "intel-xeon-6980p",
  "amd-epyc-9654", "nvidia-jetson-agx-orin-64gb", "nvidia-jetson-orin-nano-8gb", "google-coral-edge-tpu",
  "huawei-ascend-310", "apple-m4", "qualcomm-snapdragon-8-gen3", "hailo-8", "amd-alveo-u250", "amd-alveo-u280",
  "amd-versal-vc1902-vck5000", "intel-agilex7",
];
/** Chips added for the validation results. */
const VALIDATION_IDS = ["nvidia-t4", "amd-mi210", "nvidia-v100-sxm2-16gb"];

/** Family names the cost-model efficiency files use. */
const FAMILIES = new Set([
  "nvidia-volta", "nvidia-turing", "nvidia-ampere", "nvidia-ada", "nvidia-hopper", "nvidia-blackwell", "nvidia-orin",
  "amd-cdna2", "amd-cdna3", "amd-cdna4", "google-tpu", "huawei-ascend", "intel-gaudi", "graphcore-ipu", "groq-lpu",
  "cerebras-wse", "sambanova-rdu", "tesla-dojo", "aws-neuron", "x86-cpu", "edge-npu", "fpga",
]);

interface ReferenceChip {
  id: string;
  [field: string]: unknown;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));
/** The reference table: the committed copy (test/fixtures/reference/chips.json), checked against ../shared when present. */
const chipsJson = referenceFixture("chips.json") as ReferenceChip[];
const sharedChips = sharedReferenceTrimmed("chips.json");

/** chips.json field -> where the catalog keeps it (SI after normalisation: FLOP/s, OP/s). */
const PEAK_FIELDS: Array<{ field: string; where: "matrix" | "vector" | "fp32"; dtype: DType }> = [
  { field: "fp64Tflops", where: "vector", dtype: "fp64" },
  { field: "fp64MatrixTflops", where: "matrix", dtype: "fp64" },
  // Non-tensor FP32; chips whose only FP32 figure is their matrix engine's (IPU, Inferentia2) keep it there.
  { field: "fp32Tflops", where: "fp32", dtype: "fp32" },
  { field: "tf32Tflops", where: "matrix", dtype: "tf32" },
  { field: "bf16Tflops", where: "matrix", dtype: "bf16" },
  { field: "fp16Tflops", where: "matrix", dtype: "fp16" },
  { field: "fp8Tflops", where: "matrix", dtype: "fp8" },
  { field: "int8Tops", where: "matrix", dtype: "int8" },
  { field: "int4Tops", where: "matrix", dtype: "int4" },
  { field: "fp4Tflops", where: "matrix", dtype: "fp4" },
];

function catalogPeak(chip: Chip, where: "matrix" | "vector" | "fp32", dtype: DType): { value?: number; path?: string } {
  if (where === "fp32") {
    const v = chip.vector.peak_flops_per_s.fp32;
    if (v !== undefined) return { value: v, path: "vector.peak_flops_per_s.fp32" };
    return { value: chip.matrix.peak_flops_per_s.fp32, path: "matrix.peak_flops_per_s.fp32" };
  }
  const table = where === "matrix" ? chip.matrix.peak_flops_per_s : chip.vector.peak_flops_per_s;
  return { value: table[dtype], path: `${where}.peak_flops_per_s.${dtype}` };
}

/**
 * Equal within 0.1%, or the catalog explains the difference (a derivation, or an estimate with a
 * note). Returns a message describing the mismatch, or undefined.
 */
function mismatch(chip: Chip, path: string | undefined, actual: number | undefined, expected: number): string | undefined {
  if (actual === undefined || path === undefined) return `${chip.id}: ${path ?? "value"} missing (reference ${expected})`;
  if (Math.abs(actual - expected) <= 1e-3 * Math.abs(expected)) return undefined;
  const p = chip.provenance[path];
  if (p?.derived || (p?.estimated && p.note)) return undefined;
  return `${chip.id}: ${path} = ${actual}, reference ${expected}, and no derivation/estimate note explains it`;
}

const all = loadAllChips();
const byId = new Map(all.map((c) => [c.id, c]));

describe("chip catalog: every file", () => {
  it("validates and builds (ids match file names, no duplicates)", () => {
    expect(all.length).toBe(chipIds().length);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(REFERENCE_IDS.length + VALIDATION_IDS.length);
  });

  it("holds every chip of the reference table (hard-coded list) and the validation chips", () => {
    const ids = new Set(chipIds());
    const missing = [...REFERENCE_IDS, ...VALIDATION_IDS].filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(REFERENCE_IDS.length).toBe(48);
  });

  it.skipIf(!sharedChips)("keeps test/fixtures/reference/chips.json equal to ../shared/reference/chips.json (trimmed)", () => {
    expect(chipsJson).toEqual(sharedChips);
  });

  it("holds every id of the reference table (test/fixtures/reference/chips.json)", () => {
    const ids = new Set(chipIds());
    const reference = chipsJson.map((c) => c.id);
    expect(reference.length).toBe(48);
    expect(reference.filter((id) => !ids.has(id))).toEqual([]);
    expect([...reference].sort()).toEqual([...REFERENCE_IDS].sort());
  });

  it("uses a known family, has compute units and a positive, finite main memory", () => {
    for (const c of all) {
      expect(FAMILIES.has(c.family), `${c.id}: family ${c.family}`).toBe(true);
      expect(Number.isInteger(c.compute_units) && c.compute_units > 0, c.id).toBe(true);
      expect(c.memory.main.capacity_bytes, c.id).toBeGreaterThan(0);
      expect(Number.isFinite(c.memory.main.bandwidth_bytes_per_s!), c.id).toBe(true);
      expect(c.memory.main.bandwidth_bytes_per_s!, c.id).toBeGreaterThan(0);
      for (const peak of [...Object.values(c.matrix.peak_flops_per_s), ...Object.values(c.vector.peak_flops_per_s)]) {
        expect(Number.isFinite(peak) && peak > 0, c.id).toBe(true);
      }
    }
  });

  it("cites only sources it lists, notes every estimate and keeps values inside their ranges", () => {
    for (const c of all) {
      const refs = new Set(Object.keys(c.sources));
      expect(refs.size, `${c.id} has no sources`).toBeGreaterThan(0);
      for (const [path, p] of Object.entries(c.provenance)) {
        for (const s of p.source ?? []) expect(refs.has(String(s)), `${c.id}: ${path} cites [${s}]`).toBe(true);
        if (p.estimated) expect(p.note ?? "", `${c.id}: ${path} is estimated without a note`).not.toBe("");
        if (p.range) expect(p.range[0], `${c.id}: ${path} range is inverted`).toBeLessThanOrEqual(p.range[1]);
      }
    }
  });

  it("keeps every value inside its stated range", () => {
    const outside: string[] = [];
    const check = (c: Chip, path: string, value: number | undefined) => {
      const range = c.provenance[path]?.range;
      if (value === undefined || !range) return;
      if (value < range[0] * (1 - 1e-9) || value > range[1] * (1 + 1e-9)) outside.push(`${c.id}: ${path} ${value} not in [${range.join(", ")}]`);
    };
    for (const c of all) {
      for (const [dt, v] of Object.entries(c.matrix.peak_flops_per_s)) check(c, `matrix.peak_flops_per_s.${dt}`, v);
      for (const [dt, v] of Object.entries(c.vector.peak_flops_per_s)) check(c, `vector.peak_flops_per_s.${dt}`, v);
      check(c, "memory.main.capacity_bytes", c.memory.main.capacity_bytes);
      check(c, "memory.main.bandwidth_bytes_per_s", c.memory.main.bandwidth_bytes_per_s);
      check(c, "interconnect.scale_up.bandwidth_per_direction_bytes_per_s", c.interconnect.scale_up?.bandwidth_per_direction_bytes_per_s);
      check(c, "power.tdp_w", c.power.tdp_w);
      c.memory.on_chip.forEach((l, i) => check(c, `memory.on_chip[${i}].capacity_bytes`, l.capacity_bytes));
    }
    expect(outside).toEqual([]);
  });
});

describe("chip catalog agrees with the reference table (shared/reference/chips.json, copied in test/fixtures/reference)", () => {
  it("on every non-null dense peak (after unit normalisation, within 0.1%)", () => {
    const problems: string[] = [];
    let compared = 0;
    for (const ref of chipsJson) {
      const chip = byId.get(ref.id)!;
      for (const { field, where, dtype } of PEAK_FIELDS) {
        const v = ref[field];
        if (typeof v !== "number") continue;
        const { value, path } = catalogPeak(chip, where, dtype);
        const m = mismatch(chip, path, value, v * 1e12);
        if (m) problems.push(m);
        compared++;
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(140);
  });

  it("on memory bandwidth and capacity (GB = 1e9 B, GiB = 2^30 B)", () => {
    const problems: string[] = [];
    for (const ref of chipsJson) {
      const chip = byId.get(ref.id)!;
      if (typeof ref.memoryBandwidthGBs === "number") {
        const m = mismatch(chip, "memory.main.bandwidth_bytes_per_s", chip.memory.main.bandwidth_bytes_per_s, ref.memoryBandwidthGBs * 1e9);
        if (m) problems.push(m);
      }
      if (typeof ref.memoryCapacity === "number") {
        const unit = ref.memoryCapacityUnit === "GiB" ? 2 ** 30 : 1e9;
        const m = mismatch(chip, "memory.main.capacity_bytes", chip.memory.main.capacity_bytes, ref.memoryCapacity * unit);
        if (m) problems.push(m);
      }
      if (typeof ref.tdpW === "number") {
        const m = mismatch(chip, "power.tdp_w", chip.power.tdp_w, ref.tdpW);
        if (m) problems.push(m);
      }
    }
    expect(problems).toEqual([]);
  });

  it("copies the reference caveats and sources with their ref numbers", () => {
    for (const ref of chipsJson) {
      const chip = byId.get(ref.id)!;
      for (const caveat of ref.caveats as string[]) expect(chip.caveats, ref.id).toContain(caveat);
      for (const s of ref.sources as Array<{ ref: number; url?: string }>) {
        expect(chip.sources[String(s.ref)], `${ref.id} source ${s.ref}`).toBeDefined();
        expect(chip.sources[String(s.ref)]!.url).toBe(s.url);
      }
    }
  });
});

describe("chip catalog: hand-checked values", () => {
  const chip = (id: string) => byId.get(id)!;

  it("A100 SXM4 80GB: 312 TFLOPS bf16, 2.039 TB/s HBM2e, 300 GB/s NVLink each way", () => {
    const a = chip("nvidia-a100-sxm-80gb");
    expect(a.matrix.peak_flops_per_s.bf16).toBe(312e12);
    expect(a.matrix.peak_flops_per_s.tf32).toBe(156e12);
    expect(a.vector.peak_flops_per_s.fp32).toBe(19.5e12);
    expect(a.memory.main.bandwidth_bytes_per_s).toBe(2.039e12);
    expect(a.memory.main.capacity_bytes).toBe(80e9);
    expect(a.interconnect.scale_up!.bandwidth_per_direction_bytes_per_s).toBe(300e9);
    expect(a.matrix.count).toBe(432); // 4 Tensor Cores x 108 SMs
    // 1,024 dense FP16 FMA/clk/SM x 2 x 108 SMs x 1.41 GHz = 311.9 TFLOPS
    expect((2 * 1024 * a.compute_units * a.clock_hz!) / 312e12).toBeCloseTo(1, 2);
  });

  it("A100 SXM4 40GB differs from the 80GB part only in memory", () => {
    const a40 = chip("nvidia-a100-sxm-40gb");
    expect(a40.memory.main.bandwidth_bytes_per_s).toBe(1.555e12);
    expect(a40.memory.main.capacity_bytes).toBe(40e9);
    expect(a40.matrix.peak_flops_per_s).toEqual(chip("nvidia-a100-sxm-80gb").matrix.peak_flops_per_s);
  });

  it("Google TPU v5p: 459 TFLOPS bf16, 918 TOPS int8, 95 GiB, 600 GB/s ICI each way", () => {
    const t = chip("google-tpu-v5p");
    expect(t.matrix.peak_flops_per_s.bf16).toBe(459e12);
    expect(t.matrix.peak_flops_per_s.int8).toBe(918e12);
    expect(t.memory.main.capacity_bytes).toBe(95 * 2 ** 30);
    expect(t.interconnect.scale_up!.bandwidth_per_direction_bytes_per_s).toBe(600e9);
    expect(t.matrix.count).toBe(8);
    expect(t.matrix.shape).toEqual({ rows: 128, cols: 128 });
    // 8 MXUs x 128 x 128 MAC x 2 FLOP x 1.75 GHz = 458.75 TFLOPS
    expect((8 * 128 * 128 * 2 * t.clock_hz!) / 459e12).toBeCloseTo(1, 2);
  });

  it("AMD MI300X: 1,307.4 TFLOPS fp16 dense, 5.3 TB/s, 256 MiB Infinity Cache", () => {
    const m = chip("amd-mi300x");
    expect(m.matrix.peak_flops_per_s.fp16).toBeCloseTo(1307.4e12, -9);
    expect(m.matrix.peak_flops_per_s.fp8).toBeCloseTo(2614.9e12, -9);
    expect(m.memory.main.bandwidth_bytes_per_s).toBe(5.3e12);
    expect(m.memory.on_chip.map((l) => l.capacity_bytes)).toEqual([64 * 2 ** 10, 32 * 2 ** 20, 256 * 2 ** 20]);
    expect(m.memory.on_chip[0]!.scope).toBe("unit");
  });

  it("H100 SXM and H200 share compute; NVLink is 450 GB/s each way", () => {
    const h100 = chip("nvidia-h100-sxm");
    const h200 = chip("nvidia-h200-sxm");
    expect(h200.matrix.peak_flops_per_s).toEqual(h100.matrix.peak_flops_per_s);
    expect(h200.memory.main.bandwidth_bytes_per_s).toBe(4.8e12);
    expect(h200.interconnect.scale_up!.bandwidth_per_direction_bytes_per_s).toBe(450e9);
    expect(h100.interconnect.host!.bandwidth_per_direction_bytes_per_s).toBe(64e9);
  });

  it("T4: 65 TFLOPS fp16, 130 TOPS int8, 8.1 TFLOPS fp32, 16 GB at 320 GB/s, 70 W", () => {
    const t = chip("nvidia-t4");
    expect(t.family).toBe("nvidia-turing");
    expect(t.compute_units).toBe(40);
    expect(t.matrix.count).toBe(320);
    expect(t.matrix.peak_flops_per_s.fp16).toBe(65e12);
    expect(t.matrix.peak_flops_per_s.int8).toBe(130e12);
    expect(t.vector.peak_flops_per_s.fp32).toBe(8.1e12);
    expect(t.memory.main.capacity_bytes).toBe(16e9);
    expect(t.memory.main.bandwidth_bytes_per_s).toBe(320e9);
    expect(t.power.tdp_w).toBe(70);
    expect(t.memory.on_chip.at(-1)!.capacity_bytes).toBe(4e6);
    // 320 Tensor Cores x 64 FMA x 2 x 1.59 GHz = 65.1 TFLOPS
    expect((320 * 64 * 2 * t.clock_hz!) / 65e12).toBeCloseTo(1, 2);
  });

  it("MI210: 181 TFLOPS fp16/bf16, 22.6 vector / 45.3 matrix fp64, 64 GB at 1.6 TB/s, 8 MiB L2", () => {
    const m = chip("amd-mi210");
    expect(m.family).toBe("amd-cdna2");
    expect(m.matrix.peak_flops_per_s.fp16).toBe(181e12);
    expect(m.matrix.peak_flops_per_s.bf16).toBe(181e12);
    expect(m.matrix.peak_flops_per_s.fp64).toBe(45.3e12);
    expect(m.vector.peak_flops_per_s.fp64).toBe(22.6e12);
    expect(m.vector.peak_flops_per_s.fp32).toBe(22.6e12);
    expect(m.memory.main.capacity_bytes).toBe(64e9);
    expect(m.memory.main.bandwidth_bytes_per_s).toBe(1.6e12);
    expect(m.memory.on_chip.find((l) => l.name === "L2")!.capacity_bytes).toBe(8 * 2 ** 20);
    expect(m.power.tdp_w).toBe(300);
    // 104 CUs x 1,024 FP16 FLOP/clk x 1.7 GHz = 181.0 TFLOPS
    expect((104 * 1024 * m.clock_hz!) / 181e12).toBeCloseTo(1, 2);
  });

  it("V100 16GB extends the 32GB part: same compute and bandwidth, 16 GB, its own aliases", () => {
    const v16 = chip("nvidia-v100-sxm2-16gb");
    const v32 = chip("nvidia-v100-sxm2");
    expect(v16.memory.main.capacity_bytes).toBe(16e9);
    expect(v32.memory.main.capacity_bytes).toBe(32e9);
    expect(v16.memory.main.bandwidth_bytes_per_s).toBe(900e9);
    expect(v16.matrix.peak_flops_per_s).toEqual(v32.matrix.peak_flops_per_s);
    expect(v16.matrix.peak_flops_per_s.fp16).toBe(125e12);
    expect(v16.family).toBe("nvidia-volta");
    expect(v16.aliases).toContain("NVIDIA V100 16GB");
    expect(v16.aliases).not.toContain("NVIDIA V100");
  });

  it("derived dense values carry their derivation; sparse headlines are not stored", () => {
    expect(chip("nvidia-l4").provenance["matrix.peak_flops_per_s.fp8"]!.derived).toMatch(/sparse 485 \/ 2/);
    expect(chip("nvidia-jetson-agx-orin-64gb").matrix.peak_flops_per_s.int8).toBe(137.5e12);
    expect(chip("sambanova-sn40l").provenance["memory.main.bandwidth_bytes_per_s"]!.derived).toMatch(/\/ 16/);
    expect(chip("cerebras-wse3").matrix.peak_flops_per_s).toEqual({});
    expect(chip("cerebras-wse3").limitations.join()).toMatch(/no dense compute peak/);
  });

  it("SRAM-resident chips keep their SRAM as main memory", () => {
    expect(chip("cerebras-wse3").memory.main.capacity_bytes).toBe(44e9);
    expect(chip("cerebras-wse3").memory.main.bandwidth_bytes_per_s).toBe(21e15);
    expect(chip("groq-tsp-lpu").memory.main.bandwidth_bytes_per_s).toBe(80e12);
    expect(chip("graphcore-gc200").memory.main.capacity_bytes).toBe(900e6);
    for (const id of ["cerebras-wse2", "cerebras-wse3", "groq-tsp-lpu", "graphcore-gc200", "graphcore-bow", "hailo-8", "google-coral-edge-tpu", "tesla-dojo-d1"]) {
      expect(chip(id).memory.main.type, id).toMatch(/SRAM/);
    }
  });

  it("CPU memory bandwidth is channels x MT/s x 8 B", () => {
    expect(chip("intel-xeon-8490h").memory.main.bandwidth_bytes_per_s).toBe(8 * 4800e6 * 8);
    expect(chip("amd-epyc-9654").memory.main.bandwidth_bytes_per_s).toBeCloseTo(12 * 4800e6 * 8, 0);
    expect(chip("intel-xeon-6980p").memory.main.bandwidth_bytes_per_s).toBeCloseTo(12 * 6400e6 * 8, 0);
    expect(chip("intel-xeon-8490h").matrix.kind).toBe("amx");
    expect(chip("intel-xeon-8490h").provenance["matrix.peak_flops_per_s.bf16"]!.estimated).toBe(true);
  });
});

describe("chip catalog: sourced prices and cloud rates (hand-checked against each file's sources)", () => {
  const byId = (id: string) => loadChip(id);

  it("keeps every price and cloud rate inside its stated range, each with a source", () => {
    const outside: string[] = [];
    for (const c of loadAllChips()) {
      for (const [path, v] of [["cost.price_usd", c.cost.price_usd], ["cost.cloud_usd_per_hour", c.cost.cloud_usd_per_hour]] as const) {
        const range = c.provenance[path]?.range;
        if (v !== undefined && range && (v < range[0] || v > range[1])) outside.push(`${c.id}: ${path} ${v} not in [${range.join(", ")}]`);
      }
    }
    expect(outside).toEqual([]);
  });

  it("MI355X: analyst ASP estimate USD 23k (HSBC, revised from 25k), marked estimated; no cloud rate", () => {
    const c = byId("amd-mi355x");
    expect(c.cost.price_usd).toBe(23000);
    expect(c.provenance["cost.price_usd"]?.estimated).toBe(true);
    expect(c.provenance["cost.price_usd"]?.range).toEqual([23000, 25000]);
    expect(c.cost.cloud_usd_per_hour).toBeUndefined();
  });

  it("Xeon 6980P USD 17,800 and Xeon 8490H USD 17,000 (Intel 1k-unit launch list prices)", () => {
    expect(byId("intel-xeon-6980p").cost.price_usd).toBe(17800);
    expect(byId("intel-xeon-8490h").cost.price_usd).toBe(17000);
  });

  it("Coral Edge TPU: USD 75 USB Accelerator, priced as a module", () => {
    const c = byId("google-coral-edge-tpu");
    expect(c.cost.price_usd).toBe(75);
    expect(c.cost.price_scope).toBe("module");
  });

  it("Inferentia2: USD 0.75 per chip-hour (inf2 x1), 12 chips for USD 12/h as the range top; MI325X range reaches TensorWave's 1.95", () => {
    const inf2 = byId("aws-inferentia2");
    expect(inf2.cost.cloud_usd_per_hour).toBe(0.75);
    expect(inf2.provenance["cost.cloud_usd_per_hour"]?.range).toEqual([0.75, 12 / 12]);
    expect(inf2.cost.price_usd).toBeUndefined();
    expect(byId("amd-mi325x").provenance["cost.cloud_usd_per_hour"]?.range).toEqual([1.95, 2.25]);
  });
});

describe("chip aliases", () => {
  it("are unique across the catalog and never equal another chip's id (case and spacing ignored)", () => {
    const owner = new Map<string, string>();
    for (const c of all) owner.set(normaliseChipName(c.id), c.id);
    const clashes: string[] = [];
    for (const c of all) {
      for (const a of c.aliases) {
        const key = normaliseChipName(a);
        const prev = owner.get(key);
        if (prev !== undefined && prev !== c.id) clashes.push(`"${a}" on ${c.id} and ${prev}`);
        owner.set(key, c.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("resolve through loadChip (case-insensitive, whitespace-normalised); ids still work", () => {
    expect(loadChip("NVIDIA A100 80GB").id).toBe("nvidia-a100-sxm-80gb");
    expect(loadChip("  nvidia   a100\t80gb ").id).toBe("nvidia-a100-sxm-80gb");
    expect(loadChip("NVIDIA A100").id).toBe("nvidia-a100-sxm-80gb");
    expect(loadChip("NVIDIA V100 16GB").id).toBe("nvidia-v100-sxm2-16gb");
    expect(loadChip("AMD Instinct MI210").id).toBe("amd-mi210");
    expect(loadChip("NVIDIA-H100-SXM").id).toBe("nvidia-h100-sxm");
    expect(loadChip("nvidia-h100-sxm")).toBe(loadChip("H100 SXM"));
  });

  it("report an unknown name with a suggestion", () => {
    expect(() => loadChip("NVIDIA A100 80G")).toThrow(/unknown chip "NVIDIA A100 80G"[\s\S]*did you mean/);
  });

  it("match measured-result hardware strings loosely", () => {
    const expected: Record<string, string | undefined> = {
      "NVIDIA A100 80GB": "nvidia-a100-sxm-80gb",
      "NVIDIA A100 80GB (Selene)": "nvidia-a100-sxm-80gb",
      "NVIDIA A100 SXM 80GB (Selene)": "nvidia-a100-sxm-80gb",
      "NVIDIA A100": "nvidia-a100-sxm-80gb",
      "NVIDIA A100 80GB (DGX A100)": "nvidia-a100-sxm-80gb",
      "NVIDIA A100 80GB, 4-GPU NVLink3 node": "nvidia-a100-sxm-80gb",
      "NVIDIA A100 SXM 40GB": "nvidia-a100-sxm-40gb",
      "A100 SXM4 40GB, 4x HDR 200 Gb/s per node": "nvidia-a100-sxm-40gb",
      "DGX/HGX A100 SXM (NVLink3 + NVSwitch, 300 GB/s uni-dir per GPU)": "nvidia-a100-sxm-80gb",
      "NVIDIA H100 SXM 80GB": "nvidia-h100-sxm",
      "NVIDIA V100 16GB": "nvidia-v100-sxm2-16gb",
      "NVIDIA V100 16GB (DGX-1)": "nvidia-v100-sxm2-16gb",
      "NVIDIA T4": "nvidia-t4",
      "AMD Instinct MI210": "amd-mi210",
      "Google TPU v5e (16x16 pod)": "google-tpu-v5e",
      "ConnectX-7 NDR 400 Gb/s NIC": undefined,
      "AWS p4d (8x A100, EFA v1 4x100 Gb/s)": undefined,
      "A100 vs V100": undefined, // two chips tie for the longest match
      "": undefined,
    };
    for (const [text, id] of Object.entries(expected)) {
      expect(resolveChipAlias(text), JSON.stringify(text)).toBe(id);
      expect(findChipByAlias(text)?.id, JSON.stringify(text)).toBe(id);
    }
  });

  it("do not match inside longer words", () => {
    expect(resolveChipAlias("NVIDIA A1000")).toBeUndefined();
    expect(resolveChipAlias("L40")).toBeUndefined();
  });

  it("resolve every hardware string of the measured validation results", () => {
    const entries = readJson(MEASURED_JSON) as Array<{ hardware?: unknown }>;
    const names = [...new Set(entries.map((e) => e.hardware).filter((h): h is string => typeof h === "string"))];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((h) => findChipByAlias(h) === undefined)).toEqual([]);
  });

  it("resolve the A100 systems of the collective results", () => {
    const text = readFileSync(COLLECTIVES_JSON, "utf8");
    expect(text).toMatch(/DGX\/HGX A100 SXM/);
    expect(findChipByAlias("DGX/HGX A100 SXM (NVLink3 + NVSwitch, 300 GB/s uni-dir per GPU)")?.interconnect.scale_up?.bandwidth_per_direction_bytes_per_s).toBe(300e9);
  });
});
