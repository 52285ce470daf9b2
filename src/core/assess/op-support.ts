import type { ChipSupport, SupportRule } from "../hardware/chip-support.js";
import type { Op } from "../workload/op.js";

/**
 * Matches a chip's sourced `support:` rules (hardware/chip-support.ts) against a workload op: a
 * selector is `kind` or `kind:variant` (spec/chip-support-spec.ts lists the variants per kind).
 */

/** The variants of an op a selector may name (see SUPPORT_VARIANTS). */
function variantsOf(op: Op): string[] {
  switch (op.kind) {
    case "gemm":
      return [op.b_is_weight ? "weights" : "activations"];
    case "conv2d":
      return op.groups === 1 ? [] : op.groups === op.c_in ? ["depthwise"] : ["grouped"];
    case "attention":
      return [...(op.window !== undefined ? ["sliding-window"] : []), ...(op.kv_heads < op.heads ? ["gqa"] : []), ...(op.head_dim_qk !== op.head_dim_v ? ["mla"] : [])];
    case "norm":
      return [op.norm];
    case "elementwise":
      // A fused gate ("silu*mul", "gelu*mul") is named by its whole fn or by each of its parts.
      return [op.fn, ...op.fn.split("*")];
    case "pool":
      return [op.pool];
    default:
      return [];
  }
}

/** True when `selector` ("attention", "gemm:activations") names this op. */
export function selectorMatches(selector: string, op: Op): boolean {
  const [kind, variant] = selector.split(":");
  if (kind !== op.kind) return false;
  return variant === undefined || variantsOf(op).includes(variant);
}

/** The first rule of the chip that names this op, with the selector that matched; undefined when none does. */
export function unsupportedRuleFor(support: ChipSupport, op: Op): { rule: SupportRule; selector: string } | undefined {
  for (const rule of support.unsupported) {
    const selector = rule.ops.find((s) => selectorMatches(s, op));
    if (selector) return { rule, selector };
  }
  return undefined;
}
