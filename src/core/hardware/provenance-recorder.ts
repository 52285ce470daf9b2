import type { Provenance, SourcedValue } from "../spec/sourced.js";

/**
 * Collects where each figure of a normalised model came from while it is built: `take` unwraps a
 * sourced spec value and records its provenance (the spec's default source when the value names
 * none); `derive` records a figure computed from others. Keys keep the order they were recorded in.
 */
export class ProvenanceRecorder {
  readonly provenance: Record<string, Provenance> = {};
  private readonly defaultSource: Provenance["source"] | undefined;

  constructor(source: number | number[] | undefined) {
    this.defaultSource = source === undefined ? undefined : Array.isArray(source) ? source : [source];
  }

  /** The value of a sourced spec field (undefined when absent), its provenance recorded at `path`. */
  take<T>(path: string, v: SourcedValue<T> | undefined): T | undefined {
    if (!v) return undefined;
    const { value, ...prov } = v;
    const p: Provenance = { ...prov };
    if (!p.source && this.defaultSource) p.source = this.defaultSource;
    this.provenance[path] = p;
    return value;
  }

  /** Records a figure derived from others, with the formula as its explanation. */
  derive(path: string, derived: string): void {
    this.provenance[path] = { derived, ...(this.defaultSource ? { source: this.defaultSource } : {}) };
  }
}
