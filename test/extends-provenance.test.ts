/**
 * Provenance follows each figure through `extends:`: a child that overrides one figure does not cite
 * the parent's sources for it, keeps the parent's citations on the figures it inherits, does not take
 * the parent's aliases or name as its own, and its own numbered sources never relabel the parent's.
 */
import { describe, expect, it } from "vitest";
import { resolveChip } from "../src/core/hardware/resolve-chip.js";
import { chipFromObject, loadChip } from "../src/node/chip-catalog.js";

const PARENT = {
  id: "parent-gpu",
  name: "Parent GPU",
  vendor: "Acme",
  kind: "gpu",
  family: "generic",
  aliases: ["Parent", "PGPU"],
  sources: { "1": { title: "Parent datasheet", url: "https://example.com/parent" }, "2": { title: "Parent whitepaper", url: "https://example.com/parent-wp" } },
  source: 1,
  clock: { boost: "2 GHz" },
  compute: {
    units: 100,
    matrix: {
      name: "MMA",
      per_unit: 4,
      peak: {
        bf16: { value: "400 TFLOPS", source: 2, derived: "sparse 800 / 2", range: ["380 TFLOPS", "410 TFLOPS"], note: "dense half of the sparse figure" },
        fp16: "400 TFLOPS",
      },
    },
  },
  memory: { main: { type: "HBM3", capacity: "80 GB", bandwidth: "3 TB/s" } },
  power: { tdp: "700 W" },
  notes: "Figures from the parent's datasheet.",
};
const lookup = (id: string) => (id === PARENT.id ? PARENT : undefined);
const resolve = (raw: Record<string, unknown>) => resolveChip(raw, lookup, [PARENT.id]);

describe("extends: provenance follows each figure", () => {
  it("drops the parent's source, derivation, range and note for a figure the child overrides", () => {
    const c = resolve({ id: "child-gpu", extends: "parent-gpu", name: "Child GPU", compute: { units: 100, matrix: { peak: { bf16: "300 TFLOPS" } } } });
    expect(c.matrix.peak_flops_per_s.bf16).toBe(300e12);
    expect(c.provenance["matrix.peak_flops_per_s.bf16"]).toEqual({});
    // Inherited figures keep the parent's citations: its default source and its explicit ones.
    expect(c.provenance["matrix.peak_flops_per_s.fp16"]).toEqual({ source: [1] });
    expect(c.provenance["memory.main.bandwidth_bytes_per_s"]).toEqual({ source: [1] });
    expect(c.provenance["power.tdp_w"]).toEqual({ source: [1] });
  });

  it("gives an overridden figure the child's own provenance, explicit or the child's default source", () => {
    const explicit = resolve({ id: "c1", extends: "parent-gpu", name: "C1", compute: { units: 100, matrix: { peak: { bf16: { value: "300 TFLOPS", source: 2, note: "measured" } } } } });
    expect(explicit.provenance["matrix.peak_flops_per_s.bf16"]).toEqual({ source: [2], note: "measured" });
    const byDefault = resolve({ id: "c2", extends: "parent-gpu", name: "C2", source: 2, power: { tdp: "450 W" } });
    expect(byDefault.provenance["power.tdp_w"]).toEqual({ source: [2] });
    // The child's default covers only its own figures, never the parent's.
    expect(byDefault.provenance["memory.main.capacity_bytes"]).toEqual({ source: [1] });
  });

  it("renumbers the child's sources that collide with the parent's, with their citations", () => {
    const c = resolve({
      id: "c3",
      extends: "parent-gpu",
      name: "C3",
      sources: { "1": { title: "Child datasheet", url: "https://example.com/child" } },
      source: 1,
      power: { tdp: "450 W" },
      memory: { main: { type: "GDDR6X", capacity: { value: "24 GB", source: [1] }, bandwidth: "1 TB/s" } },
    });
    expect(c.sources["1"]!.title).toBe("Parent datasheet");
    expect(c.sources["3"]!.title).toBe("Child datasheet");
    expect(c.provenance["power.tdp_w"]).toEqual({ source: [3] });
    expect(c.provenance["memory.main.capacity_bytes"]).toEqual({ source: [3] });
    expect(c.provenance["memory.main.bandwidth_bytes_per_s"]).toEqual({ source: [3] });
    expect(c.provenance["matrix.peak_flops_per_s.fp16"]).toEqual({ source: [1] });
    // The child's efficiency overrides cite the child's sources too.
    const e = resolve({ id: "c6", extends: "parent-gpu", name: "C6", sources: { "1": { title: "my lab" } }, efficiency: { matrix_efficiency: { value: 0.8, source: 1 } } });
    expect(e.efficiency_overrides).toEqual({ matrix_efficiency: { value: 0.8, source: 3 } });
    expect(e.sources["3"]!.title).toBe("my lab");
    // A citation of a number the child does not define still means the parent's entry.
    const d = resolve({ id: "c4", extends: "parent-gpu", name: "C4", power: { tdp: { value: "450 W", source: 2 } } });
    expect(d.provenance["power.tdp_w"]).toEqual({ source: [2] });
    expect(d.sources["2"]!.title).toBe("Parent whitepaper");
  });

  it("takes neither the parent's aliases nor its name, and marks inherited notes", () => {
    const c = resolve({ id: "child-gpu", extends: "parent-gpu", power: { tdp: "450 W" } });
    expect(c.aliases).toEqual([]);
    expect(c.name).toBe("child-gpu (based on Parent GPU)");
    expect(c.notes).toBe("From parent-gpu: Figures from the parent's datasheet.");
    const named = resolve({ id: "c5", extends: "parent-gpu", name: "C5", aliases: ["Five"], notes: "mine" });
    expect([named.name, named.aliases, named.notes]).toEqual(["C5", ["Five"], "mine"]);
  });

  it("an RTX 4090 file extending the catalog L40S does not cite the L40S datasheet for its own bf16 peak", () => {
    const l40s = loadChip("nvidia-l40s");
    expect(l40s.provenance["matrix.peak_flops_per_s.bf16"]!.source).toEqual([9]);
    const rtx = chipFromObject({ id: "my-rtx-4090", extends: "nvidia-l40s", name: "GeForce RTX 4090", compute: { units: 128, matrix: { peak: { bf16: "165.2 TFLOPS" } } } });
    expect(rtx.matrix.peak_flops_per_s.bf16).toBeCloseTo(165.2e12, -6);
    expect(rtx.provenance["matrix.peak_flops_per_s.bf16"]!.source).toBeUndefined();
    expect(rtx.provenance["matrix.peak_flops_per_s.fp16"]!.source).toEqual([9]);
    expect(rtx.provenance["clock_hz"]!.source).toEqual([1, 10]);
    expect(rtx.aliases).toEqual([]);
  });
});
