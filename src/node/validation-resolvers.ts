/**
 * Resolvers for the validation harness: hardware names → catalog chips (aliases), model names →
 * catalog models (catalog/validation/model-names.yaml), and models given only by their dimensions
 * ("13B GPT (h=5120,L=40,heads=40,ffn=20480)", or config.model_dims) → a Megatron-style GPT:
 * GeLU MLP, learned positions, LayerNorm, biases, tied embeddings, vocabulary padded to 51,200
 * (Narayanan et al. 2021, §5: the vocabulary Megatron uses for its GPT runs).
 */
import type { ModelSpec } from "../core/spec/model-spec.js";
import type { ValidationResolvers } from "../core/validate/run-validation.js";
import { XpusimError } from "../core/diagnostics/diagnostic.js";
import type { System } from "../core/network/build-system.js";
import { findChipByAlias } from "./chip-catalog.js";
import { defaultSystemDocument, resolveSystemAlias, systemFromObject } from "./system-catalog.js";
import { loadAllModels, loadModel, modelFromObject, modelIds } from "./model-catalog.js";
import { matchModelName, type NamedModel } from "./model-name-match.js";
import { catalogDocument } from "./catalog-folder.js";
import { contextFor } from "./resolvers.js";
import { nodeLookups } from "./node-lookups.js";

let supplements: Record<string, { config: Record<string, unknown>; source: string }> | undefined;
let names: Record<string, { model: string; why?: string }> | undefined;
function modelNames(): Record<string, { model: string; why?: string }> {
  names ??= catalogDocument("validation/model-names.yaml") as Record<string, { model: string; why?: string }>;
  return names;
}

/** Parses "h=5120,L=40,heads=40,ffn=20480" (in a name or a model_dims field). */
export function parseModelDims(text: string): { h: number; L: number; heads: number; ffn: number } | undefined {
  const get = (k: string) => {
    const m = new RegExp(`(?:^|[,(\\s])${k}=(\\d+)`).exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const h = get("h");
  const L = get("L");
  const heads = get("heads");
  const ffn = get("ffn");
  return h && L && heads && ffn ? { h, L, heads, ffn } : undefined;
}

export function gptFromDims(name: string, d: { h: number; L: number; heads: number; ffn: number }, maxContext = 2048): ModelSpec {
  return modelFromObject({
    id: name.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "") || "gpt-from-dims",
    name,
    category: "decoder-llm",
    layers: d.L,
    hidden_size: d.h,
    vocab_size: 51200,
    max_context: maxContext,
    tied_embeddings: true,
    position: { type: "learned", learned_rows: maxContext },
    attention: { heads: d.heads, kv_heads: d.heads, head_dim: d.h / d.heads, qkv_bias: true, o_bias: true },
    ffn: { type: "gelu", intermediate_size: d.ffn, bias: true },
    norm: { type: "layernorm", placement: "pre", per_layer: 2 },
  });
}

/** "8x HDR 200 Gb/s", "4x100 Gb/s", "8 x 400Gbps": NICs per node and line rate in Gb/s, if the text states them. */
export function parseNics(text: string): { count: number; gbps: number; technology?: string } | undefined {
  const m = /(\d+)\s*[x×]\s*(?:([A-Za-z]{2,4})\s+)?(\d+(?:\.\d+)?)\s*G(?:b|bit)(?:\/s|ps)\b/i.exec(text);
  if (!m) return undefined;
  const tech = /\b(RoCE|EFA|IB|InfiniBand|Ethernet|GbE)\b/i.exec(text)?.[1] ?? m[2];
  return { count: Number(m[1]), gbps: Number(m[3]), ...(tech ? { technology: tech } : {}) };
}

/**
 * The system of a collective measurement: a catalog system named in the text ("DGX A100", "AWS
 * p4d"), else the default system of the chip it names; NICs stated in the text ("4x HDR 200 Gb/s per
 * node") replace the system's, keeping its NIC efficiency and latency (stated as an assumption).
 */
export function systemByName(hardware: string, _chipCount: number): { system: System; assumptions: string[] } | string {
  const assumptions: string[] = [];
  let doc: Record<string, unknown>;
  const id = resolveSystemAlias(hardware);
  if (id) doc = { extends: id, id };
  else {
    const chip = findChipByAlias(hardware);
    if (!chip) return `hardware "${hardware}" names no catalog system or chip`;
    doc = defaultSystemDocument(chip);
    assumptions.push(`no system named: ${String(doc.extends ?? doc.id)} (default system of ${chip.id})`);
  }
  const nics = parseNics(hardware);
  if (nics) {
    if (typeof doc.extends !== "string") return `"${hardware}" states NICs but the generic system of its chip has no scale-out network to re-rate`;
    doc = { ...doc, id: `${String(doc.id)}-${nics.count}x${nics.gbps}g`, scale_out: { nics_per_node: nics.count, nic_rate: `${nics.gbps} Gb/s`, name: `${nics.count}x ${nics.technology ?? ""} ${nics.gbps} Gb/s`.replace(/\s+/g, " ") } };
    assumptions.push(`NICs from the text: ${nics.count} x ${nics.gbps} Gb/s${nics.technology ? ` ${nics.technology}` : ""} per node, with the NIC efficiency and latency of ${String(doc.extends)}`);
  }
  try {
    return { system: systemFromObject(doc), assumptions };
  } catch (e) {
    if (e instanceof XpusimError) return e.diagnostics.map((d) => d.message).join("; ");
    throw e;
  }
}

