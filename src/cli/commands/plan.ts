/**
 * `xpusim plan serve --model M --slo ttft=500ms,tpot=50ms --rate 20/s [--chips all|a,b]
 * [--max-chips 8] [--precision bf16,fp8,int8,w4a16] [--budget 100] [--power 15W]
 * [--input 1024 --output 256] [--simulate-top 6] [--max-simulated 40] [--json|--csv]`: the
 * deployments (chip × count × tp × precision × batch limit) that serve the model at the rate within
 * the SLO, cheapest per million tokens first, with the reason every other candidate fails. Flags →
 * ServingPlanJobRequest → JOBS["serving-plan"] (core/app/jobs/serving-plan-job.ts) → table.
 */
import type { Command } from "commander";
import { JOBS, type PlanDeployment, SERVING_PLAN_DEFAULTS, type ServingPlan, type ServingPlanJobRequest, servingText as flagText } from "../../core/app/index.js";
import { fmtBytes, renderCsv, renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readFlag } from "../flag-text.js";
import { emit, formatOf, json, positiveInt, reportInfeasible, UsageError } from "../output.js";

const D = SERVING_PLAN_DEFAULTS;

interface PlanServeOpts {
  model: string;
  slo: string;
  rate?: string;
  chips?: string;
  maxChips?: number;
  precision?: string;
  budget?: string;
  power?: string;
  input?: number;
  output?: number;
  simulateTop?: number;
  maxSimulated?: number;
  seed?: string;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

const fmtS = (s: number | undefined) => (s === undefined ? "—" : s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`);
const fmtUsd = (x: number | undefined) => (x === undefined ? "—" : `$${x < 10 ? x.toFixed(3) : x.toFixed(2)}`);

function rows(plan: ServingPlan): Record<string, unknown>[] {
  return plan.deployments.map((d) => ({
    chip: d.chip,
    precision: d.precision,
    precision_executed: d.precision_executed,
    tp: d.tp,
    ep: d.ep,
    replicas: d.replicas,
    chips: d.chips,
    max_num_seqs: d.max_num_seqs,
    ttft_p90_s: d.ttft_p90_s,
    tpot_p90_s: d.tpot_p90_s,
    usd_per_hour: d.usd_per_hour,
    usd_per_million_tokens: d.usd_per_million_tokens,
    watts_per_replica: d.watts_per_replica,
    average_watts_per_replica: d.average_watts_per_replica,
    energy_per_output_token_j: d.energy_per_output_token_j,
    memory_per_chip_bytes: d.memory_per_chip_bytes,
    notes: d.notes.join("; "),
  }));
}

function searchLine(plan: ServingPlan): string {
  const s = plan.search;
  return (
    `${plan.candidates_considered} candidates, ${s.simulated_candidates} simulated (${plan.simulations} simulation${plan.simulations === 1 ? "" : "s"})` +
    (s.pruned_by_bound ? `, ${s.pruned_by_bound} that cannot beat the cheapest confirmed one skipped` : "") +
    (s.left_by_budget ? `; ${s.left_by_budget} left out by the budget of ${s.max_simulated} (--max-simulated)` : "")
  );
}

function render(plan: ServingPlan): string {
  const slo = [plan.slo.ttft_s ? `TTFT p90 ≤ ${fmtS(plan.slo.ttft_s)}` : "", plan.slo.tpot_s ? `TPOT p90 ≤ ${fmtS(plan.slo.tpot_s)}` : ""].filter(Boolean).join(", ");
  const lines = [
    `${plan.model}: ${plan.rate_per_s}/s requests of ${plan.input_tokens} → ${plan.output_tokens} tokens, ${slo}`,
    searchLine(plan),
    "",
  ];
  if (plan.deployments.length) {
    lines.push(
      renderTable(plan.deployments, [
        { header: "#", value: (d: PlanDeployment) => String(plan.deployments.indexOf(d) + 1) },
        { header: "chip", value: (d) => d.chip },
        { header: "precision", value: (d) => d.precision },
        { header: "tp", value: (d) => String(d.tp) },
        ...(plan.deployments.some((d) => d.ep > 1) ? [{ header: "ep", value: (d: PlanDeployment) => String(d.ep) }] : []),
        { header: "replicas", value: (d) => String(d.replicas) },
        { header: "chips", value: (d) => String(d.chips) },
        { header: "max seqs", value: (d) => String(d.max_num_seqs) },
        { header: "TTFT p90", value: (d) => fmtS(d.ttft_p90_s) },
        { header: "TPOT p90", value: (d) => fmtS(d.tpot_p90_s) },
        { header: "$/h", value: (d) => fmtUsd(d.usd_per_hour) },
        { header: "$/M tok", value: (d) => fmtUsd(d.usd_per_million_tokens) },
        { header: "TDP W/rep", value: (d) => (d.watts_per_replica === undefined ? "—" : String(Math.round(d.watts_per_replica))) },
        { header: "avg W/rep", value: (d) => (d.average_watts_per_replica === undefined ? "—" : String(Math.round(d.average_watts_per_replica))) },
        { header: "J/tok", value: (d) => (d.energy_per_output_token_j === undefined ? "—" : d.energy_per_output_token_j.toPrecision(3)) },
        { header: "mem/chip", value: (d) => fmtBytes(d.memory_per_chip_bytes) },
      ]),
    );
    const noted = plan.deployments.filter((d) => d.notes.length);
    if (noted.length) {
      lines.push("");
      for (const d of noted) lines.push(`#${plan.deployments.indexOf(d) + 1} ${d.chip} ${d.precision}: ${d.notes.join("; ")}`);
    }
  } else {
    lines.push("no deployment meets the SLO.");
    const c = plan.closest;
    if (c) {
      lines.push(
        "slo_ratio" in c && "reason" in c
          ? `closest: ${c.chip} ${c.precision ?? ""} tp ${c.tp ?? "?"} — ${c.reason}`
          : `closest: ${c.chip} ${c.precision} tp ${c.tp} × ${(c as PlanDeployment).replicas} — ${(((c.slo_ratio ?? 1) - 1) * 100).toFixed(0)}% over the SLO`,
      );
    }
  }
  if (plan.rejected.length) {
    lines.push("", "why the others fail:");
    // Group identical reasons per chip to keep the list short.
    const shown = plan.rejected.slice(0, 40);
    for (const r of shown) lines.push(`  ${r.chip}${r.precision ? ` ${r.precision}` : ""}${r.tp ? ` tp${r.tp}` : ""}${r.ep ? ` ep${r.ep}` : ""}: ${r.reason}`);
    if (plan.rejected.length > shown.length) lines.push(`  … ${plan.rejected.length - shown.length} more (--json lists all)`);
  }
  return lines.join("\n");
}

