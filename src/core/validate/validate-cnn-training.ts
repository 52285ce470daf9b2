import { estimateTraining } from "../estimate/estimate-training.js";
import type { System } from "../network/build-system.js";
import { dtypeOf, executionOf, num } from "./point-config.js";
import { pointSystem, type PointContext, type ValidationResult } from "./validation-result.js";

/**
 * CNN training throughput (category cnn_training): pure data parallelism over the point's chips,
 * `batch_per_gpu` images per chip in one micro-batch (256, the reference scripts' default, if unstated).
 */
export function validateCnnTrainingPoint(pc: PointContext): ValidationResult {
  const { p, cfg } = pc;
  const model = pc.r.modelByName(p.model, cfg);
  if (typeof model === "string") return pc.unsupported(model);
  const dt = dtypeOf(cfg) ?? "fp32";
  let perChip = num(cfg.batch_per_gpu);
  if (perChip === undefined) {
    perChip = 256;
    pc.assumptions.push("batch per GPU not stated: 256 assumed (the script default)");
  }
  let system: System | undefined;
  if (p.chip_count > 1) {
    const sys = pointSystem(pc);
    if (typeof sys === "string") return pc.unsupported(sys);
    system = sys;
  }
  const e = estimateTraining(
    {
      model,
      precision: { compute: dt, weights: dt, activations: dt, kv_cache: dt },
      global_batch: perChip * p.chip_count,
      seq_len: 1,
      recompute: "none",
      chips: p.chip_count,
      tp: 1,
      pp: 1,
      dp: p.chip_count,
      ep: 1,
      cp: 1,
      zero: 0,
      microbatch: perChip,
      ...(system ? { system } : {}),
      ...(num(cfg.image) ? { image_size: num(cfg.image)! } : {}),
    },
    pc.ctx,
    { execution: executionOf(cfg) },
  );
  if (p.metric !== "throughput") return pc.unsupported(`metric "${p.metric}" is not understood for cnn_training`);
  return pc.ok(e.samples_per_s);
}
