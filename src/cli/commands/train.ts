/**
 * `xpusim train`: one training layout's step time, throughput, MFU/HFU, memory, time-to-train,
 * chip-hours, energy and cost (flags, or a `kind: training` scenario file), or `--search`: every
 * valid (tp, pp, dp, microbatch, interleave, ZeRO, recompute) layout ranked by step time or cost,
 * with the rejected ones counted by reason.
 */
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { JOBS, layoutLabel, parseScenario, type TrainingEstimate, type TrainingOverrides, type TrainingRequest, trainingRequest, type TrainingSearchResult, trainingSearchRequest } from "../../core/app/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { emit, formatOf, json, nonNegativeInt, positiveInt, UsageError } from "../output.js";

interface TrainOpts {
  model?: string;
  chip?: string;
  chips?: number;
  system?: string;
  globalBatch?: number;
  seq?: number;
  tp?: number;
  pp?: number;
  dp?: number;
  ep?: number;
  cp?: number;
  microbatch?: number;
  interleave?: number;
  zero?: number;
  recompute?: TrainingRequest["recompute"];
  sp?: boolean;
  tokens?: number;
  dtype?: DType;
  usdPerHour?: number;
  execution?: "graph" | "eager";
  search?: boolean;
  top: number;
  rank: "time" | "cost";
  maxMicrobatch: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12, p: 1e15 };

/** A count with an optional decimal suffix: 15T, 300B, 2.5e12. */
export function parseCount(flag: string) {
  return (raw: string): number => {
    const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmbgtp])?\s*$/i.exec(raw);
    const v = m ? Number(m[1]) * (m[2] ? SUFFIX[m[2].toLowerCase()]! : 1) : Number.NaN;
    // Bounded like the integer flags, so products (tokens × price × …) stay finite.
    if (!Number.isFinite(v) || v <= 0 || v > Number.MAX_SAFE_INTEGER) throw new UsageError(`${flag} must be a positive number up to ${Number.MAX_SAFE_INTEGER} (suffixes k, M, B, T allowed), got "${raw}"`, `e.g. ${flag} 15T`);
    return v;
  };
}

export function positiveNumber(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0 || v > Number.MAX_SAFE_INTEGER) throw new UsageError(`${flag} must be a positive number up to ${Number.MAX_SAFE_INTEGER}, got "${raw}"`);
    return v;
  };
}

/** A spec file path given as a flag is read from the working directory (the scenario's own refs from its folder). */
function flagRef(ref: string | undefined): string | undefined {
  return ref !== undefined && /\.(ya?ml|json)$/i.test(ref) ? resolve(ref) : ref;
}

