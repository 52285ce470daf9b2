/**
 * The closed vocabularies of the catalog (chip kinds, model categories), zod-free so front ends can
 * offer them as choices without loading the schemas; chip-spec.ts and model-spec.ts validate against them.
 */
export const CHIP_KINDS = ["gpu", "tpu", "npu", "cpu", "fpga", "wafer-scale", "lpu", "ipu", "edge-soc", "asic"] as const;

export const MODEL_CATEGORIES = ["decoder-llm", "encoder", "vision-transformer", "cnn", "diffusion-unet"] as const;
