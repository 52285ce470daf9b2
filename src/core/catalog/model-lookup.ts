import { type Diagnostic, unknownId, XpusimError } from "../diagnostics/diagnostic.js";
import { resolveExtendsChain } from "../spec/merge.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { CatalogStore, SpecFiles } from "./catalog-store.js";
import { baseName, looksLikeSpecFile } from "./names.js";
import type { SpecSupportLoader } from "./spec-support-type.js";

export interface LoadedModel {
  spec: ModelSpec;
  /** Importer warnings (unknown Hugging Face fields); empty for catalog and spec files. */
  warnings: Diagnostic[];
  /** The file it came from. */
  file: string;
  source: "catalog" | "spec-file" | "hf-config";
}

/** The model catalog over a store: ids, aliases, `extends:`, Hugging Face config.json imports. */
export interface ModelLookup {
  ids(): string[];
  /** A catalog model by id or alias, a model spec file, or a Hugging Face config.json path. */
  load(idOrPath: string): ModelSpec;
  /** The same by id or path (no aliases), with importer warnings. */
  loadDetailed(idOrPath: string): LoadedModel;
  /** Validates an inline model object (a model spec, may `extends:`; or an HF config.json object). */
  fromObject(raw: unknown, file?: string): ModelSpec;
}

export function createModelLookup(store: CatalogStore, support: SpecSupportLoader, files: SpecFiles): ModelLookup {
  const built = new Map<string, LoadedModel>();
  const ids = (): string[] => store.ids();
  const resolveExtends = (raw: unknown, file: string | undefined, seen: string[]): unknown =>
    resolveExtendsChain(raw, "model", (id) => (store.has(id) ? store.raw(id) : undefined), ids, { file, seen });

  let aliases: Map<string, string> | undefined;
  const aliasMap = (): Map<string, string> => {
    if (aliases) return aliases;
    aliases = new Map();
    for (const id of ids()) {
      const list = store.aliases(id);
      if (Array.isArray(list)) for (const a of list) if (typeof a === "string" && !store.has(a)) aliases.set(a.toLowerCase(), id);
    }
    return aliases;
  };

  const fromFile = (path: string): LoadedModel => {
    const raw = files.read(path);
    const { isHfConfig, importHfConfig, parseModelSpec } = support();
    if (isHfConfig(raw)) {
      const id = baseName(path).replace(/\.json$/i, "").replace(/^config$/, "hf-model");
      const r = importHfConfig(raw, { file: path, id });
      return { spec: r.spec, warnings: r.warnings, file: path, source: "hf-config" };
    }
    return { spec: parseModelSpec(resolveExtends(raw, path, []), path), warnings: [], file: path, source: "spec-file" };
  };

  const loadDetailed = (idOrPath: string): LoadedModel => {
    const cached = built.get(idOrPath);
    if (cached) return cached;
    let loaded: LoadedModel;
    if (store.has(idOrPath)) {
      const file = store.file(idOrPath);
      const spec = store.compiled<ModelSpec>(idOrPath, "spec") ?? support().parseModelSpec(resolveExtends(store.raw(idOrPath), file, [idOrPath]), file);
      loaded = { spec, warnings: [], file, source: "catalog" };
    } else if (looksLikeSpecFile(idOrPath) || files.exists(idOrPath)) {
      loaded = fromFile(idOrPath);
    } else {
      throw new XpusimError(unknownId("model", idOrPath, [...ids(), ...aliasMap().keys()]));
    }
    built.set(idOrPath, loaded);
    return loaded;
  };

  return {
    ids,
    loadDetailed,
    load: (idOrPath) => loadDetailed(aliasMap().get(idOrPath.toLowerCase()) ?? idOrPath).spec,
    fromObject(raw, file) {
      const { isHfConfig, importHfConfig, parseModelSpec } = support();
      if (isHfConfig(raw)) {
        // an inline config.json may carry the id its owner gave it (a front end's upload of qwen2.5-7b.json)
        const id = typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : undefined;
        return importHfConfig(raw, { ...(file ? { file } : {}), ...(id ? { id } : {}) }).spec;
      }
      return parseModelSpec(resolveExtends(raw, file, []), file);
    },
  };
}
