import { z } from "zod";
import { sourced, sourceRefs } from "./sourced.js";

/**
 * The `support:` section of a chip file (issue #9, flexibility): what the chip's toolchain cannot run
 * natively, beyond the dtypes (which the peak tables already say: a dtype with no matrix or vector
 * peak has no engine). Each rule names op kinds (or kind:variant selectors) and what happens to them:
 * `host` (the compiler partitions the graph and the op runs on the host CPU) or `impossible` (no host
 * path: the model does not compile). A chip without the section has no known op restrictions — the
 * flexibility factor says so ("op support not in the catalog"), never that everything is supported.
 * See docs/chip-spec.md (`support:`) and docs/assess.md (flexibility).
 */

/** Op kinds a rule may name (the workload graph's kinds, src/core/workload/op.ts; collectives are the network's). */
export const SUPPORT_OP_KINDS = ["gemm", "conv2d", "attention", "softmax", "norm", "elementwise", "embedding", "pool"] as const;
export type SupportOpKind = (typeof SUPPORT_OP_KINDS)[number];

/**
 * Variants a selector `kind:variant` may name, per kind. gemm: `weights` (B is a parameter: a
 * fully-connected layer) or `activations` (both operands computed: batched matmul); conv2d:
 * `depthwise`, `grouped`; attention: `sliding-window`, `gqa` (fewer KV heads than heads), `mla`
 * (K and V head dims differ); norm: the norm; pool: the pool; elementwise: the op's `fn` or one part
 * of a fused gate (free text: gelu, silu, relu6, tanh, add, rope; `silu*mul` matches `silu` and `mul`). softmax and embedding have no variants.
 */
export const SUPPORT_VARIANTS: Readonly<Record<SupportOpKind, readonly string[] | "any">> = {
  gemm: ["weights", "activations"],
  conv2d: ["depthwise", "grouped"],
  attention: ["sliding-window", "gqa", "mla"],
  softmax: [],
  norm: ["layernorm", "rmsnorm", "batchnorm", "groupnorm"],
  elementwise: "any",
  embedding: [],
  pool: ["max", "avg", "global_avg"],
};

/** Where an unsupported op goes: the host CPU (the toolchain partitions the graph), or nowhere. */
export const FALLBACK_KINDS = ["host", "impossible"] as const;
export type FallbackKind = (typeof FALLBACK_KINDS)[number];

/**
 * How the toolchain splits a graph with unsupported ops: `per-op` (each unsupported op runs on the
 * host and the graph returns to the chip after it: TensorRT DLA → GPU, Vitis AI DPU → CPU subgraphs),
 * `single-cut` (the Edge TPU compiler: from the first unsupported op on, everything runs on the CPU),
 * or `unknown` (taken as per-op: the cheaper reading).
 */
export const PARTITION_KINDS = ["per-op", "single-cut", "unknown"] as const;
export type PartitionKind = (typeof PARTITION_KINDS)[number];

/** Whether the toolchain runs shapes that change between calls, or compiles the graph for fixed ones. */
export const SHAPE_KINDS = ["dynamic", "static", "unknown"] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

const selectorRe = /^([a-z0-9]+)(?::([a-z0-9_\-]+))?$/;

/** A selector is `kind` or `kind:variant` with a known kind and (except elementwise) a known variant. */
const selector = z.string().superRefine((s, ctx) => {
  const m = selectorRe.exec(s);
  const kind = m?.[1] as SupportOpKind | undefined;
  if (!m || !kind || !(SUPPORT_OP_KINDS as readonly string[]).includes(kind)) {
    ctx.addIssue({ code: "custom", message: `expected an op kind (${SUPPORT_OP_KINDS.join(", ")}) or kind:variant, got "${s}"` });
    return;
  }
  const variants = SUPPORT_VARIANTS[kind];
  if (m[2] !== undefined && variants !== "any" && !variants.includes(m[2])) {
    ctx.addIssue({ code: "custom", message: `${kind} has ${variants.length ? `variants ${variants.join(", ")}` : "no variants"}, got "${m[2]}"` });
  }
});

const provenance = {
  source: sourceRefs.optional(),
  derived: z.string().optional(),
  estimated: z.boolean().optional(),
  note: z.string().optional(),
};

const unsupportedRule = z.strictObject({
  /** Op kinds or kind:variant selectors ("attention", "gemm:activations", "elementwise:gelu"). */
  ops: z.array(selector).min(1),
  fallback: z.enum(FALLBACK_KINDS),
  /** Why, in the toolchain's words ("Gather is not in the Edge TPU op table"). */
  reason: z.string().min(1),
  ...provenance,
});

export const chipSupportSchema = z.strictObject({
  /** Ops the chip's toolchain does not run on the chip, and where they go. */
  unsupported: z.array(unsupportedRule).default([]),
  partition: sourced(z.enum(PARTITION_KINDS)).optional(),
  shapes: sourced(z.enum(SHAPE_KINDS)).optional(),
  note: z.string().optional(),
});

export type ChipSupportSpec = z.output<typeof chipSupportSchema>;
