/**
 * `xpusim assess --chips A,B --workload <model id | scenario file> --mode training|inference`: every
 * factor of the mode for each chip (value, unit, rank, what limits it), the weighted ranking and the
 * weight changes that flip the top choice. The assessment lives in the assess job (src/core/assess).
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { type AssessRequest, type AssessResult, type FactorValue, JOBS } from "../../core/app/index.js";
import { error, XpusimError } from "../../core/diagnostics/diagnostic.js";
import { fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { emit, formatOf, InfeasibleResult, json, positiveInt } from "../output.js";

interface AssessOpts {
  chips: string;
  workload: string;
  mode?: string;
  count?: number;
  weights?: string;
  powerCap?: string;
  cooling?: string;
  ambient?: string;
  pue?: string;
  usdPerKwh?: string;
  deployment?: string;
  dtype?: string;
  batch?: number;
  seq?: number;
  input?: number;
  output?: number;
  image?: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

export function registerAssessCommand(program: Command): void {
  const cmd = program
    .command("assess")
    .description("every factor of a mode (training: compute … cost; inference: latency … deployment) for chips on one workload, ranked, with weights and what flips the top choice")
    .requiredOption("--chips <ids>", "comma-separated chip ids or spec files")
    .requiredOption("--workload <model|scenario>", "model id or spec file, or a scenario file (kind: inference | training)")
    .option("--mode <mode>", "training or inference (default: the scenario's kind)")
    .option("--count <n>", "chips the workload runs on (default 1, or the scenario's count)", positiveInt("--count"))
    .option("--dtype <dtype>", "math dtype on every chip (default: each chip's native)")
    .option("--batch <n>", "inference batch, or the training global batch (default 1; training 8 per chip)", positiveInt("--batch"))
    .option("--seq <n>", "training sequence length (default 2048, capped)", positiveInt("--seq"))
    .option("--input <n>", "inference prompt tokens (default 2048, capped)", positiveInt("--input"))
    .option("--output <n>", "inference generated tokens (default 256)", positiveInt("--output"))
    .option("--image <px>", "vision models: image size", positiveInt("--image"));
  addConditionOptions(cmd)
    .option("--json", "print the result as JSON")
    .option("--csv", "print one row per chip and factor as CSV")
    .option("-o, --out <file>", "write the output to a file instead of stdout")
    .action((o: AssessOpts) => {
      const format = formatOf(o);
      const result = JOBS.assess.run(requestOf(o), nodeCatalog());
      emit(format === "json" ? json(result) : format === "csv" ? renderCsv(csvRows(result)) : renderAssess(result), o.out);
      if (result.ranking && result.ranking.unscored.length === result.chips.length) throw new InfeasibleResult(`no chip can run ${result.workload}: ${result.chips.map((c) => `${c.chip}: ${c.infeasible_reason}`).join("; ")}`);
    });
}

function numberFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new XpusimError(error("E_RANGE", flag, `${flag} must be a number`, { got: raw }));
  return v;
}

/** `compute=2,cost=1` → { compute: 2, cost: 1 }; malformed entries are bad input naming the flag. */
export function parseWeights(raw: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)\s*=\s*(.+)$/i.exec(part);
    const v = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(v)) throw new XpusimError(error("E_SCHEMA", "--weights", `cannot read "${part}"`, { expected: "factor=number, comma-separated", hint: "e.g. --weights compute=2,cost=1" }));
    out[m[1]!] = v;
  }
  return out;
}

function workloadOf(ref: string): Pick<AssessRequest, "model" | "scenario"> {
  if (/\.(ya?ml|json)$/i.test(ref) && existsSync(ref)) {
    const doc = readDocument(ref);
    if (doc && typeof doc === "object" && "kind" in doc) return { scenario: doc };
  }
  return { model: ref };
}

/** The condition and weight flags shared by `assess` and `report`. */
export type ConditionFlags = Pick<AssessOpts, "powerCap" | "cooling" | "ambient" | "pue" | "usdPerKwh" | "deployment" | "weights">;

export function addConditionOptions(cmd: Command): Command {
  return cmd
    .option("--weights <list>", "weights per factor, e.g. compute=2,cost=1 (default 1 each)")
    .option("--power-cap <W>", "board power cap, W")
    .option("--cooling <kind>", "air or liquid")
    .option("--ambient <C>", "ambient temperature, °C")
    .option("--pue <x>", "facility PUE (≥ 1)")
    .option("--usd-per-kwh <x>", "electricity price, USD/kWh")
    .option("--deployment <where>", "cloud, on-premises or edge (default: the best-suited)");
}

