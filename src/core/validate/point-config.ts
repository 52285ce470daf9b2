import { type DType, toDType } from "../units/dtype.js";
import type { Precision } from "../workload/precision.js";

/**
 * Reading the free-form `config` of a measured point: numbers written as text ("8 (per GPU)"), the
 * dtype as the source words it ("AMP (fp16)"), and the framework's execution style.
 */

/** 8, "8" or "8 (per GPU)" → 8; anything else → undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const m = v.match(/^\s*(\d+)/);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

/** Parses "AMP (fp16)", "FP8 (weights+KV)", "fp16 mixed" → a dtype. */
export function dtypeOf(config: Record<string, unknown>): DType | undefined {
  const raw = String(config.dtype ?? "");
  const m = raw.toLowerCase().match(/fp64|fp32|tf32|bf16|fp16|fp8|int8|int4|fp4|float16|bfloat16/);
  return m ? toDType(m[0]) : undefined;
}

/** Frameworks that dispatch kernels one by one from Python (no CUDA graphs / TensorRT). */
export function executionOf(config: Record<string, unknown>): "graph" | "eager" {
  const fw = `${String(config.framework ?? "")} ${String(config.engine ?? "")}`.toLowerCase().replace(/\b(no|without)\s+(tensorrt|cuda graphs?)/g, "");
  if (/tensorrt|cuda graph|xla|jax|fastertransformer/.test(fw)) return "graph";
  return /pytorch|eager/.test(fw) ? "eager" : "graph";
}

/**
 * True when the point ran PyTorch automatic mixed precision ("AMP (fp16)", "autocast"): fp32 weights
 * kept, each layer's weights cast to fp16/bf16 every pass (one extra kernel per weighted layer).
 */
export function isAutocast(config: Record<string, unknown>): boolean {
  return /\bamp\b|autocast/.test(String(config.dtype ?? "").toLowerCase());
}

/** Inference precision: one dtype throughout; FP8 serving keeps bf16 activations unless the KV cache is named. */
export function precisionFor(dt: DType, config: Record<string, unknown>): Precision {
  const raw = String(config.dtype ?? "").toLowerCase();
  if (dt === "fp8") return { compute: "fp8", weights: "fp8", activations: raw.includes("kv") ? "fp8" : "bf16", kv_cache: "fp8" };
  return { compute: dt, weights: dt, activations: dt, kv_cache: dt };
}

const COUNT_SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12 };

/** A count as papers write it: 1.4e12, "1.4T", "1.4T tokens", "300B", "1,200,000" → the number; else undefined. */
export function countOf(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  const m = v.match(/^\s*(\d[\d,_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([kKMBGT](?![a-z]))?/);
  if (!m) return undefined;
  return Number(m[1]!.replace(/[,_]/g, "")) * (m[2] ? COUNT_SUFFIX[m[2]]! : 1);
}
