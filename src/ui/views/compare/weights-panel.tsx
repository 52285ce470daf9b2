/**
 * One weight per factor of the mode (a slider and a number box, 0–10); a change re-ranks at once
 * (the view re-ranks the assessment it has, no re-assessment).
 */
import type { FactorKey } from "../../../core/app/index.js";

export function WeightsPanel({ factors, value, onChange }: { factors: readonly FactorKey[]; value: (f: FactorKey) => string; onChange: (f: FactorKey, v: string) => void }) {
  return (
    <fieldset class="cmp-weights" data-testid="weights">
      <legend>Weights (0 = ignore; default 1)</legend>
      {factors.map((f) => (
        <div class="cmp-weight" key={f}>
          <label for={`weight-${f}`}>{f.replace("_", " ")}</label>
          <input type="range" min={0} max={10} step={0.1} value={value(f)} aria-label={`${f} weight slider`} onInput={(e) => onChange(f, (e.target as HTMLInputElement).value)} />
          <input id={`weight-${f}`} name={`w_${f}`} type="number" min={0} step="any" value={value(f)} onInput={(e) => onChange(f, (e.target as HTMLInputElement).value)} />
        </div>
      ))}
    </fieldset>
  );
}