/** The request fields the condition flags give (conditions and weights), only those set. */
export function conditionsOf(o: ConditionFlags): Pick<AssessRequest, "conditions" | "weights"> {
  const num = (flag: string, raw: string | undefined) => numberFlag(flag, raw);
  const conditions = Object.fromEntries(
    Object.entries({
      power_cap_w: num("--power-cap", o.powerCap),
      cooling: o.cooling,
      ambient_c: num("--ambient", o.ambient),
      pue: num("--pue", o.pue),
      usd_per_kwh: num("--usd-per-kwh", o.usdPerKwh),
      deployment: o.deployment,
    }).filter(([, v]) => v !== undefined),
  );
  return {
    ...(o.weights !== undefined ? { weights: parseWeights(o.weights) } : {}),
    ...(Object.keys(conditions).length ? { conditions } : {}),
  };
}

function requestOf(o: AssessOpts): AssessRequest {
  const chips = o.chips.split(",").map((s) => s.trim()).filter(Boolean);
  const set = <K extends string, V>(k: K, v: V | undefined) => (v !== undefined ? ({ [k]: v } as Record<K, V>) : {});
  return {
    chips,
    ...workloadOf(o.workload),
    ...set("mode", o.mode),
    ...set("count", o.count),
    ...conditionsOf(o),
    ...(o.dtype ? { precision: { compute: o.dtype } as AssessRequest["precision"] } : {}),
    ...set("batch", o.batch),
    ...set("seq_len", o.seq),
    ...set("input_tokens", o.input),
    ...set("output_tokens", o.output),
    ...set("image_size", o.image),
  };
}

function csvRows(r: AssessResult): Record<string, unknown>[] {
  return r.chips.flatMap((c) => r.factor_keys.map((k) => {
    const f = c.factors[k]!;
    return { chip: c.chip, factor: k, value: f.value, unit: f.unit, rank: f.rank, limited_by: f.limited_by, note: f.note, missing: f.missing?.join("; "), score: c.score, overall_rank: c.overall_rank };
  }));
}

/** A factor's value in its unit, for the table. */
export function fmtFactor(f: FactorValue | undefined): string {
  if (!f || f.value === null) {
    const missing = f?.missing ?? [];
    // The table names the first missing figure; --json lists them all.
    return `— (${missing[0] ?? "no data"}${missing.length > 1 ? ` +${missing.length - 1}` : ""})`;
  }
  const v = f.value;
  const text = f.unit === "fraction" ? fmtPct(v) : f.unit === "s" ? fmtTime(v) : f.unit === "chips" ? `${v} chip${v === 1 ? "" : "s"}` : f.unit === "score" ? v.toFixed(2) : fmtSi(v, f.unit);
  return `${text} #${f.rank}`;
}

export function renderAssess(r: AssessResult): string {
  const rows = r.factor_keys.map((k) => ({ k }));
  const columns = [{ header: "factor", value: (x: { k: string }) => x.k }, ...r.chips.map((c) => ({ header: c.chip, value: (x: { k: string }) => fmtFactor(c.factors[x.k as keyof typeof c.factors]) }))];
  const out = [`${r.mode} assessment: ${r.workload}`, "", renderTable(rows, columns), ""];
  out.push(...r.chips.map((c) => `${c.chip}: ${c.precision ?? ""}${c.infeasible_reason ? ` — cannot run: ${c.infeasible_reason}` : ""}`));
  const limits = r.chips.flatMap((c) => r.factor_keys.filter((k) => c.factors[k]?.limited_by).map((k) => `  ${c.chip} ${k}: ${c.factors[k]!.limited_by}`));
  if (limits.length) out.push("", "limited by:", ...limits);
  const g = r.ranking;
  if (g) {
    out.push("", `weighted ranking (${Object.entries(g.weights).map(([k, w]) => `${k}=${w}`).join(", ")}):`);
    out.push(...g.order.map((o) => `  ${o.rank ?? "—"}. ${o.chip}  ${o.score === null ? "not scored" : o.score.toFixed(3)}`));
    if (g.excluded.length) out.push(`  left out (no value for some chip): ${g.excluded.map((e) => `${e.factor} (${e.chips_missing.join(", ")})`).join("; ")}`);
    for (const u of g.unscored) out.push(`  not scored: ${u.chip}: ${u.reason}`);
    const flips = g.flips.flatMap((f) => [
      ...(f.increase ? [`  ${f.factor}: raise ${f.weight} → ${f.increase.at_weight.toPrecision(3)}${f.increase.multiplier !== null ? ` (×${f.increase.multiplier.toPrecision(3)})` : ""} and ${f.increase.new_top} leads`] : []),
      ...(f.decrease ? [`  ${f.factor}: lower ${f.weight} → ${f.decrease.at_weight.toPrecision(3)}${f.decrease.multiplier !== null ? ` (×${f.decrease.multiplier.toPrecision(3)})` : ""} and ${f.decrease.new_top} leads`] : []),
    ]);
    if (g.top) out.push("", `top choice ${g.top}; what flips it (one weight moved, others fixed):`, ...(flips.length ? flips : ["  no single weight change flips it"]));
  }
  if (r.notes?.length) out.push("", ...r.notes.map((n) => `note: ${n}`));
  return out.join("\n") + "\n";
}
