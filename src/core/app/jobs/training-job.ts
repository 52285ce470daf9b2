import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { estimateTraining, type TrainingEstimate, type TrainingRequest } from "../../estimate/estimate-training.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { resolvePrecision } from "../../workload/precision.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";

/** One training step of a model on a given layout, with the chip, model and system as references. */
export interface TrainingJobRequest extends Omit<TrainingRequest, "model" | "system"> {
  chip: SpecRef;
  model: SpecRef;
  system?: SpecRef;
  options?: EvaluateOptions;
}

export const trainingJob = defineJob<TrainingJobRequest, TrainingEstimate>({
  id: "training",
  summary: "one training step on a given parallel layout: step time, MFU, memory per chip, communication, energy, cost",
  supports: "Megatron-style tp·sp·pp·dp·ep·cp, ZeRO 0-3, recompute none/selective/full; LLMs, encoders, ViT, CNNs",
  scenarioKinds: ["training"],
  fromScenario(s) {
    if (!("model" in s.workload)) {
      throw new XpusimError(error("E_SCHEMA", "workload", `kind: ${s.kind} needs \`workload: { model: <id or path> }\``, { hint: "use kind: op for a single operator" }));
    }
    const tr = s.training;
    if (!tr) throw new XpusimError(error("E_SCHEMA", "training", "kind: training needs a `training: { global_batch, seq_len }` section"));
    const par = s.parallelism;
    // dp left at 1 fills the chips the other degrees leave: dp = count / (tp·pp·cp) when that divides.
    const modelParallel = par.tp * par.pp * par.cp;
    const dp = par.dp === 1 && s.hardware.count % modelParallel === 0 ? s.hardware.count / modelParallel : par.dp;
    return {
      chip: s.hardware.chip,
      model: s.workload.model,
      ...(s.hardware.system !== undefined ? { system: s.hardware.system } : {}),
      sp: par.sp,
      interleave: par.interleave,
      flash_attention: tr.flash_attention,
      dropout: tr.dropout,
      overlap_grad_reduce: tr.overlap_grad_reduce,
      ...(tr.grad_bucket_bytes ? { grad_bucket_bytes: tr.grad_bucket_bytes } : {}),
      precision: resolvePrecision(s.precision),
      global_batch: tr.global_batch,
      seq_len: tr.seq_len ?? 2048,
      recompute: tr.recompute,
      chips: s.hardware.count,
      tp: par.tp,
      pp: par.pp,
      dp,
      ep: par.ep,
      cp: par.cp,
      zero: par.zero,
      microbatch: par.microbatch,
      ...(tr.tokens !== undefined ? { tokens: tr.tokens } : {}),
      ...(tr.image_size ? { image_size: tr.image_size } : {}),
      options: { execution: s.execution, ...(s.cost_model ? { costModel: s.cost_model } : {}) },
    };
  },
  run(req, catalog) {
    const { chip: chipRef, model: modelRef, system: systemRef, options, ...rest } = req;
    const chip = catalog.chip(chipRef);
    const system = req.chips > 1 ? catalog.system(systemRef, chip, req.chips) : undefined;
    return estimateTraining({ ...rest, model: catalog.model(modelRef), ...(system ? { system } : {}) }, catalog.context(chip), options ?? {});
  },
});
