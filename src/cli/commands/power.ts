/**
 * `xpusim power --chip C --model M --mode inference|training`: power and thermal of a workload —
 * demanded power, the clock under the stock TDP or a user cap (DVFS), junction temperature and
 * throttling from a cold start, energy per token/step, facility energy, cost and CO₂, rack power.
 */
import { type Command, Option } from "commander";
import { JOBS, parseScenario, powerRequestFromScenario, type PowerJobRequest, type PowerJobResult } from "../../core/app/index.js";
import { fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import { emit, formatOf, json, nonNegativeInt, positiveInt, UsageError } from "../output.js";

interface PowerOpts {
  chip?: string;
  model?: string;
  scenario?: string;
  mode: "inference" | "training";
  dtype?: DType;
  batch?: number;
  input?: number;
  output?: number;
  globalBatch?: number;
  seq?: number;
  chips?: number;
  tp?: number;
  pp?: number;
  system?: string;
  nodesPerRack?: number;
  powerCap?: number;
  cooling?: "air" | "liquid";
  ambient?: number;
  thermalResistance?: number;
  timeConstant?: number;
  tjMax?: number;
  duration?: number;
  pue?: number;
  usdPerKwh?: number;
  co2?: number;
  timeline?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** A finite number flag (the engine checks its range and names the flag). */
function num(flag: string) {
  return (raw: string): number => {
    const v = Number(raw.replace(/\s*(W|°C|C|s)$/i, ""));
    if (!Number.isFinite(v)) throw new UsageError(`${flag} must be a number, got "${raw}"`);
    return v;
  };
}

export function registerPowerCommand(program: Command): void {
  program
    .command("power")
    .description("power and thermal of a workload: demanded power, DVFS under a power cap, junction temperature and throttling over time, energy per token/step, facility cost and CO2")
    .option("--chip <id>", "chip id or chip spec file (required without --scenario)")
    .option("--model <id>", "model id or model spec file (required without --scenario)")
    .option("--scenario <file>", "an inference or training scenario file (docs/scenario.md): chip, model, shape and precision from it; the flags set the conditions")
    .addOption(new Option("--mode <mode>", "inference or training").choices(["inference", "training"]).default("inference"))
    .addOption(new Option("--dtype <dtype>", "compute dtype (default bf16)").choices([...DTYPES]))
    .option("--batch <n>", "inference: batch (default 1)", positiveInt("--batch"))
    .option("--input <n>", "inference: input tokens (default 2048)", positiveInt("--input"))
    .option("--output <n>", "inference: output tokens (default 256)", nonNegativeInt("--output"))
    .option("--global-batch <n>", "training: sequences per step (default 1024)", positiveInt("--global-batch"))
    .option("--seq <n>", "training: sequence length (default 2048)", positiveInt("--seq"))
    .option("--chips <n>", "chips (default 1)", positiveInt("--chips"))
    .option("--tp <n>", "tensor-parallel degree (default 1)", positiveInt("--tp"))
    .option("--pp <n>", "pipeline-parallel degree (default 1)", positiveInt("--pp"))
    .option("--system <id>", "system: rack power density (and the network of multi-chip layouts)")
    .option("--nodes-per-rack <n>", "nodes per rack (default: the system's entry in catalog/energy/facility.yaml)", positiveInt("--nodes-per-rack"))
    .option("--power-cap <W>", "board power cap in W (default: the chip's TDP)", num("--power-cap"))
    .addOption(new Option("--cooling <type>", "air or liquid (default: the chip's usual cooling, else air)").choices(["air", "liquid"]))
    .option("--ambient <C>", "air inlet or coolant temperature, °C (default 35)", num("--ambient"))
    .option("--thermal-resistance <C/W>", "junction-to-ambient thermal resistance, °C/W (default: by form factor and cooling)", num("--thermal-resistance"))
    .option("--time-constant <s>", "thermal time constant R·C, s (default 14)", num("--time-constant"))
    .option("--tj-max <C>", "junction limit, °C (default: the chip's, else the catalog default)", num("--tj-max"))
    .option("--duration <s>", "length of the burst → sustained timeline, s (default 600)", num("--duration"))
    .option("--pue <x>", "facility PUE (default: 1.56 air, 1.15 liquid)", num("--pue"))
    .option("--usd-per-kwh <usd>", "electricity price (default 0.0826)", num("--usd-per-kwh"))
    .option("--co2 <kg/kWh>", "grid carbon intensity, kg CO2 per kWh (default 0.436)", num("--co2"))
    .option("--timeline", "print the burst → sustained timeline")
    .option("--json", "print JSON")
    .option("--csv", "print the burst → sustained timeline as CSV")
    .action((o: PowerOpts) => {
      const format = formatOf(o);
      const catalog = nodeCatalog(o.scenario);
      const scenario = o.scenario !== undefined ? powerRequestFromScenario(parseScenario(readDocument(o.scenario), o.scenario), catalog) : undefined;
      if (!scenario && (o.chip === undefined || o.model === undefined)) throw new UsageError("power needs --chip and --model (or --scenario <file>)");
      const request = requestOf(o);
      const full = scenario ? { ...scenario, ...(o.chip ? { chip: o.chip } : {}), ...(o.model ? { model: o.model } : {}), conditions: request.conditions ?? {}, ...pick(request, ["duration_s", "system", "nodes_per_rack"]) } : request;
      const r = atFlags(() => JOBS.power.run(full, catalog));
      if (format === "json") emit(json(r));
      else if (format === "csv") emit(renderCsv(r.timeline.map((p) => ({ ...p }))));
      else emit(renderPower(r, !!o.timeline));
    });
}

/** Bad input the flags gave: the diagnostics name the flag instead of the request field (exit 1, bad input). */
function atFlags<T>(call: () => T): T {
  try {
    return call();
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    throw new XpusimError(e.diagnostics.map((d) => ({ ...d, path: (POWER_FLAGS as Record<string, string>)[d.path] ?? d.path })));
  }
}

/** Request fields → the flags that set them (for range errors). */
const POWER_FLAGS = {
  "conditions.power_cap_w": "--power-cap",
  "conditions.thermal_resistance_c_per_w": "--thermal-resistance",
  "conditions.thermal_time_constant_s": "--time-constant",
  "conditions.ambient_c": "--ambient",
  "conditions.tj_max_c": "--tj-max",
  "conditions.pue": "--pue",
  "conditions.usd_per_kwh": "--usd-per-kwh",
  "conditions.grid_kg_co2_per_kwh": "--co2",
  duration_s: "--duration",
  nodes_per_rack: "--nodes-per-rack",
} as const;

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function requestOf(o: PowerOpts): PowerJobRequest {
  const def = <K extends string, V>(k: K, v: V | undefined) => (v !== undefined ? ({ [k]: v } as Record<K, V>) : {});
  const layout = { ...def("chips", o.chips), ...def("tp", o.tp), ...def("pp", o.pp) };
  return {
    chip: o.chip ?? "",
    model: o.model ?? "",
    mode: o.mode,
    ...(o.dtype ? { precision: { compute: o.dtype } } : {}),
    ...(o.mode === "inference" ? { inference: { ...def("batch", o.batch), ...def("input_tokens", o.input), ...def("output_tokens", o.output), ...layout } } : { training: { ...def("global_batch", o.globalBatch), ...def("seq_len", o.seq), ...layout } }),
    conditions: {
      ...def("power_cap_w", o.powerCap),
      ...def("cooling", o.cooling),
      ...def("ambient_c", o.ambient),
      ...def("thermal_resistance_c_per_w", o.thermalResistance),
      ...def("thermal_time_constant_s", o.timeConstant),
      ...def("tj_max_c", o.tjMax),
      ...def("pue", o.pue),
      ...def("usd_per_kwh", o.usdPerKwh),
      ...def("grid_kg_co2_per_kwh", o.co2),
    },
    ...def("duration_s", o.duration),
    ...def("system", o.system),
    ...def("nodes_per_rack", o.nodesPerRack),
  };
}

const w = (x: number) => `${x.toFixed(0)} W`;
const clock = (hz: number | null, ratio: number) => (hz !== null ? `${(hz / 1e9).toFixed(2)} GHz (${fmtPct(ratio, 0)})` : `${fmtPct(ratio, 0)} of boost`);

function renderPower(r: PowerJobResult, timeline: boolean): string {
  const th = r.thermal;
  const rows: Array<[string, string, string]> = [
    ["TDP / idle / static", `${w(r.tdp_w)} / ${w(r.idle_w)} / ${w(r.static_w)}`, "idle: measured where sourced, else static = family share of TDP"],
    ["demanded power", w(r.demanded_power_w), `average at the boost clock; hottest op ${w(r.peak_op_power_w)}`],
    ["stock (TDP) clock", clock(r.stock.clock_hz, r.stock.clock_ratio), r.stock.binds ? "TDP binds (the estimate already reflects it)" : "TDP does not bind"],
    [`cap ${w(r.power_cap_w)} (${r.power_cap_origin})`, clock(r.capped.clock_hz, r.capped.clock_ratio), `${w(r.capped.power_w)}; throughput ${fmtPct(r.capped.throughput_ratio, 1)} of stock${r.capped.duty < 1 ? `; duty ${fmtPct(r.capped.duty, 0)}` : ""}`],
    ["time", fmtTime(r.time_s), `estimate at stock ${fmtTime(r.estimate_time_s)}`],
    ["energy (chip)", fmtSi(r.energy_j, "J"), `average ${w(r.average_power_w)}`],
    [`energy per ${r.work_unit}`, fmtSi(r.energy_per_unit_j, "J"), `${fmtSi(r.work_units)} ${r.work_unit}s per chip`],
  ];
  if (th) {
    rows.push(
      ["cooling", `${th.cooling}${th.form_factor ? ` (${th.form_factor})` : ""}`, `R ${th.resistance_c_per_w} °C/W [${th.origin.resistance}], τ ${th.time_constant_s} s, ambient ${th.ambient_c} °C`],
      ["Tj steady / limit", `${th.tj_steady_c.toFixed(1)} / ${th.tj_max_c} °C`, `limit: ${th.origin.tj_max}; cooler removes ${w(th.thermal_power_limit_w)} at the limit`],
      ["time to throttle", th.time_to_throttle_s === null ? "never" : fmtTime(th.time_to_throttle_s), "from a cold start at the capped power"],
      ["sustained clock", clock(th.sustained.clock_hz, th.sustained.clock_ratio), `${w(th.sustained.power_w)}; sustained/burst throughput ${fmtPct(th.sustained_over_burst, 1)}`],
    );
  } else rows.push(["thermal", "unknown", `missing: ${(r.thermal_missing ?? []).join(", ")}`]);
  const f = r.facility;
  if (f) rows.push(["facility", `${fmtSi(f.energy_per_unit_kwh * 1e3, "Wh")} per ${r.work_unit}`, `PUE ${f.pue}; $${f.cost_per_unit_usd.toPrecision(3)} and ${fmtSi(f.co2_per_unit_kg * 1e3, "g")} CO2 per ${r.work_unit}; $${f.cost_usd_per_hour.toFixed(3)}/h at ${f.usd_per_kwh} $/kWh, ${f.grid_kg_co2_per_kwh} kg/kWh`]);
  if (r.rack) rows.push(["rack power", `${r.rack.rack_power_kw.toFixed(1)} kW`, `${r.rack.chips_per_rack} chips on ${r.system}; ${r.rack.rack_max_power_kw.toFixed(1)} kW at TDP`]);
  const table = renderTable(rows, [
    { header: "quantity", value: (x) => x[0], align: "left" },
    { header: "value", value: (x) => x[1], align: "left" },
    { header: "note", value: (x) => x[2], align: "left" },
  ]);
  const out = [`${r.workload} on ${r.chip}`, "", table];
  if (timeline && r.timeline.length) {
    out.push("", renderTable(r.timeline, [
      { header: "t", value: (p) => `${p.t_s.toFixed(1)} s` },
      { header: "power", value: (p) => w(p.power_w) },
      { header: "Tj", value: (p) => `${p.tj_c.toFixed(1)} °C` },
      { header: "clock", value: (p) => clock(p.clock_hz, p.clock_ratio) },
      { header: "throughput", value: (p) => fmtPct(p.throughput_ratio, 1) },
    ]));
  }
  if (r.notes.length) out.push("", ...r.notes.map((n) => `note: ${n}`));
  return out.join("\n");
}
