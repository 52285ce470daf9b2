/**
 * `xpusim estimate <scenario.yaml|json>`: runs a scenario file (docs/scenario.md) and prints the
 * contract's result fields; --json prints the one result object other tools consume.
 */
import type { Command } from "commander";
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import { type InferenceEstimate, type OpEstimate, parseScenario, runScenario, type ScenarioEstimate, type TrainingEstimate } from "../../core/app/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv } from "../../core/report/table.js";
import { readDocument } from "../../node/read-document.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, json } from "../output.js";
import { renderCollective } from "./collective.js";
import { renderOpTable } from "./op.js";

export function registerEstimateCommand(program: Command): void {
  program
    .command("estimate")
    .description("run a scenario file (kind: op | inference | training); see docs/scenario.md")
    .argument("<scenario>", "scenario YAML or JSON file")
    .option("--json", "print the result object as JSON")
    .option("--csv", "print the result's scalar fields as CSV")
    .option("-o, --out <file>", "write the output to a file (atomically) instead of stdout")
    .action((file: string, o: { json?: boolean; csv?: boolean; out?: string }) => {
      const format = formatOf(o);
      const scenario = parseScenario(readDocument(file), file);
      let result: ScenarioEstimate;
      try {
        result = runScenario(scenario, nodeCatalog(file));
      } catch (e) {
        // The engine names the field (workload.op.seq_q, parallelism.tp …); the file is this scenario's.
        if (e instanceof XpusimError) throw e.withFile(file);
        throw e;
      }
      const publicResult = toPublic(result);
      if (format === "json") return emit(json(publicResult), o.out);
      if (format === "csv") return emit(renderCsv([scalars(publicResult)]), o.out);
      emit(render(result), o.out);
    });
}

/** The result object of the scenario contract (large per-op detail dropped). */
export function toPublic(r: ScenarioEstimate): Record<string, unknown> {
  if (r.kind === "inference") {
    const { prefill_detail, ...rest } = r;
    return rest;
  }
  return { ...r };
}

