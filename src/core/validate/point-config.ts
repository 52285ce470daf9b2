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

/**
 * How the measured stack issued kernels: "graph" for captured/compiled graphs (CUDA graphs, XLA, JAX),
 * "stream" for native runtimes that launch kernel after kernel without a captured graph (TensorRT and
 * TensorRT-LLM's C++ runtime — gptSessionBenchmark / gptManagerBenchmark, CUDA graphs off by default —
 * and FasterTransformer), "eager" for Python frameworks dispatching op by op (PyTorch).
 */
export function executionOf(config: Record<string, unknown>): "graph" | "eager" | "stream" {
  const fw = `${String(config.framework ?? "")} ${String(config.engine ?? "")} ${String(config.mode ?? "")}`.toLowerCase().replace(/\b(no|without)\s+(tensorrt|cuda graphs?)/g, "");
  if (/cuda graph|xla|jax/.test(fw)) return "graph";
  if (/tensorrt|fastertransformer|gptsessionbenchmark|gptmanagerbenchmark/.test(fw)) return "stream";
  return /pytorch|eager/.test(fw) ? "eager" : "graph";
}

/**
 * The decode-attention kernel of the measured engine: "per_head" (masked multi-head attention on the
 * CUDA cores) for FasterTransformer and TensorRT-LLM before v0.8 (XQA, the GQA tensor-core kernel,
 * became the default generation kernel in v0.8; its static-batch gptSessionBenchmark runs of v0.5-0.7
 * used MMHA); otherwise "packed" (cost/contract.ts DecodeAttentionKernel).
 */
export function decodeAttentionOf(config: Record<string, unknown>): "packed" | "per_head" {
  const fw = `${String(config.framework ?? "")} ${String(config.engine ?? "")}`.toLowerCase();
  if (/fastertransformer/.test(fw)) return "per_head";
  const v = fw.match(/(?:tensorrt[- ]?llm|trt[- ]?llm)\s*v?(\d+)\.(\d+)/);
  if (v && Number(v[1]) === 0 && Number(v[2]) < 8) return "per_head";
  return "packed";
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
