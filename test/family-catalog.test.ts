/**
 * Chip-family efficiency data: every family file validates, every chain ends at `generic` and
 * resolves every parameter, every catalog chip's family exists, values are justified (source,
 * derivation or an explicit estimate) and chip overrides merge with provenance.
 */
import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { EFFICIENCY_PARAM_KEYS, mergeEfficiency, parseFamilySpec } from "../src/core/spec/family-spec.js";
import { chipFromObject, loadAllChips, loadChip } from "../src/node/chip-catalog.js";
import { efficiencyFor, familyIds, loadFamily, resolveEfficiency, resolveFamily } from "../src/node/family-catalog.js";

const REQUIRED_FAMILIES = [
  "nvidia-volta", "nvidia-turing", "nvidia-ampere", "nvidia-ada", "nvidia-hopper", "nvidia-blackwell", "nvidia-orin",
  "amd-cdna2", "amd-cdna3", "amd-cdna4", "google-tpu", "huawei-ascend", "intel-gaudi", "graphcore-ipu", "groq-lpu",
  "cerebras-wse", "sambanova-rdu", "tesla-dojo", "aws-neuron", "x86-cpu", "edge-npu", "fpga", "generic-systolic", "generic",
];

describe("family catalog", () => {
  it("has a file for every family id the chips use, and the required ones", () => {
    const ids = familyIds();
    for (const f of REQUIRED_FAMILIES) expect(ids).toContain(f);
    for (const chip of loadAllChips()) expect(ids, `${chip.id} → ${chip.family}`).toContain(chip.family);
  });

  it("resolves every family to a complete parameter set ending at generic", () => {
    for (const id of familyIds()) {
      const r = resolveFamily(id);
      expect(r.chain[0]).toBe("generic");
      expect(r.chain.at(-1)).toBe(id);
      for (const k of EFFICIENCY_PARAM_KEYS) expect(r.params[k], `${id}.${k}`).not.toBeUndefined();
      const p = r.params;
      for (const f of [p.matrix_efficiency, p.vector_efficiency, p.attention_efficiency, p.main_memory_efficiency]) {
        expect(f).toBeGreaterThan(0);
        expect(f).toBeLessThanOrEqual(1);
      }
      expect(p.gemm_tiles.length).toBeGreaterThan(0);
    }
  });

  it("justifies every value it sets (source, derivation or estimate) and keeps ranges ordered", () => {
    for (const id of familyIds()) {
      const fam = loadFamily(id);
      for (const [key, v] of Object.entries(fam.params as Record<string, { value: unknown; source?: number[]; derived?: string; estimated?: boolean; range?: [number, number]; note: string } | undefined>)) {
        if (!v) continue;
        expect(v.source !== undefined || v.derived !== undefined || v.estimated === true, `${id}.${key}`).toBe(true);
        expect(v.note.length, `${id}.${key} note`).toBeGreaterThan(10);
        if (v.range && typeof v.value === "number") {
          expect(v.range[0], `${id}.${key} range`).toBeLessThanOrEqual(v.value);
          expect(v.range[1], `${id}.${key} range`).toBeGreaterThanOrEqual(v.value);
        }
      }
    }
  });

  it("reads the A100's published facts through the chain with provenance", () => {
    const r = resolveEfficiency(loadChip("nvidia-a100-sxm-80gb"));
    expect(r.chain).toEqual(["generic", "nvidia-volta", "nvidia-ampere"]);
    expect(r.params.smem_bytes_per_unit).toBe(164 * 1024);
    expect(r.params.register_file_bytes_per_unit).toBe(256 * 1024); // inherited from Volta
    expect(r.provenance.register_file_bytes_per_unit.from).toBe("nvidia-volta");
    expect(r.params.l2_bytes_per_clk).toBe(5120);
    expect(r.params.matrix_efficiency).toBeCloseTo(0.89, 5);
    expect(r.provenance.matrix_efficiency.sources?.map((s) => s.title).join(" ")).toMatch(/MAMF/);
    // Per-dtype tables merge dtype by dtype down the chain.
    expect(r.params.energy_pj_per_flop.bf16).toBeCloseTo(0.95, 5);
    expect(r.params.main_memory_latency_s).toBeCloseTo(600e-9, 15);
  });

  it("applies chip overrides (bare or justified) over the family and records them", () => {
    const chip = chipFromObject({
      id: "a100-tuned",
      extends: "nvidia-a100-sxm-80gb",
      name: "A100 with a measured efficiency",
      sources: { "1": { title: "my lab measurement" } },
      efficiency: {
        matrix_efficiency: { value: 0.8, source: 1, note: "cuBLAS on our machine" },
        kernel_launch_overhead_s: "4 us",
        energy_pj_per_flop: { fp16: 1.2 },
      },
    });
    const r = resolveEfficiency(chip);
    expect(r.params.matrix_efficiency).toBe(0.8);
    expect(r.provenance.matrix_efficiency).toMatchObject({ from: "chip:a100-tuned", sources: [{ title: "my lab measurement" }] });
    expect(r.params.kernel_launch_overhead_s).toBeCloseTo(4e-6, 12);
    expect(r.provenance.kernel_launch_overhead_s.note).toMatch(/no justification/);
    expect(r.params.energy_pj_per_flop.fp16).toBe(1.2);
    expect(r.params.energy_pj_per_flop.bf16).toBeCloseTo(0.95, 5); // other dtypes kept
  });

  it("rejects an unknown override key and a bad value with the field path", () => {
    const unknown = chipFromObject({ id: "x1", extends: "nvidia-a100-sxm-80gb", efficiency: { matrix_eficiency: 0.5 } });
    expect(() => efficiencyFor(unknown)).toThrow(/unknown efficiency parameter "matrix_eficiency"/);
    const bad = chipFromObject({ id: "x2", extends: "nvidia-a100-sxm-80gb", efficiency: { matrix_efficiency: 1.5 } });
    try {
      efficiencyFor(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XpusimError);
      expect((e as XpusimError).diagnostics[0]!.path).toBe("efficiency.matrix_efficiency");
    }
  });

  it("suggests the closest family for a misspelt id", () => {
    const chip = chipFromObject({ id: "x3", extends: "nvidia-a100-sxm-80gb", family: "nvidia-ampre" });
    expect(() => efficiencyFor(chip)).toThrow(/did you mean "nvidia-ampere"/);
  });

  it("requires a justification in family files and checks source numbers", () => {
    const base = { id: "t", name: "T", extends: "generic" };
    expect(() => parseFamilySpec({ ...base, params: { matrix_efficiency: { value: 0.8, note: "no basis given" } } })).toThrow(
      /give a source, a derivation/,
    );
    expect(() => parseFamilySpec({ ...base, params: { matrix_efficiency: { value: 0.8, source: 3, note: "cites a missing source" } } })).toThrow(
      /source 3 is not in this file's sources list/,
    );
    expect(() => parseFamilySpec({ ...base, params: { matrix_efficiency: 0.8 } })).toThrow();
    const ok = parseFamilySpec({ ...base, params: { kernel_launch_overhead_s: { value: "2 us", estimated: true, range: ["1 us", "5 us"], note: "estimated gap" } } });
    expect(ok.id).toBe("t");
  });

  it("reports a chain that leaves parameters undefined", () => {
    const orphan = parseFamilySpec({ id: "orphan", name: "Orphan", params: { matrix_efficiency: { value: 0.5, estimated: true, note: "only one key" } } });
    expect(() => mergeEfficiency([orphan])).toThrow(/leaves .* undefined/);
  });
});