/** The flags as overrides of the training request (each one given overrides the scenario's field). */
function overridesOf(o: TrainOpts): TrainingOverrides {
  const all: TrainingOverrides = {
    model: flagRef(o.model),
    chip: flagRef(o.chip),
    system: flagRef(o.system),
    chips: o.chips,
    global_batch: o.globalBatch,
    seq_len: o.seq,
    tp: o.tp,
    pp: o.pp,
    dp: o.dp,
    ep: o.ep,
    cp: o.cp,
    microbatch: o.microbatch,
    interleave: o.interleave,
    zero: o.zero,
    recompute: o.recompute,
    sp: o.sp,
    tokens: o.tokens,
    dtype: o.dtype,
    usd_per_chip_hour: o.usdPerHour,
    execution: o.execution,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as TrainingOverrides;
}

export function registerTrainCommand(program: Command): void {
  program
    .command("train")
    .description("training step time, MFU, memory, time-to-train and cost of a layout; --search ranks every valid layout")
    .argument("[scenario]", "a kind: training scenario file (flags override its fields)")
    .option("--model <id>", "model id or model spec file")
    .option("--chip <id>", "chip id or chip spec file")
    .option("--chips <n>", "number of chips (default 1, or the scenario's hardware.count)", positiveInt("--chips"))
    .option("--system <id>", "system id, alias or file (default: the chip's usual system)")
    .option("--global-batch <n>", "sequences per optimizer step (default 1024)", positiveInt("--global-batch"))
    .option("--seq <n>", "sequence length in tokens (default 2048)", positiveInt("--seq"))
    .option("--tp <n>", "tensor-parallel degree (default 1)", positiveInt("--tp"))
    .option("--pp <n>", "pipeline-parallel degree (default 1)", positiveInt("--pp"))
    .option("--dp <n>", "data-parallel degree (default: chips / (tp·pp·cp))", positiveInt("--dp"))
    .option("--ep <n>", "expert-parallel degree, inside dp (MoE models; default 1)", positiveInt("--ep"))
    .option("--cp <n>", "context-parallel degree: the sequence split over cp ranks (default 1)", positiveInt("--cp"))
    .option("--microbatch <n>", "micro-batch size (default: the best that fits, chosen and reported)", positiveInt("--microbatch"))
    .option("--interleave <n>", "virtual pipeline chunks per rank (default: the best feasible, chosen and reported)", positiveInt("--interleave"))
    .option("--zero <stage>", "ZeRO stage 0-3 (default 1 with dp > 1)", nonNegativeInt("--zero"))
    .addOption(new Option("--recompute <mode>", "activation recomputation (default selective)").choices(["none", "selective", "full"]))
    .option("--sp", "sequence parallelism (default: the faster of on and off with tp > 1)")
    .option("--no-sp", "turn sequence parallelism off")
    .option("--tokens <n>", "token budget for time-to-train, e.g. 15T", parseCount("--tokens"))
    .addOption(new Option("--dtype <dtype>", "compute dtype (default bf16)").choices([...DTYPES]))
    .option("--usd-per-hour <usd>", "price of one chip-hour (default: the chip's cloud price)", positiveNumber("--usd-per-hour"))
    .addOption(new Option("--execution <mode>", "graph or eager (per-op dispatch)").choices(["graph", "eager"]))
    .option("--search", "rank every valid layout instead of pricing one")
    .option("--top <n>", "layouts to show with --search", positiveInt("--top"), 10)
    .addOption(new Option("--rank <by>", "rank --search results by step time or cost").choices(["time", "cost"]).default("time"))
    .option("--max-microbatch <n>", "largest micro-batch --search tries", positiveInt("--max-microbatch"), 16)
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .option("-o, --out <file>", "write the output to a file (atomically)")
    .action((file: string | undefined, o: TrainOpts) => {
      const format = formatOf(o);
      if (o.zero !== undefined && o.zero > 3) throw new UsageError(`--zero must be 0, 1, 2 or 3, got ${o.zero}`);
      const scenario = file ? parseScenario(readDocument(file), file) : undefined;
      if (scenario && scenario.kind !== "training") throw new UsageError(`${file} is not a training scenario`, "it needs kind: training, workload: { model }, and a training section");
      if (!scenario && (!o.model || !o.chip)) throw new UsageError("give --model and --chip (or a training scenario file)", "e.g. xpusim train --model llama-3.1-70b --chip nvidia-h100-sxm --chips 64 --search");
      const request = trainingRequest(scenario, overridesOf(o));
      const catalog = nodeCatalog(file);
      if (o.search) {
        const r = JOBS["training-search"].run(trainingSearchRequest(request, { top: o.top, rank_by: o.rank, max_microbatch: o.maxMicrobatch }), catalog);
        if (format === "json") return emit(json(r), o.out);
        if (format === "csv") return emit(renderCsv(r.top.map(flatRow)), o.out);
        return emit(renderSearch(r), o.out);
      }
      const e = JOBS.training.run(request, catalog);
      if (format === "json") return emit(json(e), o.out);
      if (format === "csv") return emit(renderCsv([flatten(e as unknown as Record<string, unknown>)]), o.out);
      emit(renderEstimate(e), o.out);
    });
}

/** Nested objects as dotted columns, arrays joined with "; ". */
export function flatten(o: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = Array.isArray(v) ? v.map(listItem).join("; ") : typeof v === "number" && !Number.isFinite(v) ? undefined : v;
  }
  return out;
}

