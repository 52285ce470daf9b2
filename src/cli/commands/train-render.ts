/**
 * Text and CSV renderings of training results, shared by `xpusim train` and `xpusim estimate` (a
 * `kind: training` scenario), so one result prints the same through either command.
 */
import { layoutLabel, softwareLine, type TrainingEstimate, type TrainingSearchResult } from "../../core/app/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderTable } from "../../core/report/table.js";

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
    ...(e.software ? [softwareLine(e.software)] : []),
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
