import type { ChipSpec } from "../spec/chip-spec.js";
import type { FallbackKind, PartitionKind, ShapeKind } from "../spec/chip-support-spec.js";
import type { ProvenanceRecorder } from "./provenance-recorder.js";

/**
 * The normalised `support:` section of a chip (chip-support-spec.ts): the ops its toolchain does not
 * run natively and where they go. Provenance is recorded under `support.unsupported[i]`,
 * `support.partition` and `support.shapes`; assess/op-support.ts matches a rule against an op. `known` is false when the file has no section: op support
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
