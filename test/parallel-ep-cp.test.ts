import { describe, expect, it } from "vitest";
import { estimateInference } from "../src/core/estimate/estimate-inference.js";
import { estimateTraining, type TrainingRequest } from "../src/core/estimate/estimate-training.js";
import { contextParallelProblem, ringExposedS } from "../src/core/parallel/context-parallel.js";
import { allToAllWireBytes, routedExpertParams, shardExpertParallel } from "../src/core/parallel/expert-parallel.js";
import { searchTrainingLayouts } from "../src/core/search/training-search.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { loadSystem } from "../src/node/system-catalog.js";

const h100 = contextFor(loadChip("nvidia-h100-sxm"));
const dgxH = loadSystem("dgx-h100");
const mixtral = loadModel("mixtral-8x7b");
const deepseek = loadModel("deepseek-v3");
const llama8b = loadModel("llama-3.1-8b");
const P = DEFAULT_PRECISION;

const mixReq: TrainingRequest = { model: mixtral, precision: P, ep: 1, cp: 1, global_batch: 64, seq_len: 4096, recompute: "selective", chips: 64, tp: 2, pp: 4, dp: 8, zero: 1, microbatch: 1, sp: true, system: dgxH };
const l8Req: TrainingRequest = { model: llama8b, precision: P, ep: 1, cp: 1, global_batch: 32, seq_len: 8192, recompute: "none", chips: 16, tp: 2, pp: 1, dp: 8, zero: 1, microbatch: 1, sp: true, system: dgxH };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("expert parallelism", () => {
  it("all-to-all bytes per MoE layer: T·k·d·bytes·(ep−1)/ep per rank, dispatch and combine", () => {
    // Mixtral: d = 4096, top-2; 4096 tokens in bf16 over ep = 8: 4096·2·4096·2·7/8 = 58,720,256 B.
    expect(allToAllWireBytes(4096, 2, 4096, 2, 8)).toBe(58_720_256);
    const g = buildWorkload(mixtral, { batch: 1, new_tokens: 4096, context_tokens: 4096, phase: "forward", training: true }, P);
    const moe = g.blocks.find((b) => b.ops.some((o) => o.name === "moe.router"))!;
    const sh = shardExpertParallel(moe.ops, 8);
    expect(sh.comm.map((c) => [c.collective, c.bytes, c.ranks, c.moe])).toEqual([
      ["ep_dispatch", 4096 * 2 * 4096 * 2, 8, { tokens: 4096, top_k: 2 }],
      ["ep_combine", 4096 * 2 * 4096 * 2, 8, { tokens: 4096, top_k: 2 }],
    ]);
    // One expert per rank, all 8192 routed tokens of the group's 8 × 4096 … per busy expert: 32768·2/8.
    const gate = sh.ops.find((o) => o.name === "moe.experts.gate_up_proj")!;
    expect(gate.kind === "gemm" && [gate.batch, gate.m]).toEqual([1, 8192]);
    expect(shardExpertParallel(moe.ops, 1).comm).toEqual([]);
  });

  it("ep = 1 and cp = 1 add no communication and keep the memory captured before ep/cp existed", () => {
    // Memory does not depend on the cost models, so these byte counts are stable; times are
    // compared structurally (the cost models keep improving, so captured times would go stale).
    const a = estimateTraining(mixReq, h100);
    expect(a.memory_per_chip_bytes).toBe(63496585216);
    expect(a.memory_breakdown_bytes.weights).toBe(11741569024);
    expect(a.step_breakdown_s.expert_parallel_comm).toBe(0);
    expect(a.step_breakdown_s.context_parallel_comm).toBe(0);
    const parts = a.step_breakdown_s;
    expect(parts.communication_exposed).toBeCloseTo(parts.tensor_parallel_comm + parts.pipeline_p2p + parts.data_parallel_exposed, 12);
    const b = estimateTraining(l8Req, h100);
    expect(b.memory_per_chip_bytes).toBe(50627706880);
    const c = estimateInference({ model: mixtral, precision: P, batch: 8, input_tokens: 2048, output_tokens: 128, chips: 8, tp: 4, pp: 1, system: dgxH, fit_search: false }, h100);
    expect(c.memory_per_chip_bytes).toBe(24805707776);
    const c1 = estimateInference({ model: mixtral, precision: P, batch: 8, input_tokens: 2048, output_tokens: 128, chips: 8, tp: 4, pp: 1, ep: 1, cp: 1, system: dgxH, fit_search: false }, h100);
    expect(c1.ttft_s).toBe(c.ttft_s);
    expect(c1.tpot_s).toBe(c.tpot_s);
  });

  it("divides routed-expert weights and gradients by ep, keeps dense weights, prices 4 all-to-alls per layer", () => {
    const e1 = estimateTraining(mixReq, h100);
    const e4 = estimateTraining({ ...mixReq, ep: 4 }, h100);
    // Routed experts of one stage (8 layers of 32) at tp = 2: 8·8·3·4096·14336/2 parameters.
    const stageExperts = (8 * 8 * 3 * 4096 * 14336) / 2;
    const wb = 2;
    expect(e1.memory_breakdown_bytes.weights - e4.memory_breakdown_bytes.weights).toBeCloseTo(stageExperts * (3 / 4) * wb, -3);
    expect(e1.memory_breakdown_bytes.gradients - e4.memory_breakdown_bytes.gradients).toBeCloseTo(stageExperts * (3 / 4) * 4, -3);
    // ZeRO-1 over dp/ep for experts: the optimizer share is unchanged (E/ep over dp/ep = E/dp).
    expect(rel(e4.memory_breakdown_bytes.optimizer, e1.memory_breakdown_bytes.optimizer)).toBeLessThan(1e-9);
    expect(e4.step_breakdown_s.expert_parallel_comm).toBeGreaterThan(0);
    expect(e4.layout.ep).toBe(4);
    expect(routedExpertParams(mixtral)).toBe(32 * 8 * 3 * 4096 * 14336);
  });

  it("rejects ep that does not divide the experts or dp, and ep on dense models", () => {
    const msg = (r: TrainingRequest) => {
      try {
        estimateTraining(r, h100);
      } catch (e) {
        return (e as XpusimError).diagnostics.map((d) => `${d.path}: ${d.message}`).join(" | ");
      }
      return "";
    };
    expect(msg({ ...mixReq, ep: 3 })).toMatch(/parallelism\.ep: ep = 3 does not divide the 8 experts/);
    expect(msg({ ...mixReq, chips: 32, pp: 4, tp: 2, dp: 4, ep: 8 })).toMatch(/ep = 8 does not divide dp = 4/);
    expect(msg({ ...l8Req, ep: 2 })).toMatch(/needs a mixture-of-experts model/);
    expect(() => estimateInference({ model: mixtral, precision: P, batch: 8, input_tokens: 128, output_tokens: 8, chips: 8, tp: 4, pp: 1, ep: 4, system: dgxH, fit_search: false }, h100)).toThrow(/ep = 4 does not divide the 2 data-parallel replicas/);
  });

  it("the search returns ep > 1 layouts for Mixtral and DeepSeek-V3, all valid", () => {
    const mix = searchTrainingLayouts({ model: mixtral, precision: P, seq_len: 4096, chips: 64, global_batch: 256, system: dgxH, top: Infinity }, h100);
    const withEp = mix.top.filter((e) => e.layout.ep > 1);
    expect(withEp.length).toBeGreaterThan(0);
    for (const e of mix.top) {
      expect(8 % e.layout.ep).toBe(0);
      expect(e.layout.dp % e.layout.ep).toBe(0);
      expect(e.layout.tp * e.layout.pp * e.layout.dp * e.layout.cp).toBe(64);
    }
    const ds = searchTrainingLayouts({ model: deepseek, precision: P, seq_len: 4096, chips: 1024, global_batch: 1024, system: dgxH, top: 20, recompute_options: ["full"], zero_options: [1], max_microbatch: 1 }, h100);
    expect(ds.feasible).toBeGreaterThan(0);
    expect(ds.best!.layout.ep).toBeGreaterThan(1);
    for (const e of ds.top) expect(256 % e.layout.ep === 0 && e.layout.dp % e.layout.ep === 0).toBe(true);
  });

  it("MoE decode with ep reads 1/ep of the experts: lower TPOT and weights per chip", () => {
    const base = { model: mixtral, precision: P, batch: 16, input_tokens: 512, output_tokens: 32, chips: 16, tp: 2, pp: 1, system: dgxH, fit_search: false } as const;
    const e1 = estimateInference(base, h100);
    const e8 = estimateInference({ ...base, ep: 8 }, h100);
    expect(e8.memory_breakdown_bytes.weights).toBeCloseTo(e1.memory_breakdown_bytes.weights - (routedExpertParams(mixtral) * (7 / 8) * 2) / 2, -3);
    expect(e8.tpot_s).toBeLessThan(e1.tpot_s);
    expect(e8.phases.prefill.comm_s!).toBeGreaterThan(e1.phases.prefill.comm_s!);
  });
});

