import { factorTableRows } from "./factor-table.js";
import type { ReportData } from "./report-data.js";
import type { ReportFigure } from "./report-figures.js";

/** Markdown table cell: pipes escaped, line breaks flattened. */
function cell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** The Markdown report: the same factor table, and each chart as an image link to its SVG file (`svgPrefix` + file name). */
export function reportMarkdown(data: ReportData, figures: readonly ReportFigure[], svgPrefix = ""): string {
  const a = data.assessment;
  const rows = factorTableRows(a);
  const lines = [`# ${data.title}`, "", `Mode: ${a.mode} · workload: ${a.workload} · chips: ${a.chips.map((c) => c.chip).join(", ")}`, "", "## Factors", ""];
  for (const c of a.chips) {
    lines.push(`### ${c.name} (${c.chip})`, "", "| factor | value | unit | rank | limited by | note |", "|---|---:|---|---:|---|---|");
    for (const r of rows.filter((x) => x.chip === c.chip)) lines.push(`| ${[r.factor, r.value, r.unit, r.rank, r.limited_by, r.note].map(cell).join(" | ")} |`);
    lines.push("");
  }
  lines.push("## Charts", "");
  for (const f of figures) lines.push(`### ${f.heading}`, "", `![${cell(f.caption)}](${svgPrefix}${f.file})`, "", f.caption, "");
  if (data.notes.length) lines.push("## Notes", "", ...data.notes.map((n) => `- ${n}`), "");
  lines.push("Values marked unknown lack the data named; they are never taken as zero.", "");
  return lines.join("\n");
}
