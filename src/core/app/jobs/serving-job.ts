import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { Slo } from "../../serving/metrics.js";
import type { ServingRequest } from "../../serving/request.js";
import type { ServingConfigInput } from "../../serving/serving-config.js";
import { type ServingResult, simulateServing } from "../../serving/simulate-serving.js";
import { type ArrivalProcess, generateWorkload, type LengthDist, type WorkloadSpecInput } from "../../serving/workload-gen.js";
import { parsePrecision, type Precision, type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import { type ServingSummary, servingSummary } from "../../serving/serving-summary.js";
import type { Chip } from "../../hardware/chip.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { resolveSoftware, servingSettingsOf, type SoftwareUsed } from "../software-stack.js";
import { defineJob } from "../job.js";
import { servingRequestFromScenario } from "../serving-scenario.js";

/** A synthetic request stream; every field has a default (SERVING_WORKLOAD_DEFAULTS). */
export interface SyntheticServingWorkload {
  kind: "synthetic";
  requests?: number;
  /** Mean arrival rate, requests/s (Infinity: all at t = 0). */
  rate_per_s?: number;
  arrival?: ArrivalProcess;
  input?: LengthDist;
  output?: LengthDist;
  seed?: number;
  /** Closed loop: this many clients, each sending its next request when the previous finishes (arrivals ignored). */
  concurrency?: number;
}

/** A recorded request stream (the front end reads the file; parseTrace reads its text). */
export interface TraceServingWorkload {
  kind: "trace";
  requests: readonly ServingRequest[];
  /** Only the first `limit` requests. */
  limit?: number;
  /** Where it came from, for the description ("trace.csv"). */
  source?: string;
  /** Closed loop: this many clients (the trace's arrival times are ignored). */
  concurrency?: number;
}

export type ServingWorkload = SyntheticServingWorkload | TraceServingWorkload;

/** `xpusim serve`: one model on one chip type (tp × ep chips per instance) behind a serving engine. */
export interface ServingJobRequest {
  model: SpecRef;
  chip: SpecRef;
  /** Engine preset (default "vllm"). */
  engine?: string;
  /** A name ("fp8", "w4a16") or fields (`{ compute: "fp8" }`; missing ones follow compute). */
  precision?: string | PrecisionInput | Precision;
  /** Overrides of the engine preset (max_num_seqs, block_size, disaggregation, ...). */
  config?: Omit<ServingConfigInput, "engine">;
  workload?: ServingWorkload;
  /** SLOs for goodput. */
  slo?: Slo;
  tp?: number;
  ep?: number;
  /** The system the instance sits in (default: the chip's own); only with tp·ep > 1. */
  system?: SpecRef;
  /** Price every distinct batch shape exactly instead of interpolating. */
  exact?: boolean;
  /** Independent engine instances behind one load balancer (default 1). */
  replicas?: number;
  /** Notes from the front end (e.g. scenario fields passed over), put first in the result's notes. */
  notes?: string[];
}

/** The simulator's result with the contract's flat fields (serving-summary.ts). */
export type ServingJobResult = ServingResult & ServingSummary & { software?: SoftwareUsed };

/**
 * The engine preset of a serving request: the catalog/software preset `engine` names (default
 * vLLM), its serving settings for the chip as the base of the config; "custom" (every knob given by
 * hand) has none.
 */
function servingStack(req: ServingJobRequest, chip: Chip, model: ModelSpec, catalog: Catalog): { engine: string; preset: Record<string, unknown>; used?: SoftwareUsed } {
  const engine = req.engine ?? SERVING_DEFAULT_ENGINE;
  // "custom", or a catalog without software presets: the built-in engine presets of serving-config.ts.
  if (engine === "custom" || !catalog.software) return { engine, preset: {} };
  const r = resolveSoftware(engine, { kind: "serving", chip, category: model.category }, catalog, {}, "engine");
  const preset = servingSettingsOf(r.spec, chip);
  if (!preset) {
    throw new XpusimError(
      error("E_UNSUPPORTED", "engine", `software ${r.spec.id} has no serving engine settings`, { hint: `serving presets: ${(catalog.softwareIds?.() ?? []).filter((id) => catalog.software!(id).settings.serving).join(", ")}, or "custom"` }),
    );
  }
  const settings = { ...r.used.settings, serving: { ...preset, ...(req.config ?? {}) } };
  return { engine: r.spec.id, preset, used: { ...r.used, settings, ...(req.config && Object.keys(req.config).length ? { overridden: Object.keys(req.config) } : {}) } };
}

export const SERVING_DEFAULT_ENGINE = "vllm";
export const SERVING_WORKLOAD_DEFAULTS = { requests: 1000, rate_per_s: 10, input: 1024, output: 256, seed: 1 } as const;

/** The requests a workload gives (generated, seeded; or the trace's first `limit`). */
export function servingRequests(w: ServingWorkload | undefined): ServingRequest[] {
  if (w?.kind === "trace") return w.limit !== undefined ? w.requests.slice(0, w.limit) : [...w.requests];
  if (w !== undefined && w.kind !== "synthetic") {
    throw new XpusimError(error("E_SCHEMA", "workload.kind", "expected synthetic or trace", { got: JSON.stringify((w as { kind?: unknown }).kind) ?? "nothing" }));
  }
  const d = SERVING_WORKLOAD_DEFAULTS;
  const spec: WorkloadSpecInput = {
    requests: w?.requests ?? d.requests,
    rate_per_s: w?.rate_per_s ?? d.rate_per_s,
    input: w?.input ?? d.input,
    output: w?.output ?? d.output,
    seed: w?.seed ?? d.seed,
    ...(w?.arrival ? { arrival: w.arrival } : {}),
  };
  return generateWorkload(spec);
}

const fmtLength = (l: LengthDist): string =>
  typeof l === "number" ? String(l) : l.kind === "fixed" ? String(l.tokens) : l.kind === "uniform" ? `${l.min}-${l.max}` : l.kind === "normal" ? `normal (mean ${l.mean}, std ${l.std})` : `lognormal (mean ${l.mean}, cv ${l.cv})`;

const fmtArrival = (a: ArrivalProcess | undefined): string =>
  !a || a.kind === "poisson" ? "Poisson" : a.kind === "gamma" ? `gamma (cv ${a.cv})` : a.kind === "constant" ? "evenly spaced" : `on-off (${a.on_s} s on, ${a.off_s} s off)`;

/** One line on the request stream: "1000 requests, 10/s Poisson, input 1024, output 256 tokens, seed 1". */
export function describeServingWorkload(w: ServingWorkload | undefined): string {
  if (w?.kind === "trace") {
    const n = w.limit !== undefined ? Math.min(w.limit, w.requests.length) : w.requests.length;
    return `${n} requests from ${w.source ?? "a trace"}${w.concurrency !== undefined ? `, closed loop with ${w.concurrency} clients` : ""}`;
  }
  const d = SERVING_WORKLOAD_DEFAULTS;
  const rate = w?.rate_per_s ?? d.rate_per_s;
  return (
    `${w?.requests ?? d.requests} requests, ${w?.concurrency !== undefined ? `closed loop with ${w.concurrency} clients` : Number.isFinite(rate) ? `${+rate.toPrecision(4)}/s ${fmtArrival(w?.arrival)}` : "all at t = 0"}, ` +
    `input ${fmtLength(w?.input ?? d.input)}, output ${fmtLength(w?.output ?? d.output)} tokens, seed ${w?.seed ?? d.seed}`
  );
}

export const servingJob = defineJob<ServingJobRequest, ServingJobResult>({
  id: "serving",
  summary: "a serving engine under a request stream: TTFT/TPOT/ITL/E2E percentiles, throughput, goodput, KV use, energy",
  scenarioKinds: ["serving"],
  fromScenario: (s, catalog) => servingRequestFromScenario(s, catalog),
  supports:
    "decoder LLMs (dense, MoE, MLA); vLLM and TensorRT-LLM presets; continuous batching, chunked prefill, paged KV with preemption; tp and ep per instance; disaggregated prefill/decode; synthetic (Poisson, constant, gamma, on-off, offline) or trace workloads, closed-loop clients; replicas",
  run(req, catalog) {
    const chip = catalog.chip(req.chip);
    const model = catalog.model(req.model);
    const precision = typeof req.precision === "string" || req.precision === undefined ? parsePrecision(req.precision, "precision") : resolvePrecision(req.precision);
    const tp = req.tp ?? 1;
    const ep = req.ep ?? 1;
    if (req.system !== undefined && tp * ep === 1) {
      throw new XpusimError(error("E_SCHEMA", "system", "a system applies only with tp or ep > 1", { hint: "set tp or ep, or leave the system out" }));
    }
    const system = tp * ep > 1 ? catalog.system(req.system, chip, tp * ep) : undefined;
    const stack = servingStack(req, chip, model, catalog);
    const config: ServingConfigInput = { ...stack.preset, engine: stack.engine, ...(req.config ?? {}) };
    const concurrency = req.workload?.concurrency;
    const r = simulateServing(model, catalog.context(chip), precision, config, servingRequests(req.workload), {
      ...(req.slo ? { slo: req.slo } : {}),
      ...(req.exact ? { interpolate: false } : {}),
      ...(system ? { tp, ep, system } : {}),
      ...(req.replicas !== undefined ? { replicas: req.replicas } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    if (req.notes?.length) r.notes.unshift(...req.notes);
    const { kind, ...rest } = r;
    return { kind, ...servingSummary(r.metrics, r.memory, r.feasible, r.config.max_num_seqs * r.ep), ...rest, ...(stack.used ? { software: stack.used } : {}) };
  },
});