describe("context parallelism", () => {
  it("cp = 2 halves the activation memory per chip; model FLOPs unchanged", () => {
    const c1 = estimateTraining(l8Req, h100);
    const c2 = estimateTraining({ ...l8Req, chips: 32, cp: 2 }, h100);
    expect(c2.memory_breakdown_bytes.activations).toBe(c1.memory_breakdown_bytes.activations / 2);
    expect(c2.model_flops_per_step).toBe(c1.model_flops_per_step);
    // Same dp, twice the chips: the step is faster (each rank runs half the tokens).
    expect(c2.step_time_s).toBeLessThan(c1.step_time_s);
    expect(c2.layout.cp).toBe(2);
  });

  it("ring exposure is max(0, send − block) per step, and s must divide by 2·cp", () => {
    expect(ringExposedS(4, 1e-3, 2e-3)).toBeCloseTo(3 * 0.5e-3, 12);
    expect(ringExposedS(4, 1e-3, 8e-3)).toBe(0);
    expect(ringExposedS(1, 1, 0)).toBe(0);
    expect(contextParallelProblem(8192, 3)?.message).toMatch(/not divisible by 2·cp = 6/);
    expect(contextParallelProblem(8192, 4)).toBeUndefined();
    expect(() => estimateTraining({ ...l8Req, chips: 48, cp: 3 }, h100)).toThrow(/2·cp = 6/);
  });

  it("long-context prefill: cp = 4 cuts TTFT and the KV cache per chip", () => {
    const base = { model: llama8b, precision: P, batch: 1, input_tokens: 65536, output_tokens: 16, chips: 2, tp: 2, pp: 1, system: dgxH, fit_search: false } as const;
    const c1 = estimateInference(base, h100);
    const c4 = estimateInference({ ...base, chips: 8, cp: 4 }, h100);
    expect(c4.ttft_s).toBeLessThan(c1.ttft_s / 2.5);
    expect(c4.ttft_s).toBeGreaterThan(c1.ttft_s / 4.5);
    expect(c4.memory_breakdown_bytes.kv_cache).toBe(c1.memory_breakdown_bytes.kv_cache / 4);
    expect(c4.cp).toBe(4);
  });
});
