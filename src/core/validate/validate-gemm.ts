import { estimateOpSpec } from "../estimate/estimate-op.js";
import { dtypeOf, num } from "./point-config.js";
import { kernelMetric } from "./kernel-metric.js";
import type { PointContext, ValidationResult } from "./validation-result.js";

/** A GEMM of config M×N×K (× batch): its latency, "achieved_tflops" as MAMF-style tables give it, or its share of peak. */
export function validateGemmPoint(pc: PointContext): ValidationResult {
  const { cfg } = pc;
  const dt = dtypeOf(cfg) ?? "fp16";
  const M = num(cfg.M);
  const N = num(cfg.N);
  const K = num(cfg.K);
  if (!M || !N || !K) return pc.unsupported("config needs M, N and K");
  const batch = num(cfg.batch) ?? 1;
  const e = estimateOpSpec({ type: "gemm", m: M, n: N, k: K, batch, dtype: dt }, pc.ctx);
  // The 2·M·N·K·batch FLOPs of the product.
  return kernelMetric(pc, 2 * M * N * K * batch, e.latency_s, dt);
}
