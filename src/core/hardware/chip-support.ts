import type { ChipSpec } from "../spec/chip-spec.js";
import type { FallbackKind, PartitionKind, ShapeKind } from "../spec/chip-support-spec.js";
import type { Op } from "../workload/op.js";
import type { ProvenanceRecorder } from "./provenance-recorder.js";

/**
 * The normalised `support:` section of a chip (chip-support-spec.ts): the ops its toolchain does not
 * run natively and where they go. Provenance is recorded under `support.unsupported[i]`,
 * `support.partition` and `support.shapes`. `known` is false when the file has no section: op support
 * is then unknown (the cost models' dtype and kind checks still apply).
 */
export interface SupportRule {
  ops: string[];
  fallback: FallbackKind;
  reason: string;
}

export interface ChipSupport {
  known: boolean;
  unsupported: SupportRule[];
  partition: PartitionKind;
  shapes: ShapeKind;
  note?: string;
}

export function unknownSupport(): ChipSupport {
  return { known: false, unsupported: [], partition: "unknown", shapes: "unknown" };
}

export function buildSupport(spec: ChipSpec, rec: ProvenanceRecorder): ChipSupport {
  const s = spec.support;
  if (!s) return unknownSupport();
  const unsupported = s.unsupported.map((r, i): SupportRule => {
    const { ops, fallback, reason, ...prov } = r;
    rec.take(`support.unsupported[${i}]`, { value: ops.join(", "), ...prov });
    return { ops, fallback, reason };
  });
  return {
    known: true,
    unsupported,
    partition: rec.take("support.partition", s.partition) ?? "unknown",
    shapes: rec.take("support.shapes", s.shapes) ?? "unknown",
    ...(s.note ? { note: s.note } : {}),
  };
}

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
      return [op.fn];
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
