import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";

/**
 * Which inputs a model category takes: decoder LLMs read prompt and generated tokens (and keep a KV
 * cache), encoders read tokens only, vision models (ViT, CNN, UNet) read images. A request that sets
 * an input the model does not take is refused, naming the field (front ends translate field names
 * to their own: flags, form fields), instead of being silently ignored.
 */
export type ModelInput = "tokens" | "generated tokens" | "kv cache" | "images";

export function modelTakes(model: ModelSpec, input: ModelInput): boolean {
  switch (model.category) {
    case "decoder-llm":
      return input !== "images";
    case "encoder":
      return input === "tokens";
    default:
      return input === "images";
  }
}

/** Whether the model reads tokens (decoder or encoder), as opposed to images. */
export function isTokenModel(model: ModelSpec): boolean {
  return modelTakes(model, "tokens");
}

/** The model category in words, for messages ("a cnn model: images, not tokens"). */
function described(model: ModelSpec): string {
  const article = /^[aeiou]/.test(model.category) ? "an" : "a";
  return `${model.id} (${article} ${model.category} model: ${isTokenModel(model) ? (modelTakes(model, "generated tokens") ? "tokens" : "tokens, no generation") : "images, not tokens"})`;
}

/**
 * Refuses every request field that is set but names an input the model does not take.
 * `fields`: request field → [its value (undefined = not set), the input it describes, the field to use instead].
 */
export function checkInputsApply(model: ModelSpec, fields: Record<string, [unknown, ModelInput, string?]>): void {
  const diags = Object.entries(fields)
    .filter(([, [value, input]]) => value !== undefined && !modelTakes(model, input))
    .map(([field, [, , instead]]) => error("E_UNSUPPORTED", field, `${field} does not apply to ${described(model)}`, instead ? { hint: `use ${instead}` } : {}));
  if (diags.length) throw new XpusimError(diags);
}

/** The longest token context a token model takes; undefined for image models. */
export function maxContext(model: ModelSpec): number | undefined {
  return model.category === "decoder-llm" || model.category === "encoder" ? model.max_context : undefined;
}
