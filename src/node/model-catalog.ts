import { existsSync } from "node:fs";
import { basename } from "node:path";
import { type Diagnostic, unknownId, XpusimError } from "../core/diagnostics/diagnostic.js";
import { resolveExtendsChain } from "../core/spec/merge.js";
import type { ModelSpec } from "../core/spec/model-spec.js";
import { catalogStore, type CatalogStore } from "./catalog-folder.js";
import { readDocument } from "./read-document.js";
import { specSupport } from "./spec-support-loader.js";

/**
 * The built-in model catalog: catalog/models/<id>.yaml, one architecture per file, read from the
 * compiled catalog (validated at build time) when it is current, else from the files; loaded
 * lazily, one model at a time. `loadModel` also accepts a path to a model spec (YAML/JSON, may `extends:` a
 * catalog model) or to a Hugging Face config.json (imported by hf-import.ts; its warnings are kept
 * by `loadModelDetailed`).
 */
const built = new Map<string, LoadedModel>();

export interface LoadedModel {
  spec: ModelSpec;
  /** Importer warnings (unknown Hugging Face fields); empty for catalog and spec files. */
  warnings: Diagnostic[];
  /** The file it came from. */
  file: string;
  source: "catalog" | "spec-file" | "hf-config";
}

const store = (): CatalogStore => catalogStore("models");

export function modelIds(): string[] {
  return store().ids();
}

/** Merges `extends:` chains (a catalog id) into a raw model document. */
function resolveExtends(raw: unknown, file: string | undefined, seen: string[]): unknown {
  return resolveExtendsChain(raw, "model", (id) => (store().has(id) ? store().raw(id) : undefined), modelIds, { file, seen });
}

/** Validates an inline model object (e.g. from a scenario file); resolves `extends:`. */
export function modelFromObject(raw: unknown, file?: string): ModelSpec {
  const { isHfConfig, importHfConfig, parseModelSpec } = specSupport();
  if (isHfConfig(raw)) return importHfConfig(raw, file ? { file } : {}).spec;
  return parseModelSpec(resolveExtends(raw, file, []), file);
}

/** A catalog model, a model spec file or a Hugging Face config.json, with importer warnings. */
export function loadModelDetailed(idOrPath: string): LoadedModel {
  const cached = built.get(idOrPath);
  if (cached) return cached;
  let loaded: LoadedModel;
  if (store().has(idOrPath)) {
    const file = store().file(idOrPath);
    const spec = store().compiled<ModelSpec>(idOrPath, "spec") ?? specSupport().parseModelSpec(resolveExtends(store().raw(idOrPath), file, [idOrPath]), file);
    loaded = { spec, warnings: [], file, source: "catalog" };
  } else if (/\.(ya?ml|json)$/i.test(idOrPath) || existsSync(idOrPath)) {
    const raw = readDocument(idOrPath);
    const { isHfConfig, importHfConfig, parseModelSpec } = specSupport();
    if (isHfConfig(raw)) {
      const id = basename(idOrPath).replace(/\.json$/i, "").replace(/^config$/, "hf-model");
      const r = importHfConfig(raw, { file: idOrPath, id });
      loaded = { spec: r.spec, warnings: r.warnings, file: idOrPath, source: "hf-config" };
    } else {
      loaded = { spec: parseModelSpec(resolveExtends(raw, idOrPath, []), idOrPath), warnings: [], file: idOrPath, source: "spec-file" };
    }
  } else {
    throw new XpusimError(unknownId("model", idOrPath, [...modelIds(), ...aliasList()]));
  }
  built.set(idOrPath, loaded);
  return loaded;
}

/** A catalog model by id or alias, a model spec file, or a Hugging Face config.json path. */
export function loadModel(idOrPath: string): ModelSpec {
  const byAlias = aliasMap().get(idOrPath.toLowerCase());
  return loadModelDetailed(byAlias ?? idOrPath).spec;
}

export function loadAllModels(): ModelSpec[] {
  return modelIds().map(loadModel);
}

let aliases: Map<string, string> | undefined;
function aliasMap(): Map<string, string> {
  if (aliases) return aliases;
  aliases = new Map();
  for (const id of modelIds()) {
    const list = store().aliases(id);
    if (Array.isArray(list)) for (const a of list) if (typeof a === "string" && !store().has(a)) aliases.set(a.toLowerCase(), id);
  }
  return aliases;
}

function aliasList(): string[] {
  return [...aliasMap().keys()];
}
