import { type Chip, matrixDTypes } from "../../hardware/chip.js";
import { type LinkSummary, linkSummaries, type UnitSummary, unitSummaries } from "../pipeline-parts-summary.js";
import type { System } from "../../network/build-system.js";
import { fmtSi } from "../../report/table.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import type { DType } from "../../units/dtype.js";
import { attentionFlopsPerContextToken, flopsPerTokenForwardLinear, kvCacheBytesPerToken, modelParams } from "../../workload/build-workload.js";
import type { Catalog } from "../catalog.js";
import type { Job } from "../job.js";
import { error, XpusimError } from "../../diagnostics/diagnostic.js";

export { CHIP_KINDS, MODEL_CATEGORIES } from "../../spec/catalog-kinds.js";

export type { Chip } from "../../hardware/chip.js";
export type ChipKind = Chip["kind"];
export type ModelCategory = ModelSpec["category"];

/**
 * What to list and how to filter it. Chips: by kind, vendor (case-insensitive substring) and
 * matrix dtype run natively. Models: by category and a search text (id or name contains it,
 * case-insensitive). Systems: all of them.
 */
export type CatalogRequest =
  | { list: "chips"; kind?: ChipKind; vendor?: string; dtype?: DType }
  | { list: "models"; category?: ModelCategory; search?: string }
  | { list: "systems" }
  | { list: "units" }
  | { list: "links" };

/** The rows, in catalog order, as `xpusim chips|models --json` and `collective --list --json` print them. */
export type CatalogResult = { list: "chips"; rows: ChipSummary[] } | { list: "models"; rows: ModelSummary[] } | { list: "systems"; rows: SystemSummary[] } | { list: "units"; rows: UnitSummary[] } | { list: "links"; rows: LinkSummary[] };

/** One chip's headline figures: peaks, memory, links, power, price, limitations. */
export function chipSummary(c: Chip) {
  const bf16 = c.matrix.peak_flops_per_s.bf16 ?? c.matrix.peak_flops_per_s.fp16;
  return {
    id: c.id,
    name: c.name,
    vendor: c.vendor,
    kind: c.kind,
    family: c.family,
    year: c.year,
    compute_units: c.compute_units,
    matrix_dtypes: matrixDTypes(c),
    peak_bf16_flops_per_s: bf16,
    peak_fp8_flops_per_s: c.matrix.peak_flops_per_s.fp8,
    peak_int8_ops_per_s: c.matrix.peak_flops_per_s.int8,
    peak_fp32_vector_flops_per_s: c.vector.peak_flops_per_s.fp32,
    memory_capacity_bytes: c.memory.main.capacity_bytes,
    memory_bandwidth_bytes_per_s: c.memory.main.bandwidth_bytes_per_s,
    memory_type: c.memory.main.type,
    on_chip_bytes: c.memory.on_chip.reduce((s, l) => s + (l.scope === "unit" ? l.capacity_bytes * c.compute_units : l.capacity_bytes), 0),
    scale_up_bytes_per_s_per_direction: c.interconnect.scale_up?.bandwidth_per_direction_bytes_per_s,
    tdp_w: c.power.tdp_w,
    price_usd: c.cost.price_usd,
    cloud_usd_per_hour: c.cost.cloud_usd_per_hour,
    limitations: c.limitations,
  };
}
export type ChipSummary = ReturnType<typeof chipSummary>;

/** One model's parameter counts, shape, KV cache per token (bf16) and forward FLOPs per token. */
export function modelSummary(m: ModelSpec) {
  const p = modelParams(m);
  const llm = m.category === "decoder-llm";
  return {
    id: m.id,
    name: m.name,
    category: m.category,
    family: m.family,
    params_total: p.params_total,
    params_active: p.params_active,
    params_non_embedding: p.params_non_embedding,
    layers: "layers" in m && typeof m.layers === "number" ? m.layers : undefined,
    hidden_size: "hidden_size" in m && typeof m.hidden_size === "number" ? m.hidden_size : undefined,
    max_context: llm ? m.max_context : undefined,
    kv_cache_bytes_per_token_bf16: llm ? kvCacheBytesPerToken(m, "bf16") : undefined,
    flops_per_token_forward_linear: flopsPerTokenForwardLinear(m),
    flops_per_token_forward_attention_per_context_token: attentionFlopsPerContextToken(m),
    weights_bytes_bf16: p.params_total * 2,
  };
}
export type ModelSummary = ReturnType<typeof modelSummary>;

