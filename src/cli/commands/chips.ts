/**
 * `xpusim chips [id] [--kind gpu] [--vendor nvidia] [--dtype fp8]`: the chip catalog, or one chip
 * with every figure and where it came from.
 */
import { type Command, Option } from "commander";
import { CHIP_KINDS, type Chip, type ChipKind, catalogJob, chipSummary } from "../../core/app/jobs/catalog-job.js";
import { fmtBytes, fmtSi, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { loadChip } from "../../node/chip-catalog.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, json } from "../output.js";

export function registerChipsCommand(program: Command): void {
  program
    .command("chips")
    .description("list the chip catalog, or show one chip with the source of each figure")
    .argument("[id]", "a chip id, alias or spec file to show in full")
    .addOption(new Option("--kind <kind>", "filter by kind").choices([...CHIP_KINDS]))
    .option("--vendor <vendor>", "filter by vendor (case-insensitive substring)")
    .addOption(new Option("--dtype <dtype>", "filter: chips whose matrix engine runs this dtype natively").choices([...DTYPES]))
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action((id: string | undefined, opts: { kind?: string; vendor?: string; dtype?: string; json?: boolean; csv?: boolean }) => {
      const format = formatOf(opts);
      if (id) {
        const chip = loadChip(id);
        if (format === "json") return emit(json(chip));
        if (format === "csv") return emit(renderCsv([flatten(chipSummary(chip))]));
        return emit(describeChip(chip));
      }
      const { rows } = catalogJob.run({ list: "chips", kind: opts.kind as ChipKind | undefined, vendor: opts.vendor, dtype: opts.dtype as DType | undefined }, nodeCatalog());
      if (format === "json") return emit(json(rows));
      if (format === "csv") return emit(renderCsv(rows.map(flatten)));
      emit(
        renderTable(rows, [
          { header: "id", value: (r) => r.id },
          { header: "kind", value: (r) => r.kind, align: "left" },
          { header: "bf16/fp16", value: (r) => fmtSi(r.peak_bf16_flops_per_s, "FLOP/s") },
          { header: "fp8", value: (r) => fmtSi(r.peak_fp8_flops_per_s, "FLOP/s") },
          { header: "int8", value: (r) => fmtSi(r.peak_int8_ops_per_s, "OP/s") },
          { header: "memory", value: (r) => `${fmtBytes(r.memory_capacity_bytes)} ${r.memory_type ?? ""}`.trim() },
          { header: "mem BW", value: (r) => fmtSi(r.memory_bandwidth_bytes_per_s, "B/s") },
          { header: "TDP", value: (r) => (r.tdp_w ? `${r.tdp_w} W` : undefined) },
          { header: "limitations", value: (r) => (r.limitations.length ? r.limitations.join("; ") : ""), align: "left" },
        ]) + `\n\n${rows.length} chips. \`xpusim chips <id>\` shows one with sources; --json for all fields.`,
      );
    });
}

function flatten(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = Array.isArray(v) ? v.join(";") : v;
  return out;
}

function describeChip(c: Chip): string {
  const lines: string[] = [];
  const src = (path: string) => {
    const p = c.provenance[path];
    if (!p) return "";
    const parts: string[] = [];
    if (p.source?.length) parts.push(`[${p.source.join(",")}]`);
    if (p.derived) parts.push(`derived: ${p.derived}`);
    if (p.estimated) parts.push("ESTIMATED");
    if (p.range) parts.push(`range ${p.range.join("–")}`);
    if (p.note) parts.push(p.note);
    return parts.length ? `  ${parts.join("; ")}` : "";
  };
  lines.push(`${c.name}  (${c.id})`, `${c.vendor} · ${c.kind} · family ${c.family}${c.year ? ` · ${c.year}` : ""}`, "");
  if (c.clock_hz) lines.push(`clock              ${fmtSi(c.clock_hz, "Hz")}${src("clock_hz")}`);
  lines.push(`compute units      ${c.compute_units} ${c.unit_name}`);
  lines.push(`matrix engine      ${c.matrix.name ?? c.matrix.kind}${c.matrix.count ? ` × ${c.matrix.count}` : ""}${c.matrix.shape ? ` (${c.matrix.shape.rows}×${c.matrix.shape.cols}${c.matrix.shape.depth ? `×${c.matrix.shape.depth}` : ""})` : ""}`);
  for (const [dt, v] of Object.entries(c.matrix.peak_flops_per_s)) lines.push(`  ${dt.padEnd(16)} ${fmtSi(v, dt.startsWith("int") ? "OP/s" : "FLOP/s")}${src(`matrix.peak_flops_per_s.${dt}`)}`);
  lines.push("vector engine");
  for (const [dt, v] of Object.entries(c.vector.peak_flops_per_s)) lines.push(`  ${dt.padEnd(16)} ${fmtSi(v, "FLOP/s")}${src(`vector.peak_flops_per_s.${dt}`)}`);
  lines.push(`main memory        ${c.memory.main.type ?? ""} ${fmtBytes(c.memory.main.capacity_bytes)}${src("memory.main.capacity_bytes")}`);
  lines.push(`  bandwidth        ${fmtSi(c.memory.main.bandwidth_bytes_per_s, "B/s")}${src("memory.main.bandwidth_bytes_per_s")}`);
  c.memory.on_chip.forEach((l, i) =>
    lines.push(`${i === 0 ? "on-chip memory" : ""}`.padEnd(19) + `${l.name}: ${fmtBytes(l.capacity_bytes, true)}${l.scope === "unit" ? ` per ${c.unit_name}` : ""}${src(`memory.on_chip[${i}].capacity_bytes`)}`),
  );
  const su = c.interconnect.scale_up;
  if (su) lines.push(`scale-up link      ${su.name}: ${fmtSi(su.bandwidth_per_direction_bytes_per_s, "B/s")} per direction${src("interconnect.scale_up.bandwidth_per_direction_bytes_per_s")}`);
  const host = c.interconnect.host;
  if (host) lines.push(`host link          ${host.name}: ${fmtSi(host.bandwidth_per_direction_bytes_per_s, "B/s")} per direction`);
  if (c.power.tdp_w) lines.push(`TDP                ${c.power.tdp_w} W${src("power.tdp_w")}`);
  else if (c.power.unpublished?.tdp_w) lines.push(`TDP                not published: ${c.power.unpublished.tdp_w}`);
  if (c.power.idle_w !== undefined) lines.push(`idle power         ${c.power.idle_w} W${src("power.idle_w")}`);
  const t = c.thermal;
  if (t.tj_max_c !== undefined) lines.push(`Tj max             ${t.tj_max_c} °C${t.tj_slowdown_c !== undefined ? ` (slowdown ${t.tj_slowdown_c} °C)` : ""}${src("thermal.tj_max_c")}`);
  if (t.form_factor || t.cooling) lines.push(`package, cooling   ${[t.form_factor, t.cooling].filter(Boolean).join(", ")}${src(t.cooling ? "thermal.cooling" : "thermal.form_factor")}`);
  if (c.cost.price_usd) lines.push(`price              $${c.cost.price_usd.toLocaleString("en-US")}${src("cost.price_usd")}`);
  else if (c.cost.unpublished?.price_usd) lines.push(`price              not published: ${c.cost.unpublished.price_usd}`);
  if (c.cost.cloud_usd_per_hour) lines.push(`cloud              $${c.cost.cloud_usd_per_hour}/h${src("cost.cloud_usd_per_hour")}`);
  else if (c.cost.unpublished?.cloud_usd_per_hour) lines.push(`cloud              not published: ${c.cost.unpublished.cloud_usd_per_hour}`);
  if (c.process.node) lines.push(`process            ${c.process.node}${c.process.die_area_mm2 ? `, ${c.process.die_area_mm2} mm²` : ""}`);
  lines.push(...securityLines(c, src));
  if (c.software.stacks.length) lines.push(`software           ${c.software.stacks.map((s) => s.name).join(", ")}${src("software.stacks[0]")}`);
  if (c.support.known) {
    const rules = c.support.unsupported.map((r) => `${r.ops.join("/")} → ${r.fallback}`).join("; ");
    lines.push(`op support         ${rules ? `${rules}${src("support.unsupported[0]")}` : "no unsupported op kind recorded"}`);
    lines.push(`  partition/shapes ${c.support.partition}, ${c.support.shapes}${src(c.support.shapes !== "unknown" ? "support.shapes" : "support.partition")}`);
  }
  if (c.limitations.length) lines.push("", "limitations:", ...c.limitations.map((l) => `  - ${l}`));
  if (c.caveats.length) lines.push("", "caveats:", ...c.caveats.map((l) => `  - ${l}`));
  if (c.notes) lines.push("", `notes: ${c.notes}`);
  const srcs = Object.entries(c.sources);
  if (srcs.length) lines.push("", "sources:", ...srcs.map(([n, s]) => `  [${n}] ${s.title}${s.url ? ` <${s.url}>` : ""}`));
  return lines.join("\n");
}

/** Security features as sourced (every one "unknown" where the chip file gives no source). */
function securityLines(c: Chip, src: (path: string) => string): string[] {
  const s = c.security;
  const iso = s.isolation;
  const lines = [
    `confidential       ${s.confidential_computing}${src("security.confidential_computing")}`,
    `  attestation      ${s.attestation}${src("security.attestation")}`,
    `  secure boot      ${s.secure_boot}${src("security.secure_boot")}`,
    `  encryption       device memory ${s.memory_encryption.device_memory}, host link ${s.memory_encryption.host_link}, chip link ${s.memory_encryption.chip_link}`,
    `  isolation        ${iso.kind}${iso.mechanism ? ` (${iso.mechanism}${iso.max_instances ? `, up to ${iso.max_instances}` : ""})` : ""}${src("security.isolation")}`,
  ];
  const o = s.confidential_overhead;
  if (o) lines.push(`  CC overhead      ${(o.fraction * 100).toFixed(0)} %${o.range ? ` (${(o.range[0] * 100).toFixed(0)}–${(o.range[1] * 100).toFixed(0)} %)` : ""}${src("security.confidential_overhead")}`);
  return lines;
}