export function registerPlanCommand(program: Command): void {
  const plan = program.command("plan").description("hardware selection: search deployments that meet a goal");
  plan
    .command("serve")
    .description("chips × counts × tensor/expert parallelism × precision × batch limits that serve a model at a rate within TTFT/TPOT SLOs, cheapest first")
    .requiredOption("--model <id>", "decoder LLM: model id or spec file")
    .requiredOption("--slo <spec>", "SLOs on p90 latency, e.g. ttft=500ms,tpot=50ms")
    .option("--rate <r>", `mean request rate (20/s, 600/min; default ${D.rate_per_s}/s)`)
    .option("--chips <list>", `candidate chips: "all" or ids separated by commas (default ${D.chips})`)
    .option("--max-chips <n>", `largest tensor-parallel group per replica (default ${D.max_chips})`, positiveInt("--max-chips"))
    .option("--precision <list>", `precisions to try, comma-separated (default ${D.precisions.join(",")})`)
    .option("--budget <usd/h>", "most dollars per hour for the whole deployment")
    .option("--power <W>", "most power per replica (TDP × chips), e.g. 15W")
    .option("--input <tokens>", `prompt length (default ${D.input_tokens})`, positiveInt("--input"))
    .option("--output <tokens>", `output length (default ${D.output_tokens})`, positiveInt("--output"))
    .option("--simulate-top <n>", `simulate at least the n cheapest analytic candidates, then every other one that can still win (default ${D.simulate_top})`, positiveInt("--simulate-top"))
    .option("--max-simulated <n>", `most candidates to simulate in all (default ${D.max_simulated}); the output says what the budget left out`, positiveInt("--max-simulated"))
    .option("--seed <n>", `random seed of the simulated workload (default ${D.seed})`)
    .option("--json", "print the plan as JSON (all rejections included)")
    .option("--csv", "print the ranked deployments as CSV")
    .option("-o, --out <file>", "write the output to a file instead of stdout")
    .action((o: PlanServeOpts) => {
      const format = formatOf(o);
      const result = JOBS["serving-plan"].run(planRequest(o), nodeCatalog());
      // Printed as usual (with the closest configuration); the exit code says nothing meets the SLO.
      if (result.deployments.length === 0) reportInfeasible();
      if (format === "json") return emit(json(result), o.out);
      if (format === "csv") return emit(renderCsv(rows(result)), o.out);
      emit(render(result), o.out);
    });
}

/** Flags → the serving-plan job's request. */
function planRequest(o: PlanServeOpts): ServingPlanJobRequest {
  const rate = o.rate !== undefined ? readFlag(() => flagText.parseRate(o.rate!, "--rate")) : D.rate_per_s;
  if (!Number.isFinite(rate)) throw new UsageError("--rate must be finite for a plan");
  return {
    model: o.model,
    slo: readFlag(() => flagText.parseSlo(o.slo, "--slo")),
    rate_per_s: rate,
    ...(o.chips !== undefined ? { chips: readFlag(() => flagText.parseChipList(o.chips!, "--chips")) } : {}),
    ...(o.precision !== undefined ? { precisions: readFlag(() => flagText.parseNameList(o.precision!, "--precision", "precision")) } : {}),
    ...(o.maxChips !== undefined ? { max_chips: o.maxChips } : {}),
    ...(o.input !== undefined ? { input_tokens: o.input } : {}),
    ...(o.output !== undefined ? { output_tokens: o.output } : {}),
    ...(o.simulateTop !== undefined ? { simulate_top: o.simulateTop } : {}),
    ...(o.maxSimulated !== undefined ? { max_simulated: o.maxSimulated } : {}),
    ...(o.seed !== undefined ? { seed: readFlag(() => flagText.parseInteger(o.seed!, "--seed")) } : {}),
    ...(o.budget !== undefined ? { budget_usd_per_hour: readFlag(() => flagText.parseBudget(o.budget!, "--budget")) } : {}),
    ...(o.power !== undefined ? { power_limit_w: readFlag(() => flagText.parsePower(o.power!, "--power")) } : {}),
  };
}
