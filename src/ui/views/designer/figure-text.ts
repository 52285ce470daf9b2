/** How a chip figure reads in the spec table and its CSV: the value with its unit, and where it came from. */
import type { Chip, ChipFigure } from "../../../core/app/index.js";
import { fmtSi, fmtTime } from "../../../core/report/table.js";
import { fmtBytes } from "../../../core/units/format-bytes.js";

const SI_UNITS = new Set(["Hz", "B/s", "FLOP/s", "OP/s"]);

export function figureValueText(f: ChipFigure): string {
  if (typeof f.value === "string") return f.value;
  if (f.unit === "B") return fmtBytes(f.value);
  if (f.unit === "s") return fmtTime(f.value);
  if (SI_UNITS.has(f.unit)) return fmtSi(f.value, f.unit);
  if (f.unit === "USD") return `$${f.value.toLocaleString("en-US")}`;
  if (f.unit === "USD/h") return `$${f.value}/h`;
  return `${f.value.toLocaleString("en-US")}${f.unit ? ` ${f.unit}` : ""}`;
}

/** "[1, 3]; derived: 2 × …; estimate, range 2.8–3.4 TB/s; note" — empty when the figure carries nothing. */
export function figureSourceText(f: ChipFigure): string {
  const parts: string[] = [];
  if (f.source.length) parts.push(`[${f.source.join(", ")}]`);
  if (f.derived) parts.push(`derived: ${f.derived}`);
  if (f.estimated) parts.push("estimate");
  if (f.range) parts.push(`range ${figureValueText({ ...f, value: f.range[0] })} – ${figureValueText({ ...f, value: f.range[1] })}`);
  if (f.note) parts.push(f.note);
  return parts.join("; ");
}

/** The source titles a figure cites, for its tooltip. */
export function figureSourceTitles(chip: Chip, f: ChipFigure): string {
  const sources = chip.sources as Record<string, { title: string; url?: string }>;
  return f.source.map((n) => `[${n}] ${sources[String(n)]?.title ?? "?"}`).join("\n");
}
