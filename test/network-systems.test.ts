/**
 * The system and collective-library catalogs: every file validates and builds, ids match file
 * names, aliases are unique, figures carry provenance, `extends:` works, default systems are
 * picked sensibly, and bad input (unknown ids, missing or wrong fields, shapes that do not fit,
 * bad sizes) is a clear XpusimError with a field path — never a crash or NaN.
 */
import { readdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { estimateCollective } from "../src/core/network/estimate-collective.js";
import type { CollectiveKind } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import {
  collectiveLibraryIds,
  defaultSystemFor,
  loadAllSystems,
  loadCollectiveLibrary,
  loadSystem,
  resolveSystemAlias,
  systemFromObject,
  systemIds,
} from "../src/node/system-catalog.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const BUILT_IN = [
  "dgx-a100", "aws-p4d", "a100-nvlink-4gpu", "dgx-h100", "dgx-h800", "hgx-h200", "hgx-b200", "gb200-nvl72", "mi300x-8gpu",
  "tpu-v4-pod", "tpu-v5p-pod", "tpu-v5e-pod",
  "tpu-v6e-pod", "gaudi2-hls", "gaudi3-hls",
];

function diag(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XpusimError);
    return (e as XpusimError).diagnostics[0]!;
  }
  throw new Error("expected an XpusimError");
}

describe("system catalog", () => {
  it("holds the usual systems, one per file named by its id", () => {
    expect(systemIds().sort()).toEqual([...BUILT_IN].sort());
    const files = readdirSync(resolve(root, "catalog/systems")).map((f) => f.replace(/\.yaml$/, ""));
    expect(files.sort()).toEqual([...BUILT_IN].sort());
  });

  it("every system builds, references a catalog chip and has sourced scale-up figures", () => {
    for (const s of loadAllSystems()) {
      expect(loadChip(s.chip_id).id).toBe(s.chip_id);
      expect(s.scale_up.bandwidth_per_direction_bytes_per_s).toBeGreaterThan(0);
      expect(s.scale_up.efficiency).toBeGreaterThan(0.5);
      expect(s.scale_up.efficiency).toBeLessThanOrEqual(1);
      const p = s.provenance["scale_up.efficiency"]!;
      expect(p.source?.length || p.derived || p.estimated, `${s.id} efficiency provenance`).toBeTruthy();
      if (s.scale_out) expect(s.provenance["scale_out.efficiency"]).toBeDefined();
    }
  });

  it("spec figures match the public sources", () => {
    const a100 = loadSystem("dgx-a100");
    expect(a100.scale_up.bandwidth_per_direction_bytes_per_s).toBe(300e9);
    expect(a100.scale_up.efficiency * 300).toBeCloseTo(235, 0); // NCCL's A100 cap
    expect(a100.scale_out!.per_chip_bandwidth_bytes_per_s).toBe(25e9); // 8 × HDR 200 Gb/s / 8 GPUs
    const h100 = loadSystem("dgx-h100");
    expect(h100.scale_up.bandwidth_per_direction_bytes_per_s * h100.scale_up.efficiency / 1e9).toBeCloseTo(370, 0);
    expect(h100.scale_up.in_network_reduction).toMatchObject({ name: expect.stringMatching(/NVLS/), min_ranks: 5 });
    expect(loadSystem("gb200-nvl72").scale_up.domain_size).toBe(72);
    expect(loadSystem("tpu-v5p-pod").scale_up.torus!.dims).toEqual([16, 20, 28]);
    expect(loadSystem("mi300x-8gpu").scale_up.per_peer_bandwidth_bytes_per_s).toBe(64e9);
    expect(loadSystem("gaudi3-hls").scale_up.per_peer_bandwidth_bytes_per_s).toBe(75e9);
  });

  it("extends: inherits, overrides and drops the base's aliases", () => {
    const h200 = loadSystem("hgx-h200");
    expect(h200.chip_id).toBe("nvidia-h200-sxm");
    expect(h200.scale_up.in_network_reduction?.efficiency).toBe(loadSystem("dgx-h100").scale_up.in_network_reduction?.efficiency);
    expect(h200.aliases).not.toContain("DGX H100");
    const p4d = loadSystem("aws-p4d");
    expect(p4d.scale_out!.nics_per_node).toBe(4);
    expect(p4d.scale_up.efficiency).toBe(loadSystem("dgx-a100").scale_up.efficiency);
  });

  it("aliases are unique and resolve from free text", () => {
    const seen = new Map<string, string>();
    for (const s of loadAllSystems()) {
      for (const a of [s.id, ...s.aliases]) {
        const k = a.toLowerCase();
        expect(seen.get(k), `alias "${a}" of ${s.id}`).toBeUndefined();
        seen.set(k, s.id);
      }
    }
    expect(loadSystem("DGX H100").id).toBe("dgx-h100");
    expect(resolveSystemAlias("DGX/HGX A100 SXM (NVLink3 + NVSwitch, 300 GB/s uni-dir per GPU)")).toBe("dgx-a100");
    expect(resolveSystemAlias("AWS p4d (8x A100, EFA v1 4x100 Gb/s)")).toBe("aws-p4d");
    expect(resolveSystemAlias("NVIDIA A100 80GB, 4-GPU NVLink3 node")).toBe("a100-nvlink-4gpu");
    expect(resolveSystemAlias("a toaster")).toBeUndefined();
  });

  it("every collective library loads; systems use known ones", () => {
    expect(collectiveLibraryIds().sort()).toEqual(["generic", "nccl", "rccl", "xla-ici"]);
    const nccl = loadCollectiveLibrary("nccl");
    expect(nccl.protocols.map((p) => p.name)).toEqual(["LL", "LL128", "Simple"]);
    expect(nccl.protocols[0]!.base_latency_s).toBeCloseTo(8.3e-6, 12);
    expect(nccl.protocols[1]).toMatchObject({ bandwidth_fraction: 0.7, requires_scale_up_fabric: true });
    expect(nccl.provenance["protocols[2].base_latency_s"]?.derived).toMatch(/intercept/);
    expect(nccl.tree_two_domain_efficiency).toBe(0.67);
    expect(nccl.expert_parallel).toMatchObject({ name: "DeepEP", low_latency_max_tokens: 256 });
    expect(nccl.expert_parallel!.low_latency_latency_s).toBeCloseTo(37.4e-6, 12);
  });
});

