/** The Roofline view's inputs, as the URL holds them (strings; blank = the job's default). */
export const ROOFLINE_DEFAULTS = {
  chip: "nvidia-h100-sxm",
  /** "model" (a forward pass: the breakdown job) or "op" (one GEMM: the op job). */
  source: "model",
  model: "llama-3.1-8b",
  phase: "prefill",
  batch: "1",
  /** Prefill: new tokens per sequence; decode: tokens in the context (the step adds one). */
  tokens: "2048",
  dtype: "bf16",
  m: "4096",
  n: "4096",
  k: "4096",
};

export type RooflineState = typeof ROOFLINE_DEFAULTS;
