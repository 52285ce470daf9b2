import type { Catalog } from "./catalog.js";

/** One fixed-function unit as `xpusim pipeline --units` lists it: every published rate. */
export interface UnitSummary {
  id: string;
  name: string;
  kind: string;
  vendor?: string;
  found_in: string[];
  /** "h264 1080p 2280/s (estimated)", … */
  rates: string[];
}

/** One link id as `xpusim pipeline --links` lists it (each variant at its default or widest lanes). */
export interface LinkSummary {
  id: string;
  family: string;
  name: string;
  bytes_per_s: number;
  latency_s: number;
}

export function unitSummaries(catalog: Catalog): UnitSummary[] {
  const parts = catalog.pipelineParts();
  return parts.unitIds().map((id) => {
    const u = parts.unit(id);
    return {
      id,
      name: u.name,
      kind: u.kind,
      ...(u.vendor ? { vendor: u.vendor } : {}),
      found_in: u.found_in ?? [],
      rates: u.rates.map((r) => `${r.codec} ${r.resolution} ${r.frames_per_s}/s${r.estimated ? " (estimated)" : ""}`),
    };
  });
}

export function linkSummaries(catalog: Catalog): LinkSummary[] {
  const parts = catalog.pipelineParts();
  return parts.linkExamples().map((id) => {
    const l = parts.link(id);
    return { id, family: l.family, name: l.name, bytes_per_s: l.bytes_per_s, latency_s: l.latency_s };
  });
}