let named: NamedModel[] | undefined;
/** Every catalog model with the names that mean it (id, name, aliases) and the model-names.yaml names mapped to it. */
function namedModels(): NamedModel[] {
  if (named) return named;
  const byId = new Map<string, string[]>();
  for (const m of loadAllModels()) byId.set(m.id, [m.id, m.name ?? m.id, ...(m.aliases ?? [])]);
  for (const [text, entry] of Object.entries(modelNames())) byId.get(entry.model)?.push(text);
  named = [...byId].map(([id, names]) => ({ id, names }));
  return named;
}

/** A model given inline in the point's config: a Hugging Face config.json object or an xpusim model spec. */
function inlineModel(text: string, config: Record<string, unknown>): ModelSpec | string | undefined {
  const raw = config.model_config;
  if (raw === undefined) return undefined;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return `config "model_config" must be an object (a Hugging Face config.json or an xpusim model spec)`;
  const withId = "id" in raw ? raw : { ...raw, id: text.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "") };
  try {
    return modelFromObject(withId, "model_config");
  } catch (e) {
    if (e instanceof XpusimError) return `config "model_config": ${e.diagnostics.map((d) => `${d.path ? `${d.path}: ` : ""}${d.message}`).join("; ")}`;
    throw e;
  }
}

/** The model a point names: inline config, exact model-names.yaml entry, catalog match (names-matched loosely), or dimensions. */
function modelFor(text: string, config: Record<string, unknown>): { model: ModelSpec; assumption?: string } | string {
  const inline = inlineModel(text, config);
  if (inline !== undefined) return typeof inline === "string" ? inline : { model: inline, assumption: `model "${text}" built from the point's model_config` };
  const entry = modelNames()[text];
  if (entry) return { model: loadModel(entry.model) };
  if (modelIds().includes(text)) return { model: loadModel(text) };
  const dims = parseModelDims(text) ?? (typeof config.model_dims === "string" ? parseModelDims(config.model_dims) : undefined);
  if (dims) return { model: gptFromDims(text, dims, Math.max(2048, Number(config.seq ?? config.context_len ?? 0) || 0)) };
  const match = matchModelName(text, namedModels());
  if ("reason" in match) return match.reason;
  return { model: loadModel(match.id), ...(match.assumption ? { assumption: match.assumption } : {}) };
}

interface EngineHostEntry {
  engine: string;
  versions: { below?: string; from?: string };
  gpu_busy_fraction: number;
  source: string;
}
let engineHosts: Record<string, EngineHostEntry> | undefined;

/** "1.10.2" vs "1.9" → positive when a > b (numeric per dot-separated part). */
function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The catalog entry (catalog/validation/serving-engine-host.yaml) for the engine and version a framework text names. */
function engineHostFor(framework: string): { gpu_busy_fraction: number; entry: string; source: string } | undefined {
  engineHosts ??= catalogDocument("validation/serving-engine-host.yaml") as Record<string, EngineHostEntry>;
  const text = framework.toLowerCase();
  for (const [id, e] of Object.entries(engineHosts)) {
    const m = new RegExp(`\\b${e.engine}\\b[^0-9]*v?(\\d+(?:\\.\\d+)*)`).exec(text);
    if (!m) continue;
    const v = m[1]!;
    if (e.versions.below !== undefined && compareVersions(v, e.versions.below) >= 0) continue;
    if (e.versions.from !== undefined && compareVersions(v, e.versions.from) < 0) continue;
    return { gpu_busy_fraction: e.gpu_busy_fraction, entry: id, source: e.source };
  }
  return undefined;
}

export function validationResolvers(): ValidationResolvers {
  return {
    chipByName: findChipByAlias,
    systemByName,
    engineHost: engineHostFor,
    software: (id) => nodeLookups().software.load(id, "config.software"),
    supplement(id) {
      supplements ??= catalogDocument("validation/point-supplements.yaml") as Record<string, { config: Record<string, unknown>; source: string }>;
      return supplements[id];
    },
    modelByName(text, config) {
      const m = modelFor(text, config);
      return typeof m === "string" ? m : m.model;
    },
    modelNote(text, config) {
      const m = modelFor(text, config);
      return typeof m === "string" ? undefined : m.assumption;
    },
    context: contextFor,
  };
}
