/**
 * The nine-factor comparison: the assess job runs in the worker (a training assessment takes
 * seconds: scaling curves, op profiles); the weights re-rank its result on the main thread at once
 * (reweightAssessment, the job's own ranking code), so moving a weight never re-assesses.
 */
import { useMemo } from "preact/hooks";
import { type AssessRequest, type AssessResult, factorChartInput, type FactorKey, reweightAssessment } from "../../../core/app/index.js";
import { factorSpec } from "../../../core/charts/index.js";
import { ErrorBox } from "../../components/error-box.js";
import { ExportButtons } from "../../components/export-buttons.js";
import { Progress } from "../../components/progress.js";
import { VegaChart } from "../../components/vega-chart.js";
import { useWorkerJob } from "../../engine/use-job.js";
import { tableCsv } from "../../components/data-table.js";
import { FACTOR_COLUMNS, FactorTable, factorRows } from "./factor-table.js";
import { FlipsList } from "./flips-list.js";
import { RankingTable } from "./ranking-table.js";
import { WeightsPanel } from "./weights-panel.js";

export interface AssessPanelProps {
  request: AssessRequest;
  weights: Record<string, number>;
  weightText: (f: FactorKey) => string;
  setWeight: (f: FactorKey, v: string) => void;
}

function useReweighted(result: AssessResult | undefined, weights: Record<string, number>): { ranked?: AssessResult; error?: unknown } {
  const key = JSON.stringify(weights);
  return useMemo(() => {
    if (!result) return {};
    try {
      return { ranked: reweightAssessment(result, weights) };
    } catch (error) {
      return { error };
    }
  }, [result, key]);
}

export function AssessPanel({ request, weights, weightText, setWeight }: AssessPanelProps) {
  const job = useWorkerJob("assess", request, `assessing ${request.chips.length} chips`);
  const { ranked, error } = useReweighted(job.result, weights);
  const chart = useMemo(() => (job.result ? factorSpec(factorChartInput(job.result)) : undefined), [job.result]);
  const factors = (job.result?.factor_keys ?? []) as FactorKey[];
  return (
    <section class="cmp-assess" aria-label="factor assessment">
      <h3>Every factor</h3>
      {job.running ? <Progress label={job.running.label} startedAt={job.running.startedAt} onCancel={job.running.cancel} /> : null}
      {job.cancelled ? <p class="note">Assessment cancelled; change an input to run it again.</p> : null}
      <ErrorBox error={job.error ?? error} />
      {ranked && ranked.ranking ? (
        <>
          <p class="cmp-top" data-testid="top-choice">
            Top choice: <strong>{ranked.ranking.top ?? "none (no chip can be scored)"}</strong>
          </p>
          <WeightsPanel factors={factors} value={weightText} onChange={setWeight} />
          <RankingTable ranking={ranked.ranking} />
          <FlipsList ranking={ranked.ranking} onSet={setWeight} />
          <FactorTable assessment={ranked} />
          <VegaChart spec={chart} label="factor comparison: each chip's value and rank per factor" exportName="assess-factors" testId="factor-chart" />
          <ExportButtons source={{ name: "assess", json: () => ranked, csv: () => tableCsv(FACTOR_COLUMNS, factorRows(ranked)) }} />
          {ranked.notes?.length ? <ul class="note">{ranked.notes.map((n, i) => <li key={i}>{n}</li>)}</ul> : null}
          {job.elapsed_ms !== undefined ? <p class="timing" data-testid="assess-ms">assessed in {job.elapsed_ms.toFixed(0)} ms (worker)</p> : null}
        </>
      ) : null}
    </section>
  );
}