describe("default systems", () => {
  it("a chip's own vendor system, else one with the same link, else a generic node", () => {
    expect(defaultSystemFor(loadChip("nvidia-h100-sxm"), 8).id).toBe("dgx-h100");
    expect(defaultSystemFor(loadChip("nvidia-a100-sxm-80gb"), 8).id).toBe("dgx-a100");
    const a40 = defaultSystemFor(loadChip("nvidia-a100-sxm-40gb"), 16);
    expect(a40.chip_id).toBe("nvidia-a100-sxm-40gb");
    expect(a40.scale_out!.nics_per_node).toBe(8); // DGX A100's fabric, not the p4d's EFA
    expect(defaultSystemFor(loadChip("google-tpu-v4")).id).toBe("tpu-v4-pod");
    const l4 = defaultSystemFor(loadChip("nvidia-l4"), 2);
    expect(l4.id).toBe("generic-nvidia-l4");
    expect(l4.scale_up.topology).toBe("none");
    expect(l4.caveats.join(" ")).toMatch(/generic/);
    const v100 = defaultSystemFor(loadChip("nvidia-v100-sxm2"), 8);
    expect(v100.scale_up.topology).toBe("switch");
    expect(v100.scale_up.bandwidth_per_direction_bytes_per_s).toBe(loadChip("nvidia-v100-sxm2").interconnect.scale_up!.bandwidth_per_direction_bytes_per_s);
    expect(() => estimateCollective(v100, "all_reduce", 1e6, 16)).toThrow(/holds at most 8/);
  });
});

