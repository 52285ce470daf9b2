import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { scenarioSpec } from "../../spec/scenario-spec.js";
import { parseWith } from "../../spec/validate.js";
import { normaliseMeasuredFile } from "../../validate/collectives-file.js";
import { measuredFileSchema } from "../../validate/measured-point.js";
import { runValidation, type ValidationSummary } from "../../validate/run-validation.js";
import type { FpgaPrediction, ServingPrediction } from "../../validate/validation-result.js";
import type { Catalog } from "../catalog.js";
import { defineJob } from "../job.js";
import { servingRequestFromScenario } from "../serving-scenario.js";
import { servingJob } from "./serving-job.js";
import { fpgaJob, type FpgaJobRequest } from "./fpga-job.js";

export type { ValidationSummary } from "../../validate/run-validation.js";

/**
 * Measured results to predict, given as data (the front end reads the file): an array of measured
 * points in the shape of measured-public.json, a `{ points: [...] }` object, or nccl-tests entries in
 * the shape of collectives-public.json (converted per entry).
 */
export interface ValidationJobRequest {
  measured: unknown;
  /** Where the data came from; named in errors. */
  file?: string;
  /** Only the points of this category (an error lists the categories present when none match). */
  category?: string;
}

export const validationJob = defineJob<ValidationJobRequest, ValidationSummary>({
  id: "validation",
  summary: "measured results predicted point by point: signed error of each, median, p90 and max |error| per category and overall",
  supports: "gemm, cnn/llm inference, serving benchmarks (through the kind: serving scenario), FPGA accelerator designs (through the fpga job), cnn/llm training, activation memory, transformer layer (LLMCompass per-op), collectives (nccl-tests); other points are listed with the reason",
  run(req, catalog) {
    const resolvers = catalog.validationResolvers?.();
    if (!resolvers) {
      throw new XpusimError(error("E_UNSUPPORTED", "", "this catalog has no validation resolvers (hardware and model names of measured files)", { hint: "use the Node catalog (nodeCatalog())" }));
    }
    const file = req.file;
    let points = parseWith(measuredFileSchema, normaliseMeasuredFile(req.measured, file), file);
    if (req.category !== undefined) {
      const categories = [...new Set(points.map((p) => p.category))];
      if (!categories.includes(req.category)) {
        throw new XpusimError(
          error("E_UNKNOWN_ID", "category", `no point of ${file ?? "the measured results"} has category "${req.category}"`, { hint: `its categories: ${categories.join(", ")}` }),
        );
      }
      points = points.filter((p) => p.category === req.category);
    }
    return runValidation(points, { ...resolvers, serving: (scenario) => servingPrediction(scenario, catalog), fpga: (request) => fpgaPrediction(request, catalog) });
  },
});

/**
 * A serving point's scenario through the scenario contract, as `xpusim estimate` runs it: parsed
 * against the scenario schema, turned into the serving job's request, simulated.
 */
export function servingPrediction(scenario: Record<string, unknown>, catalog: Catalog): ServingPrediction {
  const request = servingRequestFromScenario(parseWith(scenarioSpec, scenario, "serving point"), catalog);
  const r = servingJob.run(request, catalog);
  return {
    output_tokens_per_s: r.output_tokens_per_s,
    requests_per_s: r.requests_per_s,
    ...(r.ttft_mean_s !== undefined ? { ttft_mean_s: r.ttft_mean_s } : {}),
    ...(r.tpot_mean_s !== undefined ? { tpot_mean_s: r.tpot_mean_s } : {}),
    ...(r.e2e_latency_mean_s !== undefined ? { e2e_latency_mean_s: r.e2e_latency_mean_s } : {}),
    fits: r.fits,
    chips: r.chips,
    ...(request.notes?.length ? { notes: request.notes } : {}),
  };
}

/** An fpga point's design through the fpga job (the request as data, from the point's config). */
export function fpgaPrediction(request: Record<string, unknown>, catalog: Catalog): FpgaPrediction {
  const r = fpgaJob.run(request as unknown as FpgaJobRequest, catalog);
  const t = r.design?.totals;
  const d = r.design;
  const notes = d ? [`design Tm × Tn = ${d.tm} × ${d.tn} (${d.macs_per_cycle} MACs, ${d.resources.dsp} DSP) at ${(d.clock_hz / 1e6).toFixed(0)} MHz (${d.clock_source})`] : [];
  return {
    feasible: r.feasible,
    ...(r.shortfall ? { reason: `${r.shortfall.resource} needs ${r.shortfall.needed}, the device has ${r.shortfall.available}` } : {}),
    ops_per_s: t?.ops_per_s ?? 0,
    peak_ops_per_s: t?.peak_ops_per_s ?? 0,
    throughput_per_s: t?.throughput_per_s ?? 0,
    latency_s: t?.latency_s ?? 0,
    dsp_efficiency: t?.dsp_efficiency ?? 0,
    power_w: d?.power.total_w ?? 0,
    notes,
  };
}
