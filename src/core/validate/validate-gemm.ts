import { estimateOpSpec } from "../estimate/estimate-op.js";
import { dtypeOf, num } from "./point-config.js";
import type { PointContext, ValidationResult } from "./validation-result.js";

/** A GEMM of config M×N×K (× batch): its latency, or "achieved_tflops" as MAMF-style tables give it. */
export function validateGemmPoint(pc: PointContext): ValidationResult {
  const { p, cfg } = pc;
  const dt = dtypeOf(cfg) ?? "fp16";
  const M = num(cfg.M);
  const N = num(cfg.N);
  const K = num(cfg.K);
  if (!M || !N || !K) return pc.unsupported("config needs M, N and K");
  const batch = num(cfg.batch) ?? 1;
  const e = estimateOpSpec({ type: "gemm", m: M, n: N, k: K, batch, dtype: dt }, pc.ctx);
  // "achieved_tflops": the 2·M·N·K·batch FLOPs of the product over its time.
  if (p.metric === "achieved_tflops") return pc.ok((2 * M * N * K * batch) / e.latency_s);
  if (p.metric !== "latency") return pc.unsupported(`metric "${p.metric}" for gemm is not understood`);
  return pc.ok(e.latency_s);
}
