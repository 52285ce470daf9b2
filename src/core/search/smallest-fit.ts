import type { CostContext } from "../cost/contract.js";
import { estimateInference, type InferenceEstimate, type InferenceRequest, weightsPerChipBytes } from "../estimate/estimate-inference.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import type { System } from "../network/build-system.js";
import type { ModelSpec } from "../spec/model-spec.js";

/**
 * The smallest count of one chip that holds a model for inference, with its layout: tensor
 * parallelism inside one scale-up domain first (the fastest layout for a latency-bound pass), then
 * pipeline stages across domains. Counts are powers of two (head counts and node sizes are), each
 * count tried with its largest valid tp; a count whose weights alone overflow is skipped unpriced.
 */
export interface SmallestFit {
  chips: number;
  tp: number;
  pp: number;
  system: string;
  memory_per_chip_bytes: number;
  memory_capacity_bytes: number;
  ttft_s: number;
  tpot_s: number;
  output_tokens_per_s: number;
  samples_per_s: number;
}

/** The search's answer: the fit, or why none was found. */
export type SmallestFitSearch = { fit: SmallestFit } | { fit?: undefined; reason: string };

/** The request to scale up; its chips/tp/pp/system are replaced by each candidate layout. */
export type FitSearchRequest = Omit<InferenceRequest, "chips" | "tp" | "pp" | "system" | "ep" | "cp">;

type TransformerSpec = Extract<ModelSpec, { category: "decoder-llm" | "encoder" | "vision-transformer" }>;

function isTransformer(model: ModelSpec): model is TransformerSpec {
  return model.category === "decoder-llm" || model.category === "encoder" || model.category === "vision-transformer";
}

/** The largest tp ≤ limit (a power of two) the model's attention splits evenly over. */
function largestTp(model: TransformerSpec, limit: number): number {
  const heads = model.attention.heads;
  const kv = model.attention.kv_heads ?? heads;
  for (let tp = 2 ** Math.floor(Math.log2(limit)); tp > 1; tp /= 2) {
    if (heads % tp === 0 && (model.attention.mla || kv % tp === 0 || tp % kv === 0)) return tp;
  }
  return 1;
}

/** The value of `f`, or the message of the XpusimError it throws. */
function attempt<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof XpusimError) return e.diagnostics.map((d) => d.message).join("; ");
    throw e;
  }
}

function toFit(r: InferenceEstimate, system: string): SmallestFit {
  return { chips: r.chips, tp: r.tp, pp: r.pp, system, memory_per_chip_bytes: r.memory_per_chip_bytes, memory_capacity_bytes: r.memory_capacity_bytes, ttft_s: r.ttft_s, tpot_s: r.tpot_s, output_tokens_per_s: r.output_tokens_per_s, samples_per_s: r.samples_per_s };
}

/** The fewest chips (more than `fromChips`, at most `maxChips`) on which `req` fits, or why there is none. */
export function smallestFit(req: FitSearchRequest, ctx: CostContext, systemFor: (count: number) => System | undefined, fromChips: number, opts: EvaluateOptions = {}, maxChips = 1024): SmallestFitSearch {
  const model = req.model;
  if (!isTransformer(model)) return { reason: `${model.category} models are not sharded over chips (replicas do not cut memory per chip)` };
  const capacity = ctx.chip.memory.main.capacity_bytes;
  let lastProblem: string | undefined;
  for (let n = 2 * Math.max(1, fromChips); n <= maxChips; n *= 2) {
    const system = attempt(() => systemFor(n));
    if (typeof system === "string" || !system) return { reason: system ?? `no system holds ${n} chips` };
    const tp = largestTp(model, Math.min(n, system.scale_up.domain_size));
    const pp = n / tp;
    if (pp > model.layers) break;
    if (weightsPerChipBytes(model, req.precision, tp, pp) > capacity) continue;
    const r = attempt(() => estimateInference({ ...req, chips: n, tp, pp, system, fit_search: false }, ctx, opts));
    if (typeof r === "string") {
      lastProblem = `at ${n} chips (tp ${tp}, pp ${pp}): ${r}`;
      // A layout the system cannot place only gets harder with more chips.
      if (/cannot be placed|holds at most/.test(r)) break;
    } else if (r.fits) return { fit: toFit(r, system.id) };
  }
  return { reason: lastProblem ?? `no layout of up to ${maxChips} chips holds it` };
}
