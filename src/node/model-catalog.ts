/**
 * The built-in model catalog: catalog/models/<id>.yaml, one architecture per file, read from the
 * compiled catalog (validated at build time) when it is current, else from the files; loaded
 * lazily, one model at a time. `loadModel` also accepts a path to a model spec (YAML/JSON, may `extends:` a
 * catalog model) or to a Hugging Face config.json (imported by hf-import.ts; its warnings are kept
 * by `loadModelDetailed`). The lookups themselves are src/core/catalog/model-lookup.ts.
 */
import type { LoadedModel } from "../core/catalog/model-lookup.js";
import type { ModelSpec } from "../core/spec/model-spec.js";
import { nodeLookups } from "./node-lookups.js";

export type { LoadedModel };

const models = () => nodeLookups().models;

export function modelIds(): string[] {
  return models().ids();
}

/** Validates an inline model object (e.g. from a scenario file); resolves `extends:`. */
export function modelFromObject(raw: unknown, file?: string): ModelSpec {
  return models().fromObject(raw, file);
}

/** A catalog model, a model spec file or a Hugging Face config.json, with importer warnings. */
export function loadModelDetailed(idOrPath: string): LoadedModel {
  return models().loadDetailed(idOrPath);
}

/** A catalog model by id or alias, a model spec file, or a Hugging Face config.json path. */
export function loadModel(idOrPath: string): ModelSpec {
  return models().load(idOrPath);
}

export function loadAllModels(): ModelSpec[] {
  return modelIds().map(loadModel);
}
