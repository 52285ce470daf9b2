import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ServingRequest } from "../serving/request.js";
import { ENGINE_PRESETS, type ServingConfigInput, servingConfigSchema } from "../serving/serving-config.js";
import { generateWorkload, type LengthDist } from "../serving/workload-gen.js";
import type { Scenario, ServingScenario } from "../spec/scenario-spec.js";
import type { Catalog } from "./catalog.js";
import type { ServingJobRequest, ServingWorkload } from "./jobs/serving-job.js";

/**
 * `kind: serving` scenario → the serving job's request (the same request `xpusim serve` builds from
 * its flags). docs/scenario.md documents the fields; bad combinations are XpusimErrors with the
 * field's path.
 *
 *   arrival   poisson | constant   rate_per_s required          (concurrency refused)
 *             offline              every request at t = 0       (rate_per_s, concurrency refused)
 *             closed               concurrency clients          (rate_per_s refused)
 *             unset                a trace's own arrival times  (else required)
 *   tokens    n | { mean, dist, min, max, std | cv } | "trace.jsonl" (input and output name the same file)
 */
export function servingRequestFromScenario(s: Scenario, catalog: Catalog): ServingJobRequest {
  if (!("model" in s.workload)) {
    throw new XpusimError(error("E_SCHEMA", "workload", "kind: serving needs `workload: { model: <id or path> }`", { hint: "serving simulates a decoder LLM" }));
  }
  if (!s.serving) throw new XpusimError(error("E_SCHEMA", "serving", "kind: serving needs a `serving:` section", { expected: "{ arrival, requests, input_tokens, output_tokens, ... }", hint: "see docs/scenario.md" }));
  const notes: string[] = [];
  const layout = servingLayout(s);
  const software = softwareSettings(s.software, notes, catalog);
  if (s.cost_model !== undefined) notes.push(`cost_model ${s.cost_model} is not used by the serving step cost (it prices each step with the chip's default models)`);
  const config: Omit<ServingConfigInput, "engine"> = { ...software.config, ...(s.execution === "eager" ? { execution: "eager" as const } : {}) };
  return {
    model: s.workload.model,
    chip: s.hardware.chip,
    precision: s.precision,
    ...(software.engine ? { engine: software.engine } : {}),
    ...(Object.keys(config).length ? { config } : {}),
    workload: servingWorkload(s.serving, catalog, notes),
    ...(s.serving.slo ? { slo: s.serving.slo } : {}),
    ...(layout.tp > 1 ? { tp: layout.tp } : {}),
    ...(layout.ep > 1 ? { ep: layout.ep } : {}),
    ...(layout.replicas > 1 ? { replicas: layout.replicas } : {}),
    ...(s.hardware.system !== undefined && layout.tp * layout.ep > 1 ? { system: s.hardware.system } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/** tp · ep chips per instance, `replicas` instances; pp, dp and cp are not serving dimensions. */
function servingLayout(s: Scenario): { tp: number; ep: number; replicas: number } {
  const p = s.parallelism;
  for (const [k, hint] of [
    ["pp", "the serving simulator runs tp (and ep) inside an instance; pipeline stages are not simulated"],
    ["dp", "for independent engine instances use parallelism.replicas"],
    ["cp", "context parallelism is not simulated for serving"],
  ] as const) {
    if (p[k] > 1) throw new XpusimError(error("E_UNSUPPORTED", `parallelism.${k}`, `kind: serving does not take ${k} > 1`, { got: String(p[k]), hint }));
  }
  const replicas = p.replicas ?? 1;
  const chips = p.tp * p.ep * replicas;
  if (s.hardware.count !== 1 && s.hardware.count !== chips) {
    throw new XpusimError(
      error("E_RANGE", "hardware.count", `hardware.count ${s.hardware.count} is not tp × ep × replicas = ${p.tp} × ${p.ep} × ${replicas} = ${chips}`, {
        hint: "leave hardware.count out, or set parallelism.replicas so that the chips add up",
      }),
    );
  }
  return { tp: p.tp, ep: p.ep, replicas };
}

const CONFIG_KEYS = new Set(Object.keys(servingConfigSchema.shape));

/** The catalog/software preset with serving settings an id or alias names, else undefined. */
function servingPresetId(id: string, catalog: Pick<Catalog, "software">): string | undefined {
  if (!catalog.software) return (ENGINE_PRESETS as readonly string[]).includes(id) ? id : undefined;
  try {
    const spec = catalog.software(id);
    return spec.settings.serving ? spec.id : undefined;
  } catch {
    return undefined;
  }
}

/** `software`: an engine preset id or alias (catalog/software), or `{ engine | id, ...engine settings }`; anything else is noted and passed over. */
function softwareSettings(software: Scenario["software"], notes: string[], catalog: Pick<Catalog, "software">): { engine?: string; config: Record<string, unknown> } {
  if (software === undefined) return { config: {} };
  const obj: Record<string, unknown> = typeof software === "string" ? { engine: software } : { ...software };
  const id = obj.engine ?? obj.id;
  delete obj.engine;
  delete obj.id;
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (CONFIG_KEYS.has(k)) config[k] = v;
    else notes.push(`software.${k} is not a serving engine setting; passed over`);
  }
  if (id === undefined) return { config };
  const engine = typeof id === "string" ? servingPresetId(id, catalog) : undefined;
  if (!engine) {
    notes.push(`software ${JSON.stringify(id)} is not a serving engine preset (${ENGINE_PRESETS.join(", ")}, sglang; \`xpusim software --kind serving\`); the vllm preset's settings are used`);
    return { config };
  }
  return { engine, config };
}

/** The request stream: synthetic (lengths from distributions) or a trace file's rows. */
function servingWorkload(sv: ServingScenario, catalog: Catalog, notes: string[]): ServingWorkload {
  checkArrivalFields(sv);
  const tracePath = tracePathOf(sv);
  const concurrency = sv.arrival === "closed" ? { concurrency: sv.concurrency! } : {};
  if (tracePath === undefined) {
    if (sv.requests === undefined) throw new XpusimError(error("E_SCHEMA", "serving.requests", "how many requests to simulate is required", { hint: "e.g. requests: 200" }));
    if (sv.arrival === undefined) throw new XpusimError(error("E_SCHEMA", "serving.arrival", "an arrival process is required (only a trace with arrival times brings its own)", { expected: "poisson, constant, offline or closed" }));
    return {
      kind: "synthetic",
      requests: sv.requests,
      rate_per_s: sv.arrival === "poisson" || sv.arrival === "constant" ? sv.rate_per_s! : Infinity,
      arrival: { kind: sv.arrival === "constant" ? "constant" : "poisson" },
      input: lengthDist(sv.input_tokens as Exclude<typeof sv.input_tokens, string>, "serving.input_tokens"),
      output: lengthDist(sv.output_tokens as Exclude<typeof sv.output_tokens, string>, "serving.output_tokens"),
      seed: sv.seed,
      ...concurrency,
    };
  }
  return { kind: "trace", requests: traceRequests(sv, tracePath, catalog, notes), source: tracePath, ...concurrency };
}

/** rate_per_s only with poisson/constant (and required there), concurrency only with closed (and required there). */
function checkArrivalFields(sv: ServingScenario): void {
  const a = sv.arrival;
  const paced = a === "poisson" || a === "constant";
  if (paced && sv.rate_per_s === undefined) throw new XpusimError(error("E_SCHEMA", "serving.rate_per_s", `arrival: ${a} needs rate_per_s (requests per second)`, { hint: "e.g. rate_per_s: 4; or arrival: offline for everything at t = 0" }));
  if (!paced && sv.rate_per_s !== undefined) throw new XpusimError(error("E_SCHEMA", "serving.rate_per_s", `rate_per_s applies to arrival: poisson or constant, not ${a ?? "a trace's own arrivals"}`, { hint: "remove rate_per_s, or set arrival: poisson" }));
  if (a === "closed" && sv.concurrency === undefined) throw new XpusimError(error("E_SCHEMA", "serving.concurrency", "arrival: closed needs concurrency (the number of clients)", { hint: "e.g. concurrency: 16" }));
  if (a !== "closed" && sv.concurrency !== undefined) throw new XpusimError(error("E_SCHEMA", "serving.concurrency", `concurrency applies to arrival: closed, not ${a ?? "a trace's own arrivals"}`, { hint: "set arrival: closed, or remove concurrency" }));
}

/** The trace file named by input_tokens and/or output_tokens (both, when both are paths: the same file). */
function tracePathOf(sv: ServingScenario): string | undefined {
  const i = typeof sv.input_tokens === "string" ? sv.input_tokens : undefined;
  const o = typeof sv.output_tokens === "string" ? sv.output_tokens : undefined;
  if (i === undefined && o === undefined) return undefined;
  if (i === undefined || o === undefined || i !== o) {
    const field = i === undefined ? "serving.input_tokens" : "serving.output_tokens";
    throw new XpusimError(
      error("E_SCHEMA", field, "a trace file gives both lengths: input_tokens and output_tokens must name the same file", { got: `${JSON.stringify(sv.input_tokens)} and ${JSON.stringify(sv.output_tokens)}` }),
    );
  }
  return i;
}

/** The trace's rows (its first `requests`), with arrivals from the arrival process when one is set. */
function traceRequests(sv: ServingScenario, path: string, catalog: Catalog, notes: string[]): ServingRequest[] {
  if (!catalog.servingTrace) throw new XpusimError(error("E_UNSUPPORTED", "serving.input_tokens", `this front end cannot read the trace file ${path}`, { hint: "give token counts as numbers or distributions" }));
  const all = catalog.servingTrace(path);
  const rows = sv.requests !== undefined ? all.slice(0, sv.requests) : all;
  if (sv.requests !== undefined && sv.requests > all.length) notes.push(`the trace has ${all.length} requests, fewer than requests: ${sv.requests}; all are used`);
  const timed = rows.length > 0 && !Number.isNaN(rows[0]!.arrival_s);
  if (sv.arrival === undefined) {
    if (!timed) throw new XpusimError(error("E_SCHEMA", "serving.arrival", `the trace ${path} has no arrival times, so an arrival process is required`, { expected: "poisson, constant, offline or closed" }));
    return rows;
  }
  if (timed && sv.arrival !== "closed") notes.push(`the trace's arrival times are replaced by the ${sv.arrival} arrival process`);
  const rate = sv.arrival === "poisson" || sv.arrival === "constant" ? sv.rate_per_s! : Infinity;
  const times = generateWorkload({ requests: rows.length, rate_per_s: rate, arrival: { kind: sv.arrival === "constant" ? "constant" : "poisson" }, input: 1, output: 1, seed: sv.seed });
  return rows.map((r, i) => ({ arrival_s: times[i]!.arrival_s, input_len: r.input_len, output_len: r.output_len }));
}

type TokenDist = Exclude<ServingScenario["input_tokens"], string>;

/** A scenario token count as the workload generator's length distribution. */
export function lengthDist(t: TokenDist, path: string): LengthDist {
  if (typeof t === "number") return t;
  const bad = (field: string, message: string, hint?: string) => new XpusimError(error("E_SCHEMA", `${path}.${field}`, message, hint ? { hint } : {}));
  if (t.std !== undefined && t.cv !== undefined) throw bad("cv", "give std or cv, not both");
  const bounds = { ...(t.min !== undefined ? { min: t.min } : {}), ...(t.max !== undefined ? { max: t.max } : {}) };
  if (t.min !== undefined && t.max !== undefined && t.min > t.max) throw bad("min", `min ${t.min} is above max ${t.max}`);
  switch (t.dist) {
    case "fixed":
      if (t.min !== undefined || t.max !== undefined || t.std !== undefined || t.cv !== undefined) throw bad("dist", "dist: fixed takes only mean", "set dist: uniform, normal or lognormal to use min, max, std or cv");
      if (!Number.isInteger(t.mean)) throw bad("mean", `a fixed token count is a whole number, got ${t.mean}`);
      return t.mean;
    case "uniform": {
      if (t.min === undefined || t.max === undefined) throw bad(t.min === undefined ? "min" : "max", "dist: uniform needs min and max");
      if (Math.abs((t.min + t.max) / 2 - t.mean) > 0.5) throw bad("mean", `mean ${t.mean} is not the midpoint of [${t.min}, ${t.max}] (${(t.min + t.max) / 2})`);
      return { kind: "uniform", min: t.min, max: t.max };
    }
    case "normal": {
      if (t.std === undefined && t.cv === undefined) throw bad("std", "dist: normal needs std (or cv)");
      return { kind: "normal", mean: t.mean, std: t.std ?? t.cv! * t.mean, ...bounds };
    }
    case "lognormal": {
      const cv = t.cv ?? (t.std !== undefined ? t.std / t.mean : undefined);
      if (cv === undefined || cv <= 0) throw bad("cv", "dist: lognormal needs cv (or std) > 0");
      return { kind: "lognormal", mean: t.mean, cv, ...bounds };
    }
  }
}
