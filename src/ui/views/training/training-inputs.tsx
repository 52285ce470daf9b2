/** The training planner's form: model, chip, count, batch, sequence, precision, system, ranking. */
import { useMemo } from "preact/hooks";
import { NumberField, SelectField, TextField } from "../../components/fields.js";
import { ChipPicker, ModelPicker } from "../../components/pickers.js";
import type { Engine } from "../../engine/engine.js";
import type { TrainingViewState } from "./training-request.js";

const DTYPE_CHOICES = ["bf16", "fp16", "fp8", "fp32", "tf32"].map((d) => ({ value: d, label: d }));
const RANK_CHOICES = [
  { value: "time", label: "step time" },
  { value: "cost", label: "cost" },
];

export function TrainingInputs({ engine, s, set }: { engine: Engine; s: TrainingViewState; set: (p: Partial<TrainingViewState>) => void }) {
  const systems = useMemo(() => [{ value: "", label: "the chip's usual system" }, ...engine.catalog.systemIds().map((id) => ({ value: id, label: id }))], [engine]);
  return (
    <form class="inputs" onSubmit={(e) => e.preventDefault()}>
      <ModelPicker engine={engine} value={s.model} onChange={(model) => set({ model, pick: "" })} />
      <ChipPicker engine={engine} value={s.chip} onChange={(chip) => set({ chip, pick: "" })} />
      <NumberField label="Chips" name="chips" value={s.chips} min={1} step={1} onChange={(chips) => set({ chips, pick: "" })} />
      <NumberField label="Global batch (sequences)" name="batch" value={s.batch} min={1} step={1} onChange={(batch) => set({ batch, pick: "" })} />
      <NumberField label="Sequence length (tokens)" name="seq" value={s.seq} min={1} step={1} onChange={(seq) => set({ seq, pick: "" })} />
      <SelectField label="Precision (compute)" name="dtype" value={s.dtype} choices={DTYPE_CHOICES} onChange={(dtype) => set({ dtype, pick: "" })} />
      <SelectField label="System" name="system" value={s.system} choices={systems} onChange={(system) => set({ system, pick: "" })} />
      <SelectField label="Rank layouts by" name="rank" value={s.rank} choices={RANK_CHOICES} onChange={(rank) => set({ rank, pick: "" })} />
      <TextField label="Scaling curve: chip counts" name="counts" value={s.counts} placeholder="e.g. 8,16,32,64" hint="empty: half to four times the chip count" onChange={(counts) => set({ counts })} />
    </form>
  );
}
