import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { chipFromObject, loadChip } from "../src/node/chip-catalog.js";

describe("chip spec", () => {
  it("normalises units and keeps provenance", () => {
    const h100 = loadChip("nvidia-h100-sxm");
    expect(h100.memory.main.bandwidth_bytes_per_s).toBe(3.35e12);
    expect(h100.memory.main.capacity_bytes).toBe(80e9);
    expect(h100.matrix.peak_flops_per_s.bf16).toBeCloseTo(989.4e12, 0);
    expect(h100.memory.on_chip[0]!.capacity_bytes).toBe(256 * 1024);
    expect(h100.provenance["matrix.peak_flops_per_s.bf16"]).toMatchObject({ derived: "NVIDIA sparse 1978.9 / 2", source: [11, 12] });
    expect(h100.provenance["cost.price_usd"]).toMatchObject({ source: [13], range: [25000, 30000] });
  });

  it("extends a catalog chip and overrides fields", () => {
    const c = chipFromObject({ id: "my-h100-fast-hbm", extends: "nvidia-h100-sxm", name: "H100 with faster HBM", memory: { main: { bandwidth: "4.8 TB/s" } } });
    expect(c.memory.main.bandwidth_bytes_per_s).toBe(4.8e12);
    expect(c.memory.main.capacity_bytes).toBe(80e9);
    expect(c.matrix.peak_flops_per_s.fp8).toBeCloseTo(1978.9e12, 0);
  });

  it("rejects a wrong unit with the field path and a hint", () => {
    try {
      chipFromObject({ id: "bad", extends: "nvidia-h100-sxm", memory: { main: { bandwidth: "3.35 GHz" } } }, "bad.yaml");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XpusimError);
      const d = (e as XpusimError).diagnostics[0]!;
      expect(d.code).toBe("E_UNIT");
      expect(d.path).toBe("memory.main.bandwidth");
      expect(d.file).toBe("bad.yaml");
      expect(d.hint).toMatch(/TB\/s/);
    }
  });

  it("suggests the closest id for an unknown base", () => {
    expect(() => chipFromObject({ id: "x", extends: "nvidia-h100-sxn" })).toThrow(/did you mean "nvidia-h100-sxm"/);
  });

  it("derives a peak from MACs per cycle × engines × clock", () => {
    const c = chipFromObject({
      id: "toy-npu", name: "Toy NPU", vendor: "me", kind: "npu", family: "generic-systolic",
      clock: { boost: "1 GHz" },
      compute: { units: 1, matrix: { kind: "systolic", count: 1, shape: { rows: 128, cols: 128 }, macs_per_cycle: { int8: 16384 } } },
      memory: { main: { type: "DDR4", capacity: "8 GiB", bandwidth: "25.6 GB/s" } },
    });
    expect(c.matrix.peak_flops_per_s.int8).toBe(2 * 16384 * 1e9);
    expect(c.provenance["matrix.peak_flops_per_s.int8"]!.derived).toMatch(/16384 MAC\/cycle/);
    expect(c.limitations.join()).toMatch(/no TDP/);
  });
});
