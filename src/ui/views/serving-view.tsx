/**
 * Serving planner: model, SLO, rate, lengths, candidate chips → the ranked deployments of the
 * serving plan (`xpusim plan serve`) with every rejection's reason; the chosen deployment simulated
 * (`xpusim serve`): headline cards, TTFT/TPOT quantiles and a timeline. Both run in the worker.
 */
import { useMemo } from "preact/hooks";
import type { ServingPlan, ServingPlanJobRequest } from "../../core/app/index.js";
import { ErrorBox } from "../components/error-box.js";
import { ExportButtons } from "../components/export-buttons.js";
import { JobStatus } from "../components/job-status.js";
import { tableCsv } from "../components/data-table.js";
import { SelectableTable } from "../components/selectable-table.js";
import type { Engine } from "../engine/engine.js";
import { useWorkerJob } from "../engine/use-job.js";
import { useViewState } from "../state/url-state.js";
import { specRef, useWorkspace } from "../workspace/workspace.js";
import { DEPLOYMENT_COLUMNS, fmtLatency, type RankedDeployment } from "./serving/deployment-columns.js";
import { Rejections } from "./serving/rejections.js";
import { ServingInputs } from "./serving/serving-inputs.js";
import { deploymentKey, planRequestOf, SERVING_VIEW_DEFAULTS, type ServingViewState, simulationRequestOf } from "./serving/serving-request.js";
import { SimulationPanel } from "./serving/simulation-panel.js";

function usePlanRequest(s: ServingViewState) {
  const workspace = useWorkspace();
  return useMemo(() => {
    try {
      return { plan: planRequestOf(s, specRef) };
    } catch (error) {
      return { error };
    }
  }, [JSON.stringify({ ...s, pick: "" }), workspace]);
}

export function ServingView({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("serving", SERVING_VIEW_DEFAULTS);
  const req = usePlanRequest(s);
  const plan = useWorkerJob("serving-plan", req.plan, "Planning deployments");
  return (
    <div class="view-grid serving-view">
      <ServingInputs engine={engine} s={s} set={set} />
      <section class="results" aria-live="polite">
        <ErrorBox error={req.error} title="Input error" />
        <JobStatus job={plan} what="Serving plan" testId="plan-status" />
        {plan.result && req.plan ? <PlanResults s={s} request={req.plan} plan={plan.result} onPick={(pick) => set({ pick })} stale={!!plan.running} /> : null}
      </section>
    </div>
  );
}

function PlanResults({ s, request, plan, onPick, stale }: { s: ServingViewState; request: ServingPlanJobRequest; plan: ServingPlan; onPick: (k: string) => void; stale: boolean }) {
  const rows: RankedDeployment[] = plan.deployments.map((d, i) => ({ rank: i + 1, d }));
  const chosen = rows.find((r) => deploymentKey(r.d) === s.pick) ?? rows[0];
  const sim = useMemo(() => (chosen && !stale ? simulationRequestOf(s, request, chosen.d) : undefined), [chosen?.d, stale, s.input, s.output]);
  const slo = [plan.slo.ttft_s ? `TTFT p90 ≤ ${fmtLatency(plan.slo.ttft_s)}` : "", plan.slo.tpot_s ? `TPOT p90 ≤ ${fmtLatency(plan.slo.tpot_s)}` : ""].filter(Boolean).join(", ");
  return (
    <div class={stale ? "stale" : ""} data-testid="plan-results">
      <p class="summary">
        {plan.model}: {plan.rate_per_s}/s requests of {plan.input_tokens} → {plan.output_tokens} tokens, {slo}. {plan.candidates_considered} candidates, {plan.search.simulated_candidates} simulated.
      </p>
      {rows.length ? (
        <SelectableTable caption="Deployments meeting the SLO, cheapest first (click or press Enter for its simulation)" columns={DEPLOYMENT_COLUMNS} rows={rows} rowKey={(r) => deploymentKey(r.d)} selected={chosen ? deploymentKey(chosen.d) : undefined} onSelect={onPick} testId="deployment-table" />
      ) : (
        <p class="note" data-testid="no-deployment">No deployment meets the SLO{plan.closest ? `; closest: ${plan.closest.chip}` : ""}.</p>
      )}
      <ExportButtons source={{ name: `serving-plan-${plan.model}`, json: () => plan, csv: () => tableCsv(DEPLOYMENT_COLUMNS, rows) }} />
      <Rejections plan={plan} />
      {chosen && sim ? <SimulationPanel d={chosen.d} request={sim} /> : null}
    </div>
  );
}
