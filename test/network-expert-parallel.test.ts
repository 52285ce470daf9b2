/**
 * MoE dispatch / combine as their own operations (src/core/network/expert-parallel-comm.ts):
 * hand-computed traffic of both DeepEP modes, DeepEP's published H800 numbers (normal-mode bottleneck
 * bandwidth, low-latency times), wire rates never above the links, the mode choice by token count,
 * the all-to-all fallback where the library has no expert-parallel kernels, and the training /
 * inference call path (layoutNetwork.ep with the routing).
 */
import { describe, expect, it } from "vitest";
import { estimateCollective } from "../src/core/network/estimate-collective.js";
import { expertParallelTraffic } from "../src/core/network/expert-parallel-comm.js";
import { fabricFor } from "../src/core/network/fabric.js";
import { placeRanks } from "../src/core/network/placement.js";
import { layoutNetwork } from "../src/core/parallel/network-context.js";
import { loadSystem, systemFromObject } from "../src/node/system-catalog.js";

const h800 = loadSystem("dgx-h800");
const NIC = 50e9 * 0.94; // one CX7 400G per GPU, 47 GB/s
const NVL = 200e9 * 0.8; // ~160 GB/s NVLink (DeepEP's figure)
const FP8_TOKEN = 7168 + 224; // 7168 B + one fp32 scale per 128 values
const BF16_TOKEN = 7168 * 2;

describe("expert-parallel traffic (hand-computed)", () => {
  it("normal mode: a token crosses the network once per remote domain it needs and NVLink once per peer rank", () => {
    const f = fabricFor(h800, placeRanks(h800, 16, 1)); // 2 nodes × 8
    const S = 4096 * 8 * FP8_TOKEN;
    const t = expertParallelTraffic(S, f, 8, "normal");
    // per token: (k − 1)·(1 − (1 − g/n)^K) = 1 − 0.5^8 remote domains; (g − 1)·(1 − (15/16)^8) peers
    expect(t.network_bytes).toBeCloseTo(4096 * FP8_TOKEN * (1 - 0.5 ** 8), 0);
    expect(t.scale_up_bytes).toBeCloseTo(4096 * FP8_TOKEN * 7 * (1 - (15 / 16) ** 8), 0);
  });
  it("low-latency mode: every (token, expert) copy goes to its rank directly", () => {
    const f = fabricFor(h800, placeRanks(h800, 32, 1));
    const S = 128 * 8 * FP8_TOKEN;
    const t = expertParallelTraffic(S, f, 8, "low_latency");
    expect(t.network_bytes).toBeCloseTo((S * 24) / 32, 6);
    expect(t.scale_up_bytes).toBeCloseTo((S * 7) / 32, 6);
    // time = 37.4 µs + max(network / 47 GB/s, NVLink / 160 GB/s)
    const c = estimateCollective(h800, "ep_dispatch", S, 32, { moe: { tokens: 128, top_k: 8 } });
    expect(c.protocol).toBe("DeepEP low-latency");
    expect(c.time_s).toBeCloseTo(37.4e-6 + Math.max(t.network_bytes / NIC, t.scale_up_bytes / NVL), 12);
  });
});

describe("DeepEP's published H800 + CX7 numbers (deepseek-ai/DeepEP docs/legacy.md)", () => {
  it("normal kernels (4096 tokens, top-8): bottleneck bandwidth within 22 % at EP 8-64", () => {
    const table: Array<[number, "ep_dispatch" | "ep_combine", number, number]> = [
      [8, "ep_dispatch", FP8_TOKEN, 153],
      [8, "ep_combine", BF16_TOKEN, 158],
      [16, "ep_dispatch", FP8_TOKEN, 43],
      [16, "ep_combine", BF16_TOKEN, 43],
      [32, "ep_dispatch", FP8_TOKEN, 58],
      [32, "ep_combine", BF16_TOKEN, 57],
      [64, "ep_dispatch", FP8_TOKEN, 51],
      [64, "ep_combine", BF16_TOKEN, 50],
    ];
    const errs: number[] = [];
    for (const [n, op, m, gbps] of table) {
      const S = 4096 * 8 * m;
      const c = estimateCollective(h800, op, S, n, { moe: { tokens: 4096, top_k: 8 } });
      expect(c.protocol).toBe("DeepEP normal");
      const t = expertParallelTraffic(S, fabricFor(h800, c.placement), 8, "normal");
      // DeepEP reports the bytes of the bottleneck link (NVLink inside one node, RDMA across) / time.
      const bottleneck = (n === 8 ? t.scale_up_bytes : t.network_bytes) / c.time_s / 1e9;
      const err = (bottleneck - gbps) / gbps;
      errs.push(Math.abs(err));
      expect(Math.abs(err), `${op} EP${n}: ${bottleneck.toFixed(1)} vs ${gbps} GB/s`).toBeLessThan(0.22);
    }
    errs.sort((a, b) => a - b);
    expect(errs[Math.floor(errs.length / 2)]).toBeLessThan(0.1);
  });
  it("low-latency kernels (128 tokens, top-8): times within 11 % at EP 8-256, median under 3 %", () => {
    const dispatch: Record<number, number> = { 8: 77, 16: 118, 32: 155, 64: 173, 128: 192, 256: 194 };
    const combine: Record<number, number> = { 8: 114, 16: 195, 32: 273, 64: 314, 128: 369, 256: 360 };
    const errs: number[] = [];
    for (const [op, tab, m] of [["ep_dispatch", dispatch, FP8_TOKEN], ["ep_combine", combine, BF16_TOKEN]] as const) {
      for (const [n, us] of Object.entries(tab)) {
        const c = estimateCollective(h800, op, 128 * 8 * m, Number(n), { moe: { tokens: 128, top_k: 8 } });
        const err = (c.time_s * 1e6 - us) / us;
        errs.push(Math.abs(err));
        expect(Math.abs(err), `${op} EP${n}`).toBeLessThan(0.11);
      }
    }
    errs.sort((a, b) => a - b);
    expect((errs[5]! + errs[6]!) / 2).toBeLessThan(0.03);
  });
});