/** A list item in one CSV cell: `field=value` for a chosen default, JSON for another object. */
function listItem(x: unknown): string {
  if (x && typeof x === "object") return "field" in x && "value" in x ? `${String(x.field)}=${String(x.value)}` : JSON.stringify(x);
  return String(x);
}

/** One ranked layout as a CSV/table row. */
export function flatRow(e: TrainingEstimate): Record<string, unknown> {
  const l = e.layout;
  return {
    tp: l.tp,
    pp: l.pp,
    dp: l.dp,
    microbatch: l.microbatch,
    interleave: l.interleave,
    zero: l.zero,
    recompute: l.recompute,
    sp: l.sp,
    step_time_s: e.step_time_s,
    tokens_per_s: e.tokens_per_s,
    model_flops_per_s_per_chip: e.model_flops_per_s_per_chip,
    mfu: e.mfu,
    hfu: e.hfu,
    memory_per_chip_bytes: e.memory_per_chip_bytes,
    communication_exposed_s: e.step_breakdown_s.communication_exposed,
    pipeline_bubble_s: e.step_breakdown_s.pipeline_bubble,
    time_to_train_s: e.time_to_train_s,
    chip_hours: e.chip_hours,
    cost_usd: e.cost_usd,
    energy_j: e.energy_j,
  };
}

export function renderEstimate(e: TrainingEstimate): string {
  const m = e.memory_breakdown_bytes;
  const b = e.step_breakdown_s;
  const l = e.layout;
  const share = (x: number) => fmtPct(x / e.step_time_s);
  return [
    `${e.model} training on ${e.chips} × ${e.chip}${e.system ? ` (${e.system})` : ""}`,
    `  layout               tp ${l.tp}${l.cp > 1 ? ` · cp ${l.cp}` : ""} · pp ${l.pp} · dp ${l.dp}${l.ep > 1 ? ` · ep ${l.ep}` : ""}${l.sp ? " · sp" : ""} · micro-batch ${l.microbatch} × ${e.microbatches_per_step} · interleave ${l.interleave} · ZeRO ${l.zero} · recompute ${l.recompute}`,
    `  step time            ${fmtTime(e.step_time_s)}  bound: ${e.bound}`,
    `    forward            ${fmtTime(b.forward).padEnd(10)} ${share(b.forward)}`,
    `    backward           ${fmtTime(b.backward).padEnd(10)} ${share(b.backward)}`,
    `    recompute          ${fmtTime(b.recompute).padEnd(10)} ${share(b.recompute)}`,
    `    tensor-parallel    ${fmtTime(b.tensor_parallel_comm).padEnd(10)} ${share(b.tensor_parallel_comm)}`,
    ...(l.ep > 1 || b.expert_parallel_comm > 0 ? [`    expert-parallel    ${fmtTime(b.expert_parallel_comm).padEnd(10)} ${share(b.expert_parallel_comm)} (all-to-alls)`] : []),
    ...(l.cp > 1 || b.context_parallel_comm > 0 ? [`    context-parallel   ${fmtTime(b.context_parallel_comm).padEnd(10)} ${share(b.context_parallel_comm)} (ring attention, exposed)`] : []),
    `    pipeline p2p       ${fmtTime(b.pipeline_p2p).padEnd(10)} ${share(b.pipeline_p2p)}`,
    `    data-parallel      ${fmtTime(b.data_parallel_exposed).padEnd(10)} ${share(b.data_parallel_exposed)} (exposed)`,
    `    overlap slowdown   ${fmtTime(b.overlap_slowdown).padEnd(10)} ${share(b.overlap_slowdown)} (compute lost to overlapped communication)`,
    `    pipeline bubble    ${fmtTime(b.pipeline_bubble).padEnd(10)} ${share(b.pipeline_bubble)}`,
    `    optimizer          ${fmtTime(b.optimizer).padEnd(10)} ${share(b.optimizer)}`,
    `  throughput           ${fmtSi(e.tokens_per_s, "tokens/s")} · ${e.samples_per_s.toPrecision(4)} samples/s`,
    `  model FLOP/s/chip    ${fmtSi(e.model_flops_per_s_per_chip, "FLOP/s")}  MFU ${fmtPct(e.mfu)}  HFU ${fmtPct(e.hfu)}`,
    `  memory per chip      ${fmtBytes(e.memory_per_chip_bytes)} of ${fmtBytes(e.memory_capacity_bytes)} — ${e.fits ? "fits" : `does NOT fit (short by ${fmtBytes(e.shortfall_bytes)})`}`,
    `    weights ${fmtBytes(m.weights)} · gradients ${fmtBytes(m.gradients)} · optimizer ${fmtBytes(m.optimizer)} · activations ${fmtBytes(m.activations)} · other ${fmtBytes(m.other)}`,
    ...(e.energy_per_step_j !== undefined ? [`  energy per step      ${fmtSi(e.energy_per_step_j, "J")}`] : []),
    ...(e.time_to_train_s !== undefined
      ? [
          `  time to train        ${fmtTime(e.time_to_train_s)} · ${fmtSi(e.chip_hours, "chip-hours")}${e.cost_usd !== undefined ? ` · $${fmtSi(e.cost_usd)}` : " · no price (--usd-per-hour)"}${e.energy_j !== undefined ? ` · ${fmtSi(e.energy_j / 3600, "Wh")}` : ""}`,
        ]
      : ["  time to train        give --tokens (e.g. 15T)"]),
    ...(e.chosen_defaults?.length ? ["", ...e.chosen_defaults.map((c) => `chosen: ${c.field} = ${String(c.value)} — ${c.why}`)] : []),
    ...(e.warnings.length ? ["", ...e.warnings.map((w) => `note: ${w}`)] : []),
  ].join("\n");
}

