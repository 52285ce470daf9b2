/**
 * `xpusim serve --model M --chip C [--engine vllm|sglang|tensorrt-llm] [--rate 10/s] [--requests 1000]
 * [--input 1024] [--output 256] [--trace file.csv] [--slo ttft=500ms,tpot=50ms] [--seed 1]`:
 * a request-level simulation of a serving engine (continuous batching, chunked prefill, paged KV
 * cache with preemption, optional disaggregated prefill/decode) and the metrics serving
 * benchmarks report: TTFT, TPOT, ITL, E2E at p50/p90/p99, throughput, goodput, KV use over time.
 * Flags → ServingJobRequest → JOBS.serving (core/app/jobs/serving-job.ts) → table, CSV or JSON.
 */
import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { nodeCatalog } from "../../node/node-catalog.js";
import {
  describeServingWorkload,
  type Distribution,
  JOBS,
  SERVING_DEFAULT_ENGINE,
  SERVING_WORKLOAD_DEFAULTS as W,
  type ServingConfigInput,
  type ServingJobRequest,
  type ServingMetrics,
  type ServingRequest,
  type ServingResult,
  type ServingWorkload,
  servingText as flagText,
  type SyntheticServingWorkload,
  softwareLine,
  type SoftwareUsed,
} from "../../core/app/index.js";
import { error, XpusimError } from "../../core/diagnostics/diagnostic.js";
import { fmtBytes, fmtPct, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { readFlag } from "../flag-text.js";
import { emit, formatOf, json, positiveInt, reportInfeasible, UsageError } from "../output.js";

interface ServeOpts {
  model: string;
  chip: string;
  engine?: string;
  precision?: string;
  rate?: string;
  requests?: number;
  input?: string;
  output?: string;
  burstiness?: string;
  trace?: string;
  slo?: string;
  seed?: string;
  maxNumSeqs?: number;
  maxBatchedTokens?: number;
  blockSize?: number;
  memUtil?: string;
  chunkedPrefill?: boolean;
  maxModelLen?: number;
  policy?: "fcfs" | "shortest-prompt-first";
  disagg?: string;
  kvLink?: string;
  exact?: boolean;
  tp?: number;
  ep?: number;
  system?: string;
  concurrency?: number;
  replicas?: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

function readTraceFile(file: string): ServingRequest[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XpusimError(error("E_IO", "", code === "ENOENT" ? "trace file not found" : `cannot read trace file (${code ?? String(e)})`, { file }));
  }
  try {
    return flagText.parseTrace(text, /\.jsonl?$/i.test(file) ? "jsonl" : /\.csv$/i.test(file) ? "csv" : undefined);
  } catch (e) {
    if (e instanceof XpusimError) throw e.withFile(file);
    throw e;
  }
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("simulate a serving engine under a request stream: TTFT/TPOT/ITL/E2E percentiles, throughput, goodput, KV use")
    .requiredOption("--model <id>", "decoder LLM: model id, spec file or Hugging Face config.json")
    .requiredOption("--chip <id>", "chip id or chip spec file (one chip per engine instance)")
    .option("--engine <name>", "engine preset or alias: vllm, sglang, tensorrt-llm (trtllm), or custom (`xpusim software --kind serving`)", SERVING_DEFAULT_ENGINE)
    .option("--precision <p>", 'precision, e.g. "bf16", "fp8", "w4a16", "compute=fp8,kv=bf16"')
    .option("--rate <r>", `mean arrival rate (10/s, 600/min, inf = all at once; default ${W.rate_per_s}/s)`)
    .option("--requests <n>", `requests to simulate (default ${W.requests}; with --trace: the first n)`, positiveInt("--requests"))
    .option("--input <tokens>", `prompt length: 1024, or a uniform range 512-2048 (default ${W.input})`)
    .option("--output <tokens>", `output length: 256, or a range 128-512 (default ${W.output})`)
    .option("--burstiness <cv>", "gamma arrivals with this coefficient of variation (1 = Poisson, > 1 bursty)")
    .option("--trace <file>", "CSV or JSONL trace of arrival_s,input_len,output_len (replaces --rate/--input/--output)")
    .option("--concurrency <n>", "closed loop: n clients, each sending its next request when the previous one finishes (replaces --rate)", positiveInt("--concurrency"))
    .option("--replicas <n>", "independent engine instances behind one load balancer (default 1)", positiveInt("--replicas"))
    .option("--slo <spec>", "SLOs for goodput, e.g. ttft=500ms,tpot=50ms")
    .option("--seed <n>", `random seed of the synthetic workload (default ${W.seed})`)
    .option("--max-num-seqs <n>", "override: most sequences per iteration", positiveInt("--max-num-seqs"))
    .option("--max-batched-tokens <n>", "override: token budget per iteration", positiveInt("--max-batched-tokens"))
    .option("--block-size <n>", "override: KV block size in tokens", positiveInt("--block-size"))
    .option("--mem-util <f>", "override: gpu_memory_utilization / free_gpu_memory_fraction (0-1]")
    .option("--chunked-prefill", "override: chunk long prompts (on for vllm)")
    .option("--no-chunked-prefill", "override: prefill prompts whole")
    .option("--max-model-len <n>", "longest prompt + output accepted", positiveInt("--max-model-len"))
    .addOption(new Option("--policy <p>", "waiting-queue order").choices(["fcfs", "shortest-prompt-first"]))
    .option("--disagg <P:D>", "disaggregated prefill/decode: P prefill chips, D decode chips (e.g. 1:1)")
    .option("--kv-link <bw>", 'KV transfer bandwidth for --disagg (e.g. "50 GB/s"; default: the chip\'s scale-up link)')
    .option("--exact", "price every distinct batch shape exactly instead of interpolating (slower)")
    .option("--tp <n>", "tensor-parallel chips per engine instance (all-reduces priced on --system)", positiveInt("--tp"))
    .option("--ep <n>", "expert parallelism (MoE): attention groups of --tp chips per instance sharing the routed experts (all-to-alls priced on --system)", positiveInt("--ep"))
    .option("--system <id>", "system the instance sits in (catalog id or file; default: the chip's usual system)")
    .option("--json", "print the result as JSON (includes the KV utilisation series)")
    .option("--csv", "print the scalar results as one CSV row")
    .option("-o, --out <file>", "write the output to a file instead of stdout")
    .action((o: ServeOpts) => {
      const format = formatOf(o);
      const request = servingRequest(o);
      const result = JOBS.serving.run(request, nodeCatalog());
      // Printed as usual; the exit code says the setup cannot serve (README, exit codes).
      if (!result.feasible) reportInfeasible();
      if (format === "json") return emit(json(result), o.out);
      if (format === "csv") return emit(renderCsv([servingScalars(result)]), o.out);
      emit(renderServing(result, describeServingWorkload(request.workload)), o.out);
    });
}

/** Flags → the serving job's request. */
function servingRequest(o: ServeOpts): ServingJobRequest {
  const tp = o.tp ?? 1;
  const ep = o.ep ?? 1;
  if (o.system && tp * ep === 1) throw new UsageError("--system applies only with --tp or --ep > 1");
  return {
    model: o.model,
    chip: o.chip,
    ...(o.engine !== undefined ? { engine: o.engine } : {}),
    precision: flagText.parsePrecision(o.precision, "--precision"),
    config: configOverrides(o),
    workload: servingWorkload(o),
    ...(o.slo !== undefined ? { slo: readFlag(() => flagText.parseSlo(o.slo!, "--slo")) } : {}),
    ...(o.exact ? { exact: true } : {}),
    ...(tp * ep > 1 ? { tp, ep, ...(o.system ? { system: o.system } : {}) } : {}),
    ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
  };
}

function servingWorkload(o: ServeOpts): ServingWorkload {
  // Read even with --trace (which has no use for it), so a bad seed is never silently ignored.
  const seed = o.seed !== undefined ? readFlag(() => flagText.parseInteger(o.seed!, "--seed")) : undefined;
  const closed = o.concurrency !== undefined ? { concurrency: o.concurrency } : {};
  if (o.concurrency !== undefined && o.rate !== undefined) throw new UsageError("--concurrency replaces --rate: give one of them");
  if (o.trace) return { kind: "trace", requests: readTraceFile(o.trace), source: o.trace, ...(o.requests !== undefined ? { limit: o.requests } : {}), ...closed };
  const w: SyntheticServingWorkload = {
    kind: "synthetic",
    ...(o.rate !== undefined ? { rate_per_s: readFlag(() => flagText.parseRate(o.rate!, "--rate")) } : {}),
    ...(o.input !== undefined ? { input: readFlag(() => flagText.parseLength(o.input!, "--input")) } : {}),
    ...(o.output !== undefined ? { output: readFlag(() => flagText.parseLength(o.output!, "--output")) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(o.requests !== undefined ? { requests: o.requests } : {}),
    ...closed,
  };
  if (o.burstiness !== undefined) {
    const cv = readFlag(() => flagText.parseInRange(o.burstiness!, "--burstiness", 100, "a coefficient of variation", "1 is Poisson; 2-4 is already very bursty"));
    w.arrival = { kind: "gamma", cv };
  }
  return w;
}

/** The flags that override the engine preset. */
function configOverrides(o: ServeOpts): Omit<ServingConfigInput, "engine"> {
  const config: Omit<ServingConfigInput, "engine"> = {};
  if (o.maxNumSeqs !== undefined) config.max_num_seqs = o.maxNumSeqs;
  if (o.maxBatchedTokens !== undefined) config.max_num_batched_tokens = o.maxBatchedTokens;
  if (o.blockSize !== undefined) config.block_size = o.blockSize;
  if (o.memUtil !== undefined) config.gpu_memory_utilization = readFlag(() => flagText.parseInRange(o.memUtil!, "--mem-util", 1));
  if (o.chunkedPrefill !== undefined) config.chunked_prefill = o.chunkedPrefill;
  if (o.maxModelLen !== undefined) config.max_model_len = o.maxModelLen;
  if (o.policy) config.scheduling_policy = o.policy;
  if (o.disagg) {
    config.disaggregation = readFlag(() => flagText.parseDisaggregation(o.disagg!, "--disagg"));
    if (o.kvLink) config.disaggregation.kv_transfer_bytes_per_s = readFlag(() => flagText.parseBandwidth(o.kvLink!, "--kv-link"));
  } else if (o.kvLink) throw new UsageError("--kv-link applies only with --disagg");
  return config;
}

/** One flat row of the scalar results (no series), for sweeps and spreadsheets. */
export function servingScalars(r: ServingResult): Record<string, unknown> {
  const row: Record<string, unknown> = {
    model: r.model,
    chip: r.chip,
    engine: r.engine,
    chips: r.chips,
    tp: r.tp,
    ep: r.ep,
    precision: r.precision.executed,
    feasible: r.feasible,
    max_num_batched_tokens: r.config.max_num_batched_tokens,
    max_num_seqs: r.config.max_num_seqs,
    block_size: r.config.block_size,
    kv_cache_bytes: r.memory.kv_cache_bytes,
    kv_blocks: r.memory.num_blocks,
    kv_token_capacity: r.memory.token_capacity,
    requests: r.requests.total,
    completed: r.requests.completed,
    rejected: r.requests.rejected,
  };
  const m = r.metrics;
  if (m) {
    for (const key of ["ttft_s", "tpot_s", "itl_s", "e2e_s", "queue_delay_s"] as const) {
      const d = m[key];
      const base = key.replace(/_s$/, "");
      for (const s of ["mean", "p50", "p90", "p99", "max"] as const) row[`${base}_${s}_s`] = d[s];
    }
    row.duration_s = m.duration_s;
    row.requests_per_s = m.throughput.requests_per_s;
    row.output_tokens_per_s = m.throughput.output_tokens_per_s;
    row.total_tokens_per_s = m.throughput.total_tokens_per_s;
    row.output_tokens_per_s_per_chip = r.output_tokens_per_s_per_chip;
    if (m.goodput) {
      row.goodput_requests_per_s = m.goodput.requests_per_s;
      row.slo_attainment = m.goodput.slo_attainment;
    }
    row.kv_peak_utilization = m.kv.peak_utilization;
    row.kv_mean_utilization = m.kv.mean_utilization;
    row.preemptions = m.preemptions;
    row.steps = m.steps;
    row.mean_batch_size = m.mean_batch_size;
    if (m.energy) {
      row.energy_j = m.energy.total_j;
      row.energy_per_output_token_j = m.energy.per_output_token_j;
      row.average_power_per_chip_w = m.energy.average_power_per_chip_w;
    }
  } else row.infeasible_reason = r.infeasible_reason;
  return row;
}

/** Run length: seconds below 100 s, then minutes or hours. */
function fmtDuration(s: number): string {
  if (s < 100) return fmtTime(s);
  if (s < 2 * 3600) return `${(s / 60).toPrecision(3)} min`;
  return `${(s / 3600).toPrecision(3)} h`;
}

function distRow(name: string, d: Distribution) {
  return { name, mean: fmtTime(d.mean), p50: fmtTime(d.p50), p90: fmtTime(d.p90), p99: fmtTime(d.p99), max: fmtTime(d.max) };
}

export function renderServing(r: ServingResult, workload: string): string {
  const c = r.config;
  const mem = r.memory;
  const engine = r.engine === "vllm" ? "vLLM" : r.engine === "tensorrt-llm" ? "TensorRT-LLM" : r.engine;
  const lines = [
    `${r.model} on ${r.chips > 1 ? `${r.chips} × ` : ""}${r.chip}, ${engine} preset: ${c.max_num_batched_tokens} tokens/step, ${c.max_num_seqs} seqs, block ${c.block_size}, ` +
      `${c.chunked_prefill ? "chunked prefill" : "whole prefills"}, ${c.kv_admission === "reserve-full" ? "KV reserved at admission" : "KV on demand + preemption"}`,
    `KV cache  ${mem.kv_cache_bytes > 0 ? fmtBytes(mem.kv_cache_bytes) : `none (short by ${fmtBytes(-mem.kv_cache_bytes)})`} → ${mem.num_blocks.toLocaleString("en-US")} blocks = ${mem.token_capacity.toLocaleString("en-US")} tokens ${r.ep > 1 ? `per attention group, ${r.ep} groups per instance` : "per instance"}  ` +
      `(${fmtBytes(mem.device_memory_bytes)}${mem.memory_fraction_of === "total" ? ` × ${mem.memory_fraction}` : ""} − weights ${fmtBytes(mem.weights_bytes)} − activations ${fmtBytes(mem.activation_peak_bytes)} − runtime ${fmtBytes(mem.runtime_overhead_bytes)}${mem.memory_fraction_of === "free" ? `, × ${mem.memory_fraction} of the rest` : ""})`,
    `workload  ${workload}`,
  ];
  if (!r.feasible || !r.metrics) {
    lines.push("", `infeasible: ${r.infeasible_reason ?? "no result"}`);
    return lines.join("\n");
  }
  const m: ServingMetrics = r.metrics;
  lines.push(`requests  ${r.requests.completed} completed, ${r.requests.rejected} rejected${r.requests.rejected_examples.length ? ` (${r.requests.rejected_examples[0]})` : ""}`, "");
  lines.push(
    renderTable(
      [distRow("TTFT", m.ttft_s), distRow("TPOT", m.tpot_s), distRow("ITL", m.itl_s), distRow("E2E", m.e2e_s), distRow("queue delay", m.queue_delay_s)],
      [
        { header: "metric", value: (x) => x.name },
        { header: "mean", value: (x) => x.mean },
        { header: "p50", value: (x) => x.p50 },
        { header: "p90", value: (x) => x.p90 },
        { header: "p99", value: (x) => x.p99 },
        { header: "max", value: (x) => x.max },
      ],
    ),
    "",
    `throughput  ${m.throughput.requests_per_s.toFixed(2)} req/s · ${m.throughput.output_tokens_per_s.toFixed(0)} output tokens/s · ${m.throughput.total_tokens_per_s.toFixed(0)} total tokens/s` +
      (r.chips > 1 ? ` (${(r.output_tokens_per_s_per_chip ?? 0).toFixed(0)} output tokens/s per chip)` : "") +
      ` over ${fmtDuration(m.duration_s)}`,
  );
  if (m.goodput) {
    const slo = [m.goodput.ttft_slo_s !== undefined ? `TTFT ≤ ${fmtTime(m.goodput.ttft_slo_s)}` : "", m.goodput.tpot_slo_s !== undefined ? `TPOT ≤ ${fmtTime(m.goodput.tpot_slo_s)}` : ""].filter(Boolean).join(", ");
    lines.push(`goodput     ${m.goodput.requests_per_s.toFixed(2)} req/s meet ${slo} (${fmtPct(m.goodput.slo_attainment)} of requests)`);
  }
  lines.push(
    `KV cache    peak ${fmtPct(m.kv.peak_utilization)}, mean ${fmtPct(m.kv.mean_utilization)} · ${m.preemptions} preemption${m.preemptions === 1 ? "" : "s"}`,
    `engine      ${m.steps.toLocaleString("en-US")} steps, ${m.mean_batch_size.toFixed(1)} sequences and ${m.mean_step_tokens.toFixed(0)} tokens per step, busy ${fmtPct(m.utilization)}`,
  );
  if (m.energy) {
    const e = m.energy;
    lines.push(
      `energy      ${e.per_output_token_j.toPrecision(3)} J/output token · ${e.average_power_per_chip_w.toFixed(0)} W per chip on average (idle ${e.idle_power_per_chip_w.toFixed(0)} W) · ${(e.total_j / 3.6e6).toPrecision(3)} kWh over ${e.chips} chip${e.chips === 1 ? "" : "s"}`,
    );
  }
  const software = (r as ServingResult & { software?: SoftwareUsed }).software;
  if (software) lines.push("", softwareLine(software));
  if (r.notes.length) lines.push("", ...r.notes.map((n) => `note: ${n}`));
  return lines.join("\n");
}
