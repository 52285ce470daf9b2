/**
 * `xpusim estimate <scenario.yaml|json>`: runs a scenario file (docs/scenario.md) and prints the
 * contract's result fields; --json prints the one result object other tools consume.
 */
import type { Command } from "commander";
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import { type AnyScenario, infeasibleReason, parseAnyScenario, renderPipelineText, type Scenario, type InferenceEstimate, type OpEstimate, publicScenarioResult, runScenario, type ScenarioEstimate, softwareLine } from "../../core/app/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv } from "../../core/report/table.js";
import { readDocument } from "../../node/read-document.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, InfeasibleResult, json } from "../output.js";
import { renderCollective } from "./collective.js";
import { renderOpTable } from "./op.js";
import { renderServing } from "./serve.js";
import { renderEstimate } from "./train-render.js";

export function registerEstimateCommand(program: Command): void {
  program
    .command("estimate")
    .description("run a scenario file (kind: op | inference | training | serving | pipeline); see docs/scenario.md")
    .argument("<scenario>", "scenario YAML or JSON file")
    .option("--json", "print the result object as JSON")
    .option("--csv", "print the result's scalar fields as CSV")
    .option("-o, --out <file>", "write the output to a file (atomically) instead of stdout")
    .action((file: string, o: { json?: boolean; csv?: boolean; out?: string }) => {
      const format = formatOf(o);
      const scenario = parseAnyScenario(readDocument(file), file);
      let result: ScenarioEstimate;
      try {
        result = runScenario(scenario, nodeCatalog(file));
      } catch (e) {
        // The engine names the field (workload.op.seq_q, parallelism.tp …); the file is this scenario's.
        if (e instanceof XpusimError) throw e.withFile(file);
        throw e;
      }
      const publicResult = publicScenarioResult(result);
      if (format === "json") emit(json(publicResult), o.out);
      else if (format === "csv") emit(renderCsv([scalars(publicResult)]), o.out);
      else emit(render(result, scenario), o.out);
      // Printed as usual; the exit code says it does not fit (README, exit codes).
      const infeasible = infeasibleReason(result);
      if (infeasible) throw new InfeasibleResult(infeasible);
    });
}

function scalars(o: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(out, scalars(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = Array.isArray(v) ? v.map((x) => (typeof x === "object" ? JSON.stringify(x) : x)).join("; ") : v;
  }
  return out;
}

function render(r: ScenarioEstimate, s: AnyScenario): string {
  if (r.kind === "pipeline") return renderPipelineText(r);
  if (s.kind === "pipeline") throw new Error("a pipeline scenario gave a non-pipeline result");
  if (r.kind === "op") return renderOpTable([r as OpEstimate]);
  if (r.kind === "serving") return renderServing(r, servingWorkloadLine(r.requests.total, s));
  if (r.kind === "inference") return renderInference(r);
  if (r.kind === "collective") return renderCollective(r);
  return renderEstimate(r);
}

/** "200 requests, poisson at 4/s, seed 1" from the scenario's serving section. */
function servingWorkloadLine(total: number, s: Scenario): string {
  const sv = s.serving!;
  const how = sv.arrival === "closed" ? `closed loop with ${sv.concurrency} clients` : sv.arrival === "offline" ? "all at t = 0" : sv.arrival ? `${sv.arrival} at ${sv.rate_per_s}/s` : "the trace's arrival times";
  const len = (t: typeof sv.input_tokens) => (typeof t === "number" ? String(t) : typeof t === "string" ? t : `${t.dist} mean ${t.mean}`);
  return `${total} requests, ${how}, input ${len(sv.input_tokens)}, output ${len(sv.output_tokens)} tokens, seed ${sv.seed}`;
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
    ...(r.software ? ["", softwareLine(r.software)] : []),
    ...(r.warnings.length ? ["", ...r.warnings.map((w) => `note: ${w}`)] : []),
  ].join("\n");
}