/** One system's nodes, scale-up domain and link, scale-out NICs and collective library. */
export function systemSummary(s: System) {
  return {
    id: s.id,
    chip: s.chip_id,
    chips_per_node: s.chips_per_node,
    scale_up: `${s.scale_up.topology} of ${s.scale_up.domain_size}`,
    scale_up_bytes_per_s_per_direction: s.scale_up.bandwidth_per_direction_bytes_per_s,
    scale_up_efficiency: s.scale_up.efficiency,
    in_network_reduction: s.scale_up.in_network_reduction?.name ?? "",
    scale_out: s.scale_out ? `${s.scale_out.nics_per_node} x ${fmtSi(s.scale_out.nic_rate_bytes_per_s * 8, "b/s")}` : "",
    library: s.library.id,
  };
}
export type SystemSummary = ReturnType<typeof systemSummary>;

type ChipFilter = Extract<CatalogRequest, { list: "chips" }>;
type ModelFilter = Extract<CatalogRequest, { list: "models" }>;

/** Whether a chip passes the request's filters. */
export function chipMatches(c: Chip, f: Omit<ChipFilter, "list">): boolean {
  if (f.kind && c.kind !== f.kind) return false;
  if (f.vendor && !c.vendor.toLowerCase().includes(f.vendor.toLowerCase())) return false;
  return !f.dtype || matrixDTypes(c).includes(f.dtype);
}

/** Whether a model passes the request's filters (ids are lower case; names are compared lower-cased). */
export function modelMatches(m: ModelSpec, f: Omit<ModelFilter, "list">): boolean {
  if (f.category && m.category !== f.category) return false;
  if (!f.search) return true;
  const q = f.search.toLowerCase();
  return m.id.includes(q) || m.name.toLowerCase().includes(q);
}

/** The result for a request's `list` (chips → chip rows, ...). */
export type CatalogResultFor<R extends CatalogRequest> = Extract<CatalogResult, { list: R["list"] }>;

/** Lists the catalog the request names, filtered; typed by the list asked for. */
export function listCatalog<R extends CatalogRequest>(req: R, catalog: Catalog): CatalogResultFor<R> {
  return listAny(req, catalog) as CatalogResultFor<R>;
}

function listAny(req: CatalogRequest, catalog: Catalog): CatalogResult {
  if (req.list === "chips") {
    return { list: "chips", rows: catalog.chipIds().map((id) => catalog.chip(id)).filter((c) => chipMatches(c, req)).map(chipSummary) };
  }
  if (req.list === "models") {
    return { list: "models", rows: catalog.modelIds().map((id) => catalog.model(id)).filter((m) => modelMatches(m, req)).map(modelSummary) };
  }
  if (req.list === "systems") return { list: "systems", rows: catalog.systemIds().map((id) => systemSummary(catalog.system(id)!)) };
  if (req.list === "units") return { list: "units", rows: unitSummaries(catalog) };
  if (req.list === "links") return { list: "links", rows: linkSummaries(catalog) };
  throw new XpusimError(error("E_SCHEMA", "list", "expected chips, models, systems, units or links", { got: JSON.stringify((req as { list?: unknown }).list) ?? "nothing" }));
}

/** A `Job` whose `run` is typed by the list asked for. */
export const catalogJob: Omit<Job<CatalogRequest, CatalogResult>, "run"> & { run: typeof listCatalog } = {
  id: "catalog",
  summary: "the chip, model, system, pipeline-unit or link catalog, filtered, one summary row each",
  supports: "chips by kind, vendor and native matrix dtype; models by category and id/name text; every system",
  run: listCatalog,
};
