/** The serving planner's form: model, SLO, rate, lengths, candidate chips and precisions (as `xpusim plan serve` takes them). */
import { NumberField, TextField } from "../../components/fields.js";
import { ChipMultiPicker, ModelPicker } from "../../components/pickers.js";
import type { Engine } from "../../engine/engine.js";
import type { ServingViewState } from "./serving-request.js";

export function ServingInputs({ engine, s, set }: { engine: Engine; s: ServingViewState; set: (p: Partial<ServingViewState>) => void }) {
  const change = (p: Partial<ServingViewState>) => set({ ...p, pick: "" });
  return (
    <form class="inputs" onSubmit={(e) => e.preventDefault()}>
      <ModelPicker engine={engine} value={s.model} onChange={(model) => change({ model })} />
      <TextField label="SLO (p90)" name="slo" value={s.slo} hint="ttft=500ms,tpot=50ms — the plan's SLOs are on p90 latency" onChange={(slo) => change({ slo })} />
      <TextField label="Request rate" name="rate" value={s.rate} hint="5/s, 300/min" onChange={(rate) => change({ rate })} />
      <TextField label="Prompt tokens" name="input" value={s.input} hint="1024, or a uniform range 512-2048 (the plan sizes on its mean)" onChange={(input) => change({ input })} />
      <TextField label="Output tokens" name="output" value={s.output} hint="256, or a range 128-512" onChange={(output) => change({ output })} />
      <TextField label="Precisions to try" name="precisions" value={s.precisions} hint="bf16,fp8,int8,w4a16" onChange={(precisions) => change({ precisions })} />
      <NumberField label="Most chips per replica" name="max_chips" value={s.max_chips} min={1} step={1} hint="empty: 8" onChange={(max_chips) => change({ max_chips })} />
      <ChipMultiPicker engine={engine} label="Candidate chips" value={s.chips} onChange={(chips) => change({ chips })} />
    </form>
  );
}