export function renderSearch(r: TrainingSearchResult): string {
  const lines = [
    `${r.model} on ${r.chips} × ${r.chip}${r.system ? ` (${r.system})` : ""}: global batch ${r.global_batch} × ${r.seq_len} tokens`,
    `${r.evaluated} layouts priced, ${r.feasible} fit; best ${Math.min(r.top.length, r.feasible)} by ${r.rank_by === "cost" ? "cost" : "step time"}:`,
    "",
  ];
  if (r.top.length) {
    lines.push(
      renderTable(
        r.top.map((e, i) => ({ e, i })),
        [
          { header: "#", value: (x) => x.i + 1 },
          { header: "layout", value: (x) => layoutLabel(x.e.layout), align: "left" },
          { header: "step", value: (x) => fmtTime(x.e.step_time_s) },
          { header: "tokens/s", value: (x) => fmtSi(x.e.tokens_per_s) },
          { header: "MFU", value: (x) => fmtPct(x.e.mfu) },
          { header: "HFU", value: (x) => fmtPct(x.e.hfu) },
          { header: "comm", value: (x) => fmtTime(x.e.step_breakdown_s.communication_exposed) },
          { header: "bubble", value: (x) => fmtTime(x.e.step_breakdown_s.pipeline_bubble) },
          { header: "memory/chip", value: (x) => fmtBytes(x.e.memory_per_chip_bytes) },
          { header: "time to train", value: (x) => fmtTime(x.e.time_to_train_s) },
          { header: "cost", value: (x) => (x.e.cost_usd !== undefined ? `$${fmtSi(x.e.cost_usd)}` : undefined) },
        ],
      ),
    );
  }
  if (r.closest) lines.push("", `closest (does not fit): ${layoutLabel(r.closest.layout)}`, renderEstimate(r.closest));
  if (r.rejections.length) {
    lines.push("", "rejected:");
    for (const j of r.rejections) lines.push(`  ${String(j.count).padStart(6)}  ${j.reason}`, ...j.examples.map((x) => `          e.g. ${x}`));
  }
  if (r.notes.length) lines.push("", ...r.notes.map((n) => `note: ${n}`));
  return lines.join("\n");
}
