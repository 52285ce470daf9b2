import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { chipFromObject, chipIds, loadChip } from "../src/node/chip-catalog.js";

function diagnosticOf(spec: Record<string, unknown>) {
  try {
    chipFromObject({ id: "bad", extends: "nvidia-h100-sxm", ...spec }, "bad.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(XpusimError);
    return (e as XpusimError).diagnostics[0]!;
  }
  throw new Error("expected the spec to be rejected");
}

describe("chip security and software sections", () => {
  it("reject a bad support level with the field path and the allowed values", () => {
    const d = diagnosticOf({ security: { confidential_computing: "maybe" } });
    expect(d.path).toMatch(/^security\.confidential_computing/);
    expect(`${d.message} ${d.expected ?? ""}`).toMatch(/supported/);
    expect(d.file).toBe("bad.yaml");
  });

  it("reject an overhead outside 0..1, an unknown isolation kind and an unknown field", () => {
    expect(diagnosticOf({ security: { confidential_overhead: { value: 1.5, source: 13 } } }).path).toMatch(/^security\.confidential_overhead/);
    expect(diagnosticOf({ security: { isolation: { kind: "vms" } } }).path).toMatch(/^security\.isolation\.kind/);
    expect(diagnosticOf({ security: { tpm: "supported" } }).path).toMatch(/^security/);
    expect(diagnosticOf({ software: { stacks: [{ role: "compiler" }] } }).path).toMatch(/^software\.stacks\[0\]\.name/);
  });

  it("a chip without a security section reads every feature as unknown, never as absent", () => {
    const c = chipFromObject({ id: "plain", name: "Plain", vendor: "me", kind: "npu", family: "generic-systolic", compute: { units: 1 }, memory: { main: { type: "DDR4", capacity: "8 GiB", bandwidth: "25.6 GB/s" } } });
    expect(c.security.confidential_computing).toBe("unknown");
    expect(c.security.memory_encryption).toEqual({ device_memory: "unknown", host_link: "unknown", chip_link: "unknown" });
    expect(c.security.isolation.kind).toBe("unknown");
    expect(c.software.stacks).toEqual([]);
  });

  it("every catalog chip states its security and software, and every source they cite exists", () => {
    for (const id of chipIds()) {
      const c = loadChip(id);
      expect(c.security, id).toBeDefined();
      for (const [path, p] of Object.entries(c.provenance)) {
        if (!path.startsWith("security.") && !path.startsWith("software.") && !path.startsWith("cost.")) continue;
        for (const n of p.source ?? []) expect(c.sources[String(n)], `${id} ${path} cites [${n}]`).toBeDefined();
      }
    }
    const h100 = loadChip("nvidia-h100-sxm");
    expect(h100.security.isolation).toEqual({ kind: "hardware-partitions", max_instances: 7, mechanism: "MIG" });
    expect(h100.security.confidential_overhead).toEqual({ fraction: 0.07, range: [0, 0.32] });
    expect(h100.software.stacks.map((s) => s.name)).toEqual(["CUDA", "TensorRT"]);
    expect(loadChip("amd-mi300x").software.stacks[0]!.name).toBe("ROCm");
    expect(loadChip("google-tpu-v5e").software.stacks[0]!.frameworks).toContain("JAX");
  });

  it("prices: at least 25 chips carry a sourced price and 20 a cloud rate; the rest say why not", () => {
    const chips = chipIds().map((id) => loadChip(id));
    expect(chips.filter((c) => c.cost.price_usd !== undefined).length).toBeGreaterThanOrEqual(25);
    expect(chips.filter((c) => c.cost.cloud_usd_per_hour !== undefined).length).toBeGreaterThanOrEqual(20);
    for (const c of chips) {
      if (c.cost.price_usd !== undefined) expect(c.provenance["cost.price_usd"]!.source?.length ?? c.provenance["cost.price_usd"]!.note?.length, c.id).toBeTruthy();
      const range = c.provenance["cost.price_usd"]?.range;
      if (range) expect(range[0] <= c.cost.price_usd! && c.cost.price_usd! <= range[1], `${c.id} price within its range`).toBe(true);
      const cr = c.provenance["cost.cloud_usd_per_hour"]?.range;
      if (cr) expect(cr[0] <= c.cost.cloud_usd_per_hour! && c.cost.cloud_usd_per_hour! <= cr[1], `${c.id} cloud rate within its range`).toBe(true);
    }
  });
});
