/**
 * A variant next to its base: the headline figures (peak bf16, memory bandwidth and capacity, TDP)
 * with their ratio, and, as a quick check of what the change buys, the same inference on both
 * (llama-3.1-8b decode, batch 1, via the `inference` job).
 */
import { type Chip, type ChipHeadline, chipHeadline, type SpecRef } from "../../../core/app/index.js";
import { CHECK_MODEL, quickCheckDtype, quickCheckRequest } from "./quick-check.js";
import { fmtSi, fmtTime } from "../../../core/report/table.js";
import { fmtBytes } from "../../../core/units/format-bytes.js";
import { type Column, DataTable } from "../../components/data-table.js";
import { ErrorBox } from "../../components/error-box.js";
import { ExportButtons } from "../../components/export-buttons.js";
import type { Engine } from "../../engine/engine.js";
import { useJob } from "../../engine/use-job.js";

interface DiffRow {
  key: keyof ChipHeadline | "tokens_per_s" | "tpot_s";
  label: string;
  base?: number;
  variant?: number;
  fmt: (v: number) => string;
}

const ratio = (r: DiffRow) => (r.base && r.variant !== undefined ? `${(r.variant / r.base).toFixed(3)}×` : "");
const COLUMNS: ReadonlyArray<Column<DiffRow>> = [
  { key: "label", label: "Figure", value: (r) => r.label },
  { key: "base", label: "Base", numeric: true, value: (r) => (r.base !== undefined ? r.fmt(r.base) : "—") },
  { key: "variant", label: "Variant", numeric: true, value: (r) => (r.variant !== undefined ? r.fmt(r.variant) : "—") },
  { key: "ratio", label: "Variant ÷ base", numeric: true, value: ratio },
];

export function headlineRows(base: Chip, variant: Chip): DiffRow[] {
  const b = chipHeadline(base);
  const v = chipHeadline(variant);
  const row = (key: keyof ChipHeadline, label: string, fmt: (x: number) => string): DiffRow => ({ key, label, fmt, ...(b[key] !== undefined ? { base: b[key] } : {}), ...(v[key] !== undefined ? { variant: v[key] } : {}) });
  return [
    row("peak_bf16_flops_per_s", "peak bf16", (x) => fmtSi(x, "FLOP/s")),
    row("memory_bandwidth_bytes_per_s", "memory bandwidth", (x) => fmtSi(x, "B/s")),
    row("memory_capacity_bytes", "memory capacity", (x) => fmtBytes(x)),
    row("tdp_w", "TDP", (x) => `${x} W`),
  ];
}

export function VariantCompare({ engine, base, baseRef, variant, variantRef }: { engine: Engine; base: Chip; baseRef: SpecRef; variant: Chip; variantRef: Record<string, unknown> }) {
  const dtype = quickCheckDtype(base);
  const b = useJob(engine, "inference", quickCheckRequest(baseRef, dtype));
  const v = useJob(engine, "inference", quickCheckRequest(variantRef, dtype));
  const rows = headlineRows(base, variant);
  if (b.result && v.result) {
    rows.push({ key: "tokens_per_s", label: `${CHECK_MODEL} decode tokens/s (batch 1${dtype ? `, ${dtype}` : ""})`, base: b.result.output_tokens_per_s, variant: v.result.output_tokens_per_s, fmt: (x) => x.toFixed(1) });
    rows.push({ key: "tpot_s", label: `${CHECK_MODEL} time per output token`, base: b.result.tpot_s, variant: v.result.tpot_s, fmt: (x) => fmtTime(x) });
  }
  return (
    <section class="designer-diff" aria-label="variant versus base">
      <DataTable caption={`${variant.id} vs ${base.id}`} columns={COLUMNS} rows={rows} rowKey={(r) => r.key} testId="variant-diff" />
      <ExportButtons source={{ name: `variant-${variant.id}`, json: () => ({ base: base.id, variant: variant.id, rows: rows.map(({ key, label, base, variant }) => ({ key, label, base: base ?? null, variant: variant ?? null })) }), csv: () => ({ header: ["key", "label", "base", "variant"], rows: rows.map((r) => [r.key, r.label, r.base ?? "", r.variant ?? ""]) }) }} />
      <ErrorBox error={b.error ?? v.error} title="Quick inference check failed" />
    </section>
  );
}
