/**
 * Roofline: a chip's roofs per dtype with a workload's ops placed on them, coloured by what bounds
 * each (hover for an op's numbers), and the same ops in a table. A model's pass comes from the
 * `breakdown` job (as `xpusim run` prices it), one GEMM from the `op` job; both on the main thread.
 */
import { useMemo } from "preact/hooks";
import { chipRoofs, type Chip } from "../../core/app/index.js";
import { type RooflineInput, rooflineSpec } from "../../core/charts/index.js";
import { DataTable, tableCsv } from "../components/data-table.js";
import { ErrorBox } from "../components/error-box.js";
import { ExportButtons } from "../components/export-buttons.js";
import { VegaChart } from "../components/vega-chart.js";
import type { Engine } from "../engine/engine.js";
import { useJob } from "../engine/use-job.js";
import { useViewState } from "../state/url-state.js";
import { specRef } from "../workspace/workspace.js";
import { RooflineInputs } from "./roofline/roofline-inputs.js";
import { breakdownRequest, gemmRequest } from "./roofline/roofline-requests.js";
import { breakdownRows, opRows, ROOFLINE_COLUMNS, type RooflineRow } from "./roofline/roofline-rows.js";
import { ROOFLINE_DEFAULTS, type RooflineState } from "./roofline/roofline-state.js";

interface Placed {
  rows: RooflineRow[];
  workload: string;
  json: unknown;
  ms: number | undefined;
}

/** The ops of the chosen workload (a pass or one GEMM), or the job's error. */
function usePlacedOps(engine: Engine, s: RooflineState): { placed?: Placed; error?: unknown } {
  const model = s.source !== "op";
  const pass = useJob(engine, "breakdown", model ? breakdownRequest(s, specRef) : undefined);
  const gemm = useJob(engine, "op", model ? undefined : gemmRequest(s, specRef));
  if (model) {
    const r = pass.result;
    return r ? { placed: { rows: breakdownRows(r), workload: `${r.model} ${r.phase}, batch ${r.batch}, ${r.new_tokens} new / ${r.context_tokens} context tokens, ${r.precision.compute}`, json: r, ms: pass.elapsed_ms } } : { error: pass.error };
  }
  const g = gemm.result && !Array.isArray(gemm.result) ? gemm.result : undefined;
  return g ? { placed: { rows: opRows(g), workload: `${g.op}`, json: g, ms: gemm.elapsed_ms } } : { error: gemm.error };
}

function useChip(engine: Engine, id: string): { chip?: Chip; error?: unknown } {
  return useMemo(() => {
    try {
      return { chip: engine.catalog.chip(specRef(id)) };
    } catch (error) {
      return { error };
    }
  }, [engine, id]);
}

function RooflineResults({ chip, placed }: { chip: Chip; placed: Placed }) {
  const input: RooflineInput = useMemo(() => ({ ...chipRoofs(chip), workload: placed.workload, ops: placed.rows }), [chip, placed.rows, placed.workload]);
  const spec = useMemo(() => rooflineSpec(input, { tooltips: true }), [input]);
  const stem = `roofline-${chip.id}`;
  return (
    <>
      <VegaChart spec={spec} label={`roofline of ${chip.id} with the ops of ${placed.workload}`} exportName={stem} testId="roofline-chart" />
      <p class="note">Ops with no FLOPs, no bytes or no time (an embedding lookup) have no place on a roofline: they are in the table, not on the chart.</p>
      <DataTable caption={`Ops of ${placed.workload} on ${chip.id}`} columns={ROOFLINE_COLUMNS} rows={placed.rows} rowKey={(r) => r.name} testId="roofline-table" />
      <ExportButtons source={{ name: stem, json: () => ({ roofline: input, result: placed.json }), csv: () => tableCsv(ROOFLINE_COLUMNS, placed.rows) }} />
      {placed.ms !== undefined ? <p class="timing" data-testid="compute-ms">computed in {placed.ms.toFixed(1)} ms</p> : null}
    </>
  );
}

export function RooflineView({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("roofline", ROOFLINE_DEFAULTS);
  const { chip, error: chipError } = useChip(engine, s.chip);
  const { placed, error } = usePlacedOps(engine, s);
  return (
    <div class="view-grid roofline-view">
      <RooflineInputs s={s} set={set} engine={engine} />
      <section class="results" aria-live="polite">
        <ErrorBox error={chipError ?? error} />
        {chip && placed ? <RooflineResults chip={chip} placed={placed} /> : null}
      </section>
    </div>
  );
}
