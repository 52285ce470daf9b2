/** The weighted ranking: rank, chip and score (or why a chip is not scored), and the factors left out. */
import type { WeightedRanking } from "../../../core/app/index.js";
import { DataTable, type Column } from "../../components/data-table.js";

type Entry = WeightedRanking["order"][number] & { reason?: string };

const COLUMNS: ReadonlyArray<Column<Entry>> = [
  { key: "rank", label: "Rank", numeric: true, value: (r) => (r.rank === null ? "—" : String(r.rank)) },
  { key: "chip", label: "Chip", value: (r) => r.chip },
  { key: "score", label: "Score", numeric: true, value: (r) => (r.score === null ? `— (${r.reason ?? "not scored"})` : r.score.toFixed(3)) },
];

export function RankingTable({ ranking }: { ranking: WeightedRanking }) {
  const why = new Map(ranking.unscored.map((u) => [u.chip, u.reason]));
  const rows = ranking.order.map((o) => ({ ...o, ...(why.has(o.chip) ? { reason: why.get(o.chip)! } : {}) }));
  return (
    <>
      <DataTable caption="Weighted ranking (score 1 = best on every factor)" columns={COLUMNS} rows={rows} rowKey={(r) => r.chip} highlight={(r) => r.chip === ranking.top} testId="assess-ranking" />
      {ranking.excluded.length ? (
        <p class="note" data-testid="excluded">
          Left out of every score (no value for some chip): {ranking.excluded.map((e) => `${e.factor} (missing for ${e.chips_missing.join(", ")})`).join("; ")}
        </p>
      ) : null}
    </>
  );
}
