/** The Compare view's inputs: the workload (a model or one GEMM), the mode and shape, the chip count, the chips. */
import { DTYPES } from "../../../core/units/dtype.js";
import { NumberField, SelectField } from "../../components/fields.js";
import { ChipMultiPicker, ModelPicker } from "../../components/pickers.js";
import type { Engine } from "../../engine/engine.js";
import type { CompareState } from "./compare-state.js";

type Set = (patch: Partial<CompareState>) => void;

const SOURCES = [
  { value: "model", label: "A model (catalog or yours)" },
  { value: "op", label: "One GEMM (M×N×K)" },
];
const MODES = [
  { value: "inference", label: "Inference" },
  { value: "training", label: "Training" },
];

function GemmInputs({ s, set }: { s: CompareState; set: Set }) {
  return (
    <>
      <NumberField label="M" name="m" value={s.m} min={1} step={1} onChange={(m) => set({ m })} />
      <NumberField label="N" name="n" value={s.n} min={1} step={1} onChange={(n) => set({ n })} />
      <NumberField label="K" name="k" value={s.k} min={1} step={1} onChange={(k) => set({ k })} />
      <NumberField label="Batch" name="batch" value={s.batch} min={1} step={1} onChange={(batch) => set({ batch })} />
      <SelectField label="dtype" name="dtype" value={s.dtype} onChange={(dtype) => set({ dtype })} choices={DTYPES.map((d) => ({ value: d, label: d }))} />
    </>
  );
}

function ModelInputs({ s, set, engine }: { s: CompareState; set: Set; engine: Engine }) {
  const training = s.mode === "training";
  return (
    <>
      <ModelPicker engine={engine} value={s.model} onChange={(model) => set({ model })} />
      <SelectField label="Mode" name="mode" value={s.mode} onChange={(mode) => set({ mode })} choices={MODES} />
      {training ? (
        <>
          <NumberField label="Sequence length" name="seq" value={s.seq} min={1} step={1} onChange={(seq) => set({ seq })} />
          <NumberField label="Global batch" name="gbatch" value={s.gbatch} min={1} step={1} hint="blank: 8 per chip" onChange={(gbatch) => set({ gbatch })} />
        </>
      ) : (
        <>
          <NumberField label="Batch" name="batch" value={s.batch} min={1} step={1} onChange={(batch) => set({ batch })} />
          <NumberField label="Prompt tokens" name="input" value={s.input} min={1} step={1} onChange={(input) => set({ input })} />
          <NumberField label="Generated tokens" name="output" value={s.output} min={1} step={1} onChange={(output) => set({ output })} />
        </>
      )}
      <NumberField label="Chip count" name="count" value={s.count} min={1} step={1} hint={training ? "the assessment's chips; the table prices one chip" : "tensor-parallel chips per replica"} onChange={(count) => set({ count })} />
    </>
  );
}

export function WorkloadInputs({ s, set, engine }: { s: CompareState; set: Set; engine: Engine }) {
  return (
    <form class="inputs" onSubmit={(e) => e.preventDefault()}>
      <SelectField label="Workload" name="source" value={s.source} onChange={(source) => set({ source })} choices={SOURCES} />
      {s.source === "op" ? <GemmInputs s={s} set={set} /> : <ModelInputs s={s} set={set} engine={engine} />}
      <ChipMultiPicker engine={engine} value={s.chips} onChange={(chips) => set({ chips })} />
    </form>
  );
}
