/** The Roofline view's inputs: chip, workload (a model's pass or one GEMM), phase, batch, tokens, dtype. */
import { DTYPES } from "../../../core/units/dtype.js";
import { NumberField, SelectField } from "../../components/fields.js";
import { ChipPicker, ModelPicker } from "../../components/pickers.js";
import type { Engine } from "../../engine/engine.js";
import type { RooflineState } from "./roofline-state.js";

type Set = (patch: Partial<RooflineState>) => void;

const SOURCES = [
  { value: "model", label: "A model's forward pass" },
  { value: "op", label: "One GEMM (M×N×K)" },
];
const PHASES = [
  { value: "prefill", label: "Prefill" },
  { value: "decode", label: "Decode (one step)" },
];

export function RooflineInputs({ s, set, engine }: { s: RooflineState; set: Set; engine: Engine }) {
  return (
    <form class="inputs" onSubmit={(e) => e.preventDefault()}>
      <ChipPicker engine={engine} value={s.chip} onChange={(chip) => set({ chip })} />
      <SelectField label="Workload" name="source" value={s.source} onChange={(source) => set({ source })} choices={SOURCES} />
      {s.source === "op" ? (
        <>
          <NumberField label="M" name="m" value={s.m} min={1} step={1} onChange={(m) => set({ m })} />
          <NumberField label="N" name="n" value={s.n} min={1} step={1} onChange={(n) => set({ n })} />
          <NumberField label="K" name="k" value={s.k} min={1} step={1} onChange={(k) => set({ k })} />
        </>
      ) : (
        <>
          <ModelPicker engine={engine} value={s.model} onChange={(model) => set({ model })} />
          <SelectField label="Phase" name="phase" value={s.phase} onChange={(phase) => set({ phase })} choices={PHASES} />
          <NumberField label={s.phase === "decode" ? "Context tokens" : "Prompt tokens"} name="tokens" value={s.tokens} min={1} step={1} onChange={(tokens) => set({ tokens })} />
        </>
      )}
      <NumberField label="Batch" name="batch" value={s.batch} min={1} step={1} onChange={(batch) => set({ batch })} />
      <SelectField label="dtype" name="dtype" value={s.dtype} onChange={(dtype) => set({ dtype })} choices={DTYPES.map((d) => ({ value: d, label: d }))} />
    </form>
  );
}
