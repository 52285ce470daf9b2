import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { estimateInference, type InferenceEstimate, type InferenceRequest } from "../../estimate/estimate-inference.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { resolveSoftware, type SoftwareRef } from "../software-stack.js";
import { type PrecisionInput, resolvePrecision } from "../../workload/precision.js";

/** A model served on `chips` chips (prefill + decode), with the chip and model as references. */
export interface InferenceJobRequest extends Omit<InferenceRequest, "model" | "system" | "speculative" | "precision"> {
  chip: SpecRef;
  /** Missing fields follow compute (bf16 when unset): `{ compute: "fp8" }`, `{ compute: "bf16", weights: "int4" }`. */
  precision?: PrecisionInput;
  model: SpecRef;
  system?: SpecRef;
  speculative?: { draft_tokens: number; acceptance_rate: number; draft_model?: SpecRef };
  options?: EvaluateOptions;
  /** The software stack (catalog/software id or alias, or `{ id, ...overrides }`); unset: the default for the chip and model. options.execution, when set, overrides it. */
  software?: SoftwareRef;
}

export const inferenceJob = defineJob<InferenceJobRequest, InferenceEstimate>({
  id: "inference",
  summary: "a model's prefill and decode on one or more chips: latency, throughput, memory, energy, cost",
  supports: "decoder LLMs (dense, MoE, MLA), encoders, ViT, CNNs; tp, pp, ep, cp; weight-only quantisation; speculative decoding",
  scenarioKinds: ["inference"],
  fromScenario(s) {
    if (!("model" in s.workload)) {
      throw new XpusimError(error("E_SCHEMA", "workload", `kind: ${s.kind} needs \`workload: { model: <id or path> }\``, { hint: "use kind: op for a single operator" }));
    }
    const par = s.parallelism;
    const inf = s.inference ?? { batch: 1, input_tokens: 1, output_tokens: 0 };
    return {
      chip: s.hardware.chip,
      model: s.workload.model,
      precision: s.precision,
      batch: inf.batch,
      input_tokens: inf.input_tokens,
      output_tokens: inf.output_tokens,
      chips: s.hardware.count,
      tp: par.tp,
      pp: par.pp,
      ...(par.ep > 1 ? { ep: par.ep } : {}),
      ...(par.cp > 1 ? { cp: par.cp } : {}),
      ...(s.hardware.system !== undefined ? { system: s.hardware.system } : {}),
      ...(inf.image_size ? { image_size: inf.image_size } : {}),
      ...(inf.speculative ? { speculative: inf.speculative } : {}),
      ...(s.software !== undefined ? { software: s.software } : {}),
      options: { ...(s.execution ? { execution: s.execution } : {}), ...(s.cost_model ? { costModel: s.cost_model } : {}) },
    };
  },
  run(req, catalog) {
    const { chip: chipRef, model: modelRef, system: systemRef, speculative, options, precision, software: softwareRef, ...rest } = req;
    const chip = catalog.chip(chipRef);
    const model = catalog.model(modelRef);
    const stack = resolveSoftware(softwareRef, { kind: "inference", chip, category: model.category }, catalog, { execution: options?.execution });
    const execution = stack.used.settings.execution ?? "graph";
    const multi = (req.tp ?? 1) * (req.pp ?? 1) * (req.ep ?? 1) * (req.cp ?? 1) > 1;
    const system = multi ? catalog.system(systemRef, chip, req.chips) : undefined;
    const e = estimateInference(
      {
        ...rest,
        precision: resolvePrecision(precision),
        model,
        ...(system ? { system } : {}),
        ...(speculative
          ? {
              speculative: {
                draft_tokens: speculative.draft_tokens,
                acceptance_rate: speculative.acceptance_rate,
                ...(speculative.draft_model !== undefined ? { draft: catalog.model(speculative.draft_model) } : {}),
              },
            }
          : {}),
      },
      catalog.context(chip),
      { ...(options ?? {}), execution },
    );
    const notes = [...stack.notes, ...Object.keys(stack.extra).map((k) => `software.${k} is not an inference stack setting; passed over`)];
    return { ...e, ...(notes.length ? { warnings: [...e.warnings, ...notes] } : {}), software: stack.used };
  },
});
