/** The spec table: every figure of a chip with its value, unit and where it came from, and the sources list. */
import { type Chip, type ChipFigure, chipFigures } from "../../../core/app/index.js";
import { type Column, DataTable } from "../../components/data-table.js";
import { ExportButtons } from "../../components/export-buttons.js";
import { figureSourceText, figureSourceTitles, figureValueText } from "./figure-text.js";

function columns(chip: Chip): ReadonlyArray<Column<ChipFigure>> {
  return [
    { key: "group", label: "Section", value: (f) => f.group },
    { key: "label", label: "Figure", value: (f) => f.label },
    { key: "value", label: "Value", numeric: true, value: (f) => <span data-value={String(f.value)}>{figureValueText(f)}</span> },
    { key: "source", label: "Source / derivation", value: (f) => <span title={figureSourceTitles(chip, f)} class={f.estimated ? "estimate" : ""}>{figureSourceText(f)}</span> },
  ];
}

export const figuresCsv = (chip: Chip) => ({
  header: ["path", "group", "label", "value", "unit", "source", "derived", "estimated", "range_low", "range_high", "note"],
  rows: chipFigures(chip).map((f) => [f.path, f.group, f.label, f.value, f.unit, f.source.join(";"), f.derived ?? "", f.estimated ? "yes" : "", f.range?.[0] ?? "", f.range?.[1] ?? "", f.note ?? ""]),
});

export function FiguresTable({ chip }: { chip: Chip }) {
  const sources = Object.entries(chip.sources as Record<string, { title: string; url?: string }>);
  return (
    <section class="designer-figures" aria-label="spec table">
      <DataTable caption={`${chip.name}: every figure and its source`} columns={columns(chip)} rows={chipFigures(chip)} rowKey={(f) => f.path} testId="figures-table" />
      <ExportButtons source={{ name: `chip-${chip.id}`, json: () => ({ chip: chip.id, figures: chipFigures(chip) }), csv: () => figuresCsv(chip) }} />
      {sources.length > 0 ? (
        <ol class="designer-sources" data-testid="sources">
          {sources.map(([n, s]) => (
            <li key={n} value={Number(n)}>
              {s.url ? <a href={s.url} rel="noreferrer noopener" target="_blank">{s.title}</a> : s.title}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
