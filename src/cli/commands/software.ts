/**
 * `xpusim software [id] [--kind training] [--json]`: the software-stack presets (catalog/software)
 * with their settings and sources, or one preset in full.
 */
import { type Command, Option } from "commander";
import { softwareJob, type SoftwarePresetSummary } from "../../core/app/index.js";
import { renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, json } from "../output.js";

export function registerSoftwareCommand(program: Command): void {
  program
    .command("software")
    .description("list the software-stack presets (training frameworks, inference and serving engines) with settings and sources, or show one")
    .argument("[id]", "a preset id or alias to show in full (e.g. megatron-core, trtllm)")
    .addOption(new Option("--kind <kind>", "only presets for this kind").choices(["training", "inference", "serving"]))
    .option("--json", "print JSON")
    .action((id: string | undefined, opts: { kind?: "training" | "inference" | "serving"; json?: boolean }) => {
      const r = softwareJob.run({ ...(id !== undefined ? { id } : {}), ...(opts.kind ? { kind: opts.kind } : {}) }, nodeCatalog());
      if (formatOf(opts) === "json") return emit(json(id !== undefined ? { ...r.presets[0], spec: r.spec } : r.presets));
      if (id !== undefined) return emit(describe(r.presets[0]!, r.spec!.settings as Record<string, unknown>));
      emit(
        renderTable(r.presets, [
          { header: "id", value: (p) => p.id, align: "left" },
          { header: "kinds", value: (p) => p.applies_to.kinds.join(","), align: "left" },
          { header: "exec", value: (p) => String(p.settings.execution ?? ""), align: "left" },
          { header: "flash", value: (p) => flag(p.settings.flash_attention) },
          { header: "dropout", value: (p) => flag(p.settings.dropout) },
          { header: "DP overlap", value: (p) => flag(p.settings.overlap_grad_reduce) },
          { header: "PP schedule", value: (p) => String(p.settings.pipeline_schedule ?? ""), align: "left" },
          { header: "ZeRO", value: (p) => (p.settings.zero === undefined ? "" : String(p.settings.zero)) },
          { header: "name", value: (p) => p.name, align: "left" },
        ]) + `\n\n${r.presets.length} presets. \`xpusim software <id>\` shows one with the source of each setting; --json for all fields.`,
      );
    });
}

const flag = (v: unknown): string => (v === undefined ? "" : v ? "yes" : "no");

function describe(p: SoftwarePresetSummary, raw: Record<string, unknown>): string {
  const lines = [`${p.id} — ${p.name}`, ...(p.version ? [`  version      ${p.version}`] : []), `  aliases      ${p.aliases.join(", ") || "none"}`];
  const a = p.applies_to;
  lines.push(`  applies to   ${a.kinds.join(", ")}${a.vendors ? `; vendors ${a.vendors.join(", ")}` : ""}${a.chip_kinds ? `; chips ${a.chip_kinds.join(", ")}` : ""}${a.model_categories ? `; models ${a.model_categories.join(", ")}` : ""}`, "", "settings:");
  for (const [k, v] of Object.entries(raw)) {
    if (k === "serving" || k === "serving_small_gpu") {
      lines.push(`  ${k}:`);
      for (const [sk, sv] of Object.entries(v as Record<string, unknown>)) lines.push(`    ${sk.padEnd(24)} ${settingText(sv)}`);
    } else lines.push(`  ${k.padEnd(26)} ${settingText(v)}`);
  }
  lines.push("", `sources: ${p.source}`);
  if (p.not_modelled.length) lines.push("", "not modelled:", ...p.not_modelled.map((n) => `  - ${n}`));
  if (p.notes) lines.push("", `note: ${p.notes}`);
  return lines.join("\n");
}

function settingText(v: unknown): string {
  if (v && typeof v === "object" && "value" in v) {
    const s = v as { value: unknown; source?: number[]; note?: string };
    return `${String(s.value)}${s.source ? ` [${s.source.join(", ")}]` : ""}${s.note ? ` — ${s.note}` : ""}`;
  }
  return Array.isArray(v) ? v.join(", ") : String(v);
}