describe("bad input is a clear error", () => {
  it("unknown system id with the closest ids", () => {
    const d = diag(() => loadSystem("dgx-h10"));
    expect(d.code).toBe("E_UNKNOWN_ID");
    expect(d.hint).toMatch(/dgx-h100/);
  });

  const base = {
    id: "mine",
    name: "mine",
    chip: "nvidia-h100-sxm",
    chips_per_node: 8,
    scale_up: { name: "x", topology: "switch", domain_size: 8, latency: "1 us", efficiency: 0.8 },
    collective_library: "nccl",
  };

  it("a missing field, a unit error and an unknown field name the field path", () => {
    const { chips_per_node: _drop, ...noCpn } = base;
    expect(diag(() => systemFromObject(noCpn, "mine.yaml"))).toMatchObject({ code: "E_SCHEMA", path: "chips_per_node", file: "mine.yaml" });
    expect(diag(() => systemFromObject({ ...base, scale_up: { ...base.scale_up, latency: "1 parsec" } }))).toMatchObject({ code: "E_UNIT", path: "scale_up.latency" });
    expect(diag(() => systemFromObject({ ...base, scale_up: { ...base.scale_up, efficiency: 1.4 } })).path).toBe("scale_up.efficiency");
    expect(diag(() => systemFromObject({ ...base, nics: 4 })).message).toMatch(/unknown field "nics"/);
  });

  it("unknown chip, library and base system", () => {
    expect(diag(() => systemFromObject({ ...base, chip: "nvidia-h1000" }))).toMatchObject({ code: "E_UNKNOWN_ID" });
    expect(diag(() => systemFromObject({ ...base, collective_library: "mpi" }))).toMatchObject({ code: "E_UNKNOWN_ID", path: "collective_library" });
    expect(diag(() => systemFromObject({ ...base, extends: "dgx-z900" }))).toMatchObject({ code: "E_UNKNOWN_ID", path: "extends" });
  });

  it("shapes that do not fit", () => {
    expect(diag(() => systemFromObject({ ...base, scale_up: { ...base.scale_up, domain_size: 12 } })).path).toBe("scale_up.domain_size");
    const torus = { ...base.scale_up, topology: "torus", domain_size: 64, torus: { dims: [4, 4, 2], wraparound_multiple: 4, link_bandwidth_per_direction: "45 GB/s" } };
    expect(diag(() => systemFromObject({ ...base, chips_per_node: 4, scale_up: torus })).message).toMatch(/hold 32 chips/);
    expect(diag(() => systemFromObject({ ...base, scale_up: { ...base.scale_up, topology: "mesh", in_network_reduction: { name: "x", efficiency: 0.5 } } })).path).toBe(
      "scale_up.in_network_reduction",
    );
  });

  it("ranks that do not fit, bad sizes, unknown ops: errors, never NaN", () => {
    const h = loadSystem("dgx-h100");
    expect(diag(() => estimateCollective(h, "all_reduce", 1e6, 12))).toMatchObject({ code: "E_RANGE", path: "ranks" });
    expect(diag(() => estimateCollective(h, "all_reduce", 1e6, 0))).toMatchObject({ code: "E_RANGE" });
    expect(diag(() => estimateCollective(h, "all_reduce", 1e6, 2.5))).toMatchObject({ code: "E_RANGE" });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(diag(() => estimateCollective(h, "all_reduce", bad, 8))).toMatchObject({ code: "E_RANGE", path: "bytes" });
    }
    expect(diag(() => estimateCollective(h, "allreduce" as CollectiveKind, 1e6, 8))).toMatchObject({ path: "op" });
    expect(diag(() => estimateCollective(loadSystem("a100-nvlink-4gpu"), "all_reduce", 1e6, 8)).message).toMatch(/at most 4 chips/);
    expect(diag(() => estimateCollective(loadSystem("tpu-v5e-pod"), "all_reduce", 1e6, 17)).message).toMatch(/no slice/);
    expect(diag(() => estimateCollective(h, "all_gather", 1e6, 8, { algorithm: "tree" }))).toMatchObject({ code: "E_UNSUPPORTED" });
    expect(diag(() => estimateCollective(h, "all_reduce", 1e6, 8, { protocol: "LL256" }))).toMatchObject({ path: "protocol" });
    const one = estimateCollective(h, "all_reduce", 1e6, 1);
    expect(one).toMatchObject({ time_s: 0, busbw_bytes_per_s: 0, algorithm: "none" });
  });
});