describe("invariants", () => {
  const systems = ["dgx-h800", "dgx-h100", "hgx-b200", "gb200-nvl72"].map((id) => loadSystem(id));
  it("wire rates never exceed the links; time grows with bytes; more NIC bandwidth is never slower", () => {
    for (const s of systems) {
      for (const n of [8, 16, 64]) {
        for (const mode of ["normal", "low_latency"] as const) {
          let prev = 0;
          for (const S of [2 ** 16, 2 ** 20, 2 ** 24, 2 ** 28]) {
            const c = estimateCollective(s, "ep_dispatch", S, n, { ep_mode: mode, moe: { top_k: 8 } });
            const f = fabricFor(s, c.placement);
            const t = expertParallelTraffic(S, f, 8, mode);
            expect(t.network_bytes / c.transfer_s).toBeLessThanOrEqual(f.net_rank_bytes_per_s * (1 + 1e-9));
            expect(t.scale_up_bytes / c.transfer_s).toBeLessThanOrEqual(f.up_bytes_per_s * (1 + 1e-9));
            expect(c.time_s, `${s.id} ${n} ${mode} ${S}`).toBeGreaterThan(prev);
            prev = c.time_s;
          }
        }
      }
    }
    const fast = loadSystem("dgx-h800");
    const slow = { ...fast, scale_out: { ...fast.scale_out!, per_chip_bandwidth_bytes_per_s: fast.scale_out!.per_chip_bandwidth_bytes_per_s / 2 } };
    const a = estimateCollective(fast, "ep_combine", 2 ** 26, 32);
    const b = estimateCollective(slow, "ep_combine", 2 ** 26, 32);
    expect(b.time_s).toBeGreaterThan(a.time_s);
  });
  it("the normal mode never moves more than the all-to-all would (a token is sent once per peer, not once per expert)", () => {
    const f = fabricFor(h800, placeRanks(h800, 64, 1));
    const S = 2 ** 26;
    const normal = expertParallelTraffic(S, f, 8, "normal");
    const direct = expertParallelTraffic(S, f, 8, "low_latency");
    expect(normal.network_bytes).toBeLessThan(direct.network_bytes);
    expect(normal.scale_up_bytes).toBeLessThan(direct.scale_up_bytes);
  });
});

describe("mode choice and fallback", () => {
  it("low-latency up to 256 tokens per rank, normal above or when the token count is unknown", () => {
    const S = 2 ** 22;
    expect(estimateCollective(h800, "ep_dispatch", S, 16, { moe: { tokens: 256, top_k: 8 } }).protocol).toBe("DeepEP low-latency");
    expect(estimateCollective(h800, "ep_dispatch", S, 16, { moe: { tokens: 257, top_k: 8 } }).protocol).toBe("DeepEP normal");
    const unknown = estimateCollective(h800, "ep_dispatch", S, 16);
    expect(unknown.protocol).toBe("DeepEP normal");
    expect(unknown.notes.join(" ")).toMatch(/top_k not given: 8/);
  });
  it("libraries without expert-parallel kernels (RCCL, XLA on a torus) price the exchange as an all-to-all", () => {
    for (const [id, n] of [["mi300x-8gpu", 8], ["tpu-v5e-pod", 16]] as const) {
      const s = loadSystem(id);
      const ep = estimateCollective(s, "ep_dispatch", 2 ** 24, n);
      const a2a = estimateCollective(s, "all_to_all", 2 ** 24, n);
      expect(ep.time_s).toBeCloseTo(a2a.time_s, 12);
      expect(ep.notes.join(" ")).toMatch(/priced as an all-to-all/);
    }
  });
  it("a PCIe-only node (no scale-up fabric) has no DeepEP kernels: all-to-all", () => {
    const pcie = systemFromObject({
      id: "l40s-pcie", name: "8x L40S on PCIe", chip: "nvidia-l40s", chips_per_node: 8, collective_library: "nccl",
      scale_up: { name: "PCIe", topology: "none", domain_size: 8, latency: "2 us", efficiency: 0.8 },
    });
    const ep = estimateCollective(pcie, "ep_dispatch", 2 ** 22, 8);
    expect(ep.time_s).toBeCloseTo(estimateCollective(pcie, "all_to_all", 2 ** 22, 8).time_s, 12);
    expect(ep.protocol).not.toMatch(/DeepEP/);
  });
  it("training and inference reach it through layoutNetwork.ep with the block's routing", () => {
    const net = layoutNetwork(h800, 1, 16, 1, 16);
    const S = 4096 * 8 * BF16_TOKEN;
    const viaLayout = net.ep("ep_dispatch", S, { tokens: 4096, top_k: 8 });
    expect(viaLayout).toBeCloseTo(estimateCollective(h800, "ep_dispatch", S, 16, { moe: { tokens: 4096, top_k: 8 } }).time_s, 12);
    // decode-sized batches take the low-latency kernels
    const decode = net.ep("ep_dispatch", 64 * 8 * BF16_TOKEN, { tokens: 64, top_k: 8 });
    expect(decode).toBeCloseTo(estimateCollective(h800, "ep_dispatch", 64 * 8 * BF16_TOKEN, 16, { ep_mode: "low_latency", moe: { top_k: 8 } }).time_s, 12);
  });
});
