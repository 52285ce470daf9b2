import { estimateOpSpec } from "../estimate/estimate-op.js";
import { kernelMetric } from "./kernel-metric.js";
import { dtypeOf, num } from "./point-config.js";
import type { PointContext, ValidationResult } from "./validation-result.js";

/**
 * One attention kernel (category attention: FlashAttention-style benchmarks), forward pass. Config:
 * batch, heads, head_dim, seq (or seq_q/seq_kv), causal (default true), kv_heads, fused (default true),
 * dtype. FLOPs as FlashAttention-2 (Dao 2023, §4.1) counts them: 4·batch·heads·seq_q·seq_kv·head_dim,
 * halved when causal.
 */
export function validateAttentionPoint(pc: PointContext): ValidationResult {
  const { cfg } = pc;
  const batch = num(cfg.batch) ?? 1;
  const heads = num(cfg.heads);
  const headDim = num(cfg.head_dim);
  const seqKv = num(cfg.seq_kv) ?? num(cfg.seq);
  if (!heads || !headDim || !seqKv) return pc.unsupported('config needs "heads", "head_dim" and "seq" (or seq_kv) for an attention kernel');
  if (/backward|bwd|fwd_?bwd|training/i.test(String(cfg.pass ?? cfg.direction ?? ""))) return pc.unsupported('config "pass": only the forward pass of an attention kernel is predicted; give forward-pass measurements');
  const seqQ = num(cfg.seq_q) ?? seqKv;
  const causal = cfg.causal !== false;
  const dt = dtypeOf(cfg) ?? "bf16";
  const kvHeads = num(cfg.kv_heads);
  const e = estimateOpSpec(
    { type: "attention", batch, heads, ...(kvHeads ? { kv_heads: kvHeads } : {}), head_dim: headDim, seq_q: seqQ, seq_kv: seqKv, causal, phase: "prefill", fused: cfg.fused !== false, dtype: dt },
    pc.ctx,
  );
  const flops = 4 * batch * heads * seqQ * seqKv * headDim * (causal ? 0.5 : 1);
  return kernelMetric(pc, flops, e.latency_s, dt);
}
