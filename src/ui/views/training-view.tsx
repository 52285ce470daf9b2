/**
 * Training planner: model, chip, count, batch → the layout search (`xpusim train --search`) ranked,
 * the chosen layout's memory per chip and step-time breakdown, and the strong-scaling curve
 * (`xpusim scale`). The search and the curve run in the worker with progress and Cancel.
 */
import { useMemo } from "preact/hooks";
import type { TrainingSearchResult } from "../../core/app/index.js";
import { ErrorBox } from "../components/error-box.js";
import { ExportButtons } from "../components/export-buttons.js";
import { JobStatus } from "../components/job-status.js";
import { tableCsv } from "../components/data-table.js";
import { SelectableTable } from "../components/selectable-table.js";
import type { Engine } from "../engine/engine.js";
import { useWorkerJob } from "../engine/use-job.js";
import { useViewState } from "../state/url-state.js";
import { specRef, useWorkspace } from "../workspace/workspace.js";
import { LAYOUT_COLUMNS, layoutKey, type RankedLayout } from "./training/layout-columns.js";
import { LayoutDetail } from "./training/layout-detail.js";
import { ScalingPanel } from "./training/scaling-panel.js";
import { TrainingInputs } from "./training/training-inputs.js";
import { scalingRequestOf, searchRequestOf, TRAINING_VIEW_DEFAULTS, type TrainingViewState } from "./training/training-request.js";

/** The requests of the inputs (again when the workspace changes: a spec they name may have come or gone), or the input error. */
function useRequests(s: TrainingViewState) {
  const workspace = useWorkspace();
  return useMemo(() => {
    try {
      return { search: searchRequestOf(s, specRef), scaling: scalingRequestOf(s, specRef) };
    } catch (error) {
      return { error };
    }
  }, [JSON.stringify(s, ["model", "chip", "chips", "batch", "seq", "dtype", "system", "rank", "counts"]), workspace]);
}

export function TrainingView({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("training", TRAINING_VIEW_DEFAULTS);
  const req = useRequests(s);
  const search = useWorkerJob("training-search", req.search, "Searching layouts");
  return (
    <div class="view-grid training-view">
      <TrainingInputs engine={engine} s={s} set={set} />
      <section class="results" aria-live="polite">
        <ErrorBox error={req.error} title="Input error" />
        <JobStatus job={search} what="Layout search" testId="search-status" />
        {search.result ? <SearchResults r={search.result} pick={s.pick} onPick={(pick) => set({ pick })} stale={!!search.running} /> : null}
        <ScalingPanel request={req.scaling} />
      </section>
    </div>
  );
}

function SearchResults({ r, pick, onPick, stale }: { r: TrainingSearchResult; pick: string; onPick: (k: string) => void; stale: boolean }) {
  const rows: RankedLayout[] = r.top.map((e, i) => ({ rank: i + 1, e }));
  const chosen = rows.find((x) => layoutKey(x) === pick) ?? rows[0];
  return (
    <div class={stale ? "stale" : ""} data-testid="search-results">
      <p class="summary">
        {r.model} on {r.chips} × {r.chip}
        {r.system ? ` (${r.system})` : ""}: {r.evaluated} layouts priced, {r.feasible} fit; best {rows.length} by {r.rank_by === "cost" ? "cost" : "step time"}.
      </p>
      {rows.length ? (
        <SelectableTable caption="Ranked layouts (click or press Enter on a row for its breakdown)" columns={LAYOUT_COLUMNS} rows={rows} rowKey={layoutKey} selected={chosen ? layoutKey(chosen) : undefined} onSelect={onPick} testId="layout-table" />
      ) : (
        <p class="note" data-testid="no-layout">No layout fits{r.closest ? `; closest: ${layoutKey({ rank: 0, e: r.closest })}` : ""}.</p>
      )}
      <ExportButtons source={{ name: `training-search-${r.model}-${r.chips}x${r.chip}`, json: () => r, csv: () => tableCsv(LAYOUT_COLUMNS, rows) }} />
      {chosen ? <LayoutDetail e={chosen.e} /> : r.closest ? <LayoutDetail e={r.closest} /> : null}
      {r.rejections.length ? (
        <details class="rejections">
          <summary>Rejected layouts ({r.rejections.reduce((n, j) => n + j.count, 0)})</summary>
          <ul>
            {r.rejections.map((j) => (
              <li key={j.reason}>
                {j.count} × {j.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