function scalars(o: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(out, scalars(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = Array.isArray(v) ? v.map((x) => (typeof x === "object" ? JSON.stringify(x) : x)).join("; ") : v;
  }
  return out;
}

function render(r: ScenarioEstimate): string {
  if (r.kind === "op") return renderOpTable([r as OpEstimate]);
  if (r.kind === "inference") return renderInference(r);
  if (r.kind === "collective") return renderCollective(r);
  return renderTraining(r);
}

function renderInference(r: InferenceEstimate): string {
  const m = r.memory_breakdown_bytes;
  const layout = r.tp * r.pp > 1 ? `, tp ${r.tp} · pp ${r.pp}${r.communication ? ` on ${r.communication.system}` : ""}` : "";
  const comm = (c: number | undefined) => (c !== undefined && c > 0 ? `   (communication ${fmtTime(c)})` : "");
  const decode = r.phases.decode;
  const sp = r.speculative;
  const prec = r.precision;
  return [
    `${r.model} inference on ${r.chips} × ${r.chip} (${r.replicas} replica${r.replicas > 1 ? "s" : ""}, batch ${r.batch_per_replica} each${layout})`,
    `  precision                     ${prec.executed}${prec.fallback ? ` (requested ${prec.requested})` : ""}${prec.dequant_time_fraction ? ` · weight dequantisation +${fmtPct(prec.dequant_time_fraction.prefill)} prefill${prec.dequant_time_fraction.decode !== undefined ? `, +${fmtPct(prec.dequant_time_fraction.decode)} decode` : ""}` : ""}`,
    `  TTFT (prefill of the batch)   ${fmtTime(r.ttft_s)}   bound: ${r.phases.prefill.bound}${comm(r.phases.prefill.comm_s)}`,
    ...(decode ? [`  TPOT (per output token)       ${fmtTime(r.tpot_s)}   bound: ${decode.bound}${comm(decode.comm_s !== undefined ? decode.comm_s / Math.max(1, decode.steps) : undefined)}`] : []),
    ...(sp
      ? [
          `  speculative decoding          k ${sp.draft_tokens}, α ${sp.acceptance_rate}${sp.draft_model ? `, draft ${sp.draft_model}` : ", self-speculation (draft cost 0)"}: ${sp.expected_tokens_per_step.toFixed(2)} tokens per target pass, ${sp.target_passes} passes`,
          `    draft step ${fmtTime(sp.draft_step_s)} · verify pass ${fmtTime(sp.verify_step_s)} · plain TPOT ${fmtTime(sp.plain_tpot_s)} → ${sp.speedup.toFixed(2)}× faster`,
        ]
      : []),
    `  end-to-end latency            ${fmtTime(r.e2e_latency_s)}`,
    r.output_tokens_per_s > 0 ? `  output throughput             ${r.output_tokens_per_s.toFixed(1)} tokens/s (all chips)` : `  throughput                    ${r.samples_per_s.toFixed(2)} samples/s`,
    `  memory per chip               ${fmtBytes(r.memory_per_chip_bytes)} of ${fmtBytes(r.memory_capacity_bytes)} — ${r.fits ? "fits" : `does NOT fit (short by ${fmtBytes(r.shortfall_bytes)})`}`,
    `    weights ${fmtBytes(m.weights)} · KV cache ${fmtBytes(m.kv_cache)} · activations ${fmtBytes(m.activations)} · runtime ${fmtBytes(m.other)}${m.draft_model !== undefined ? ` · draft model ${fmtBytes(m.draft_model)}` : ""}`,
    ...(r.max_batch_that_fits !== undefined || r.max_context_that_fits !== undefined
      ? [`    fits up to: batch ${r.max_batch_that_fits ?? "?"} at this length · context ${r.max_context_that_fits ?? "?"} tokens at this batch`]
      : []),
    ...(r.communication ? [`  TP collectives                ${r.communication.tp_collectives_per_layer} all-reduces per layer, ${r.communication.tp_collectives_per_pass} per pass`] : []),
    ...(r.energy_j !== undefined ? [`  energy                        ${fmtSi(r.energy_j, "J")}${r.energy_per_output_token_j !== undefined ? ` (${r.energy_per_output_token_j.toPrecision(3)} J/token)` : ""}${r.average_power_w !== undefined ? ` · average power ${fmtSi(r.average_power_w, "W")}` : ""}`] : []),
    ...(r.usd_per_million_tokens !== undefined ? [`  cost                          $${r.usd_per_million_tokens.toFixed(3)} per million output tokens (cloud $/hour)`] : []),
    ...(r.warnings.length ? ["", ...r.warnings.map((w) => `note: ${w}`)] : []),
  ].join("\n");
}

function renderTraining(r: TrainingEstimate): string {
  const m = r.memory_breakdown_bytes;
  const b = r.step_breakdown_s;
  return [
    `${r.model} training on ${r.chips} × ${r.chip}${r.system ? ` (${r.system})` : ""}: tp ${r.layout.tp} · pp ${r.layout.pp}${r.layout.interleave > 1 ? `×${r.layout.interleave}` : ""} · dp ${r.layout.dp}${r.layout.sp ? " · sp" : ""}${r.layout.zero ? ` · ZeRO-${r.layout.zero}` : ""} · micro-batch ${r.layout.microbatch} · recompute ${r.layout.recompute}`,
    `  step time            ${fmtTime(r.step_time_s)}  (${r.microbatches_per_step} micro-batches)  bound: ${r.bound}`,
    `    forward ${fmtTime(b.forward)} · backward ${fmtTime(b.backward)} · recompute ${fmtTime(b.recompute)} · optimizer ${fmtTime(b.optimizer)}`,
    `    TP comm ${fmtTime(b.tensor_parallel_comm)} · pipeline p2p ${fmtTime(b.pipeline_p2p)} · bubble ${fmtTime(b.pipeline_bubble)} · exposed DP reduction ${fmtTime(b.data_parallel_exposed)} · overlap slowdown ${fmtTime(b.overlap_slowdown)}`,
    r.tokens_per_s !== r.samples_per_s ? `  throughput           ${r.tokens_per_s.toFixed(0)} tokens/s · ${r.samples_per_s.toFixed(2)} samples/s` : `  throughput           ${r.samples_per_s.toFixed(1)} samples/s`,
    `  model FLOP/s/chip    ${fmtSi(r.model_flops_per_s_per_chip, "FLOP/s")}  MFU ${fmtPct(r.mfu)}  HFU ${fmtPct(r.hfu)}`,
    `  memory per chip      ${fmtBytes(r.memory_per_chip_bytes)} of ${fmtBytes(r.memory_capacity_bytes)} — ${r.fits ? "fits" : `does NOT fit (short by ${fmtBytes(r.shortfall_bytes)})`}`,
    `    weights ${fmtBytes(m.weights)} · gradients ${fmtBytes(m.gradients)} · optimizer ${fmtBytes(m.optimizer)} · activations ${fmtBytes(m.activations)} · other ${fmtBytes(m.other)}`,
    ...(r.time_to_train_s !== undefined ? [`  time to train        ${fmtTime(r.time_to_train_s)} · ${Math.round(r.chip_hours ?? 0).toLocaleString("en-US")} chip-hours${r.cost_usd !== undefined ? ` · $${Math.round(r.cost_usd).toLocaleString("en-US")}` : ""}${r.energy_j !== undefined ? ` · ${fmtSi(r.energy_j / 3.6e9, "MWh")}` : ""}`] : []),
    ...(r.energy_per_step_j !== undefined ? [`  energy per step      ${fmtSi(r.energy_per_step_j, "J")}`] : []),
    ...(r.warnings.length ? ["", ...r.warnings.map((w) => `note: ${w}`)] : []),
  ].join("\n");
}
