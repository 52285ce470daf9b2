import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { DType } from "../units/dtype.js";
import { checkInputsApply, maxContext, modelTakes } from "./model-inputs.js";

/**
 * What `compare` runs on every chip, with its defaults: a static-batch inference (batch 1; LLMs
 * 2048 prompt + 256 generated tokens, encoders their prompt, vision models an image at the
 * model's resolution) or one single-chip training step (--training: global batch = batch, else
 * the micro-batch, else 1; seq 2048 capped at the model's context; micro-batch and recompute, when
 * not given, chosen per chip by the training chooser: the fastest that fits). Inputs that do not fit the model's category or the mode are refused, naming the field.
 */
export interface CompareWorkloadRequest {
  training?: boolean;
  /** Inference batch, or the training global batch (default 1). */
  batch?: number;
  input_tokens?: number;
  output_tokens?: number;
  image_size?: number;
  seq_len?: number;
  /** Training global batch (same as batch; both may be given when equal). */
  global_batch?: number;
  microbatch?: number;
  recompute?: "none" | "selective" | "full";
  kv_cache?: DType;
  tp?: number;
  system?: unknown;
}

/** The resolution a vision model runs at when none is given. */
function defaultImageSize(model: ModelSpec): number | undefined {
  if (model.category === "vision-transformer") return model.image_size;
  if (model.category === "cnn") return model.input.image_size;
  if (model.category === "diffusion-unet") return model.sample_size * model.vae_scale_factor;
  return undefined;
}

export interface CompareWorkload {
  mode: "inference" | "training";
  category: ModelSpec["category"];
  /** What throughput counts: generated tokens (decoder LLMs), sequences (encoders) or images. */
  unit: "token" | "sequence" | "image";
  /** Inference batch, or training global batch. */
  batch: number;
  input_tokens?: number;
  output_tokens?: number;
  /** Vision models: the image size, given or the model's own. */
  image_size?: number;
  seq_len?: number;
  /** Training micro-batch as given; absent = chosen per chip (the fastest layout that fits, search/training-defaults.ts). */
  microbatch?: number;
  /** Training recompute as given; absent = chosen per chip like the micro-batch. */
  recompute?: "none" | "selective" | "full";
  /** Tensor-parallel chips per replica (inference). */
  tp: number;
}

const TRAINING_ONLY = ["seq_len", "global_batch", "microbatch", "recompute"] as const;
const INFERENCE_ONLY = ["input_tokens", "output_tokens", "kv_cache", "tp", "system"] as const;

function checkMode(req: CompareWorkloadRequest): void {
  const [wrong, mode] = req.training ? [INFERENCE_ONLY, "inference"] : [TRAINING_ONLY, "training"];
  const diags = wrong.filter((f) => req[f] !== undefined).map((f) => error("E_UNSUPPORTED", f, `${f} applies to ${mode} comparisons only`));
  if (diags.length) throw new XpusimError(diags);
  if (req.training && req.batch !== undefined && req.global_batch !== undefined && req.batch !== req.global_batch) {
    throw new XpusimError(error("E_RANGE", "global_batch", `global_batch ${req.global_batch} and batch ${req.batch} disagree (for training both name the global batch)`, { hint: "give one of them" }));
  }
}

export function compareWorkload(model: ModelSpec, req: CompareWorkloadRequest): CompareWorkload {
  checkMode(req);
  checkInputsApply(model, {
    input_tokens: [req.input_tokens, "tokens", "image_size"],
    output_tokens: [req.output_tokens, "generated tokens"],
    kv_cache: [req.kv_cache, "kv cache"],
    seq_len: [req.seq_len, "tokens", "image_size"],
    image_size: [req.image_size, "images", modelTakes(model, "generated tokens") ? "input_tokens" : undefined],
  });
  const unit = modelTakes(model, "generated tokens") ? "token" : modelTakes(model, "tokens") ? "sequence" : "image";
  const ctx = maxContext(model);
  const image = req.image_size ?? defaultImageSize(model);
  const common = { category: model.category, unit, ...(image !== undefined ? { image_size: image } : {}) } as const;
  if (req.training) {
    const seq = unit === "image" ? {} : { seq_len: req.seq_len ?? Math.min(2048, ctx ?? 2048) };
    const mb = req.microbatch !== undefined ? { microbatch: req.microbatch } : {};
    const rc = req.recompute !== undefined ? { recompute: req.recompute } : {};
    return { mode: "training", ...common, batch: req.global_batch ?? req.batch ?? req.microbatch ?? 1, ...seq, ...mb, ...rc, tp: 1 };
  }
  const output = unit === "token" ? (req.output_tokens ?? 256) : undefined;
  const input = unit === "image" ? undefined : (req.input_tokens ?? Math.min(2048, Math.max(1, (ctx ?? 2048) - (output ?? 0))));
  return { mode: "inference", ...common, batch: req.batch ?? 1, ...(input !== undefined ? { input_tokens: input } : {}), ...(output !== undefined ? { output_tokens: output } : {}), tp: req.tp ?? 1 };
}
