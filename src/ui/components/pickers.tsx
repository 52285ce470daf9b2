/**
 * Chip and model pickers: catalog entries (grouped by vendor / category) plus the workspace's own
 * specs (uploads and designer variants), which every view can use like catalog ids.
 */
import { useMemo } from "preact/hooks";
import type { Engine } from "../engine/engine.js";
import { useWorkspace } from "../workspace/workspace.js";
import { type Choice, SelectField } from "./fields.js";

export function chipChoices(engine: Engine): Choice[] {
  return engine.catalog.chipIds().map((id) => {
    const c = engine.catalog.chip(id);
    return { value: id, label: c.name, group: c.vendor };
  });
}

export function modelChoices(engine: Engine): Choice[] {
  return engine.catalog.modelIds().map((id) => {
    const m = engine.catalog.model(id);
    return { value: id, label: m.name ?? id, group: m.category ?? "models" };
  });
}

const memo = new WeakMap<Engine, { chips: Choice[]; models: Choice[] }>();
function catalogChoices(engine: Engine) {
  let c = memo.get(engine);
  if (!c) {
    const t0 = performance.now();
    memo.set(engine, (c = { chips: chipChoices(engine), models: modelChoices(engine) }));
    performance.measure("xpusim:catalog-choices", { start: t0, end: performance.now() });
  }
  return c;
}

function useChoices(engine: Engine, kind: "chip" | "model"): Choice[] {
  const ws = useWorkspace();
  return useMemo(() => {
    const own = ws.filter((s) => s.kind === kind).map((s) => ({ value: s.id, label: `${s.id} (yours)`, group: "Your specs" }));
    return [...own, ...(kind === "chip" ? catalogChoices(engine).chips : catalogChoices(engine).models)];
  }, [engine, ws, kind]);
}

export function ModelPicker({ engine, value, onChange, label = "Model", name = "model" }: { engine: Engine; value: string; onChange: (v: string) => void; label?: string; name?: string }) {
  return <SelectField label={label} name={name} value={value} onChange={onChange} choices={useChoices(engine, "model")} />;
}

export function ChipPicker({ engine, value, onChange, label = "Chip", name = "chip" }: { engine: Engine; value: string; onChange: (v: string) => void; label?: string; name?: string }) {
  return <SelectField label={label} name={name} value={value} onChange={onChange} choices={useChoices(engine, "chip")} />;
}

/** Several chips: a list of checkboxes with a filter box, grouped by vendor. `value` is comma-separated ids. */
export function ChipMultiPicker({ engine, value, onChange, label = "Chips" }: { engine: Engine; value: string; onChange: (v: string) => void; label?: string }) {
  const choices = useChoices(engine, "chip");
  const selected = new Set(value.split(",").filter(Boolean));
  const toggle = (id: string, on: boolean) => {
    const next = choices.map((c) => c.value).filter((v) => (v === id ? on : selected.has(v)));
    onChange(next.join(","));
  };
  return (
    <fieldset class="chip-multi">
      <legend>{label} ({selected.size} chosen)</legend>
      <div class="chip-list">
        {choices.map((c) => (
          <label key={c.value} class={selected.has(c.value) ? "on" : ""}>
            <input type="checkbox" name="chips" value={c.value} checked={selected.has(c.value)} onChange={(e) => toggle(c.value, (e.target as HTMLInputElement).checked)} />
            {c.label}
            <span class="group"> · {c.group}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
