/** Why the other candidates fail: one line per rejected chip × precision × layout, with its reason. */
import type { PlanRejection, ServingPlan } from "../../../core/app/index.js";
import { DataTable, type Column, tableCsv } from "../../components/data-table.js";
import { ExportButtons } from "../../components/export-buttons.js";

const COLUMNS: ReadonlyArray<Column<PlanRejection>> = [
  { key: "chip", label: "Chip", value: (r) => r.chip },
  { key: "precision", label: "Precision", value: (r) => r.precision ?? "" },
  { key: "layout", label: "Layout", value: (r) => (r.tp ? `tp ${r.tp}${r.ep && r.ep > 1 ? ` · ep ${r.ep}` : ""}` : "") },
  { key: "reason", label: "Reason", value: (r) => r.reason },
];

export function Rejections({ plan }: { plan: ServingPlan }) {
  if (!plan.rejected.length) return null;
  const rows = plan.rejected.map((r, i) => ({ ...r, i }));
  return (
    <details class="rejections" open={plan.deployments.length === 0}>
      <summary>Rejected candidates ({plan.rejected.length})</summary>
      <DataTable caption="Why the other candidates fail" columns={COLUMNS} rows={rows} rowKey={(r) => String(r.i)} testId="rejections-table" />
      <ExportButtons source={{ name: `serving-plan-${plan.model}-rejected`, csv: () => tableCsv(COLUMNS, plan.rejected) }} />
    </details>
  );
}
