/** Labelled inputs: every control has a visible label and is reachable by keyboard. */
import type { ComponentChildren } from "preact";

let ids = 0;
const nextId = (name: string) => `f-${name}-${++ids}`;

export function Field({ label, children, hint }: { label: string; children: (id: string) => ComponentChildren; hint?: string }) {
  const id = nextId(label.replace(/\W+/g, "-").toLowerCase());
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children(id)}
      {hint ? <small class="hint">{hint}</small> : null}
    </div>
  );
}

export function TextField({ label, value, onChange, name, hint, placeholder }: { label: string; value: string; onChange: (v: string) => void; name: string; hint?: string; placeholder?: string }) {
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id) => <input id={id} name={name} value={value} placeholder={placeholder} onInput={(e) => onChange((e.target as HTMLInputElement).value)} />}
    </Field>
  );
}

export function NumberField({ label, value, onChange, name, min, step, hint }: { label: string; value: string; onChange: (v: string) => void; name: string; min?: number; step?: number; hint?: string }) {
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id) => <input id={id} name={name} type="number" inputMode="decimal" value={value} min={min} step={step ?? "any"} onInput={(e) => onChange((e.target as HTMLInputElement).value)} />}
    </Field>
  );
}

export interface Choice {
  value: string;
  label: string;
  group?: string;
}

export function SelectField({ label, value, onChange, name, choices, hint }: { label: string; value: string; onChange: (v: string) => void; name: string; choices: readonly Choice[]; hint?: string }) {
  const groups = [...new Set(choices.map((c) => c.group ?? ""))];
  const options = (g: string) => choices.filter((c) => (c.group ?? "") === g).map((c) => <option key={c.value} value={c.value}>{c.label}</option>);
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id) => (
        <select id={id} name={name} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
          {groups.length === 1 ? options(groups[0]!) : groups.map((g) => <optgroup key={g} label={g || "other"}>{options(g)}</optgroup>)}
        </select>
      )}
    </Field>
  );
}
