/**
 * Making a variant: the YAML editor (checked on every edit, debounced 150 ms), the variant's id, a
 * Save button that puts it in the workspace (every view's chip pickers then offer it), and the
 * comparison with its base.
 */
import { useMemo, useState } from "preact/hooks";
import type { Chip } from "../../../core/app/index.js";
import { TextField } from "../../components/fields.js";
import type { Engine } from "../../engine/engine.js";
import { putSpec, specRef } from "../../workspace/workspace.js";
import { checkVariant } from "./check-variant.js";
import { useDebounced } from "./use-debounced.js";
import { VariantCompare } from "./variant-compare.js";
import { VariantEditor } from "./variant-editor.js";

export interface VariantSectionProps {
  engine: Engine;
  base: Chip;
  text: string;
  variantId: string;
  onText: (t: string) => void;
  onVariantId: (id: string) => void;
}

export function VariantSection({ engine, base, text, variantId, onText, onVariantId }: VariantSectionProps) {
  const [draft, setDraft] = useState<{ base: string; text: string }>({ base: base.id, text });
  const current = draft.base === base.id ? draft.text : text;
  const settled = useDebounced(current, 150);
  const check = useMemo(() => checkVariant(engine.catalog, variantId, settled), [engine, variantId, settled]);
  const id = typeof check.doc?.id === "string" ? check.doc.id : variantId;
  const [saved, setSaved] = useState<string>();
  const onInput = (t: string) => {
    setDraft({ base: base.id, text: t });
    onText(t);
  };
  const save = () => {
    putSpec({ id, kind: "chip", text: settled, origin: "designer" });
    setSaved(id);
  };
  return (
    <section class="designer-variant" aria-label="make a variant">
      <h3>Make a variant</h3>
      <TextField label="Variant id" name="vid" value={variantId} onChange={onVariantId} hint="the name other views list it under" />
      <VariantEditor text={current} onInput={onInput} diagnostics={check.diagnostics} />
      <div class="designer-save">
        <button type="button" data-testid="save-variant" disabled={!check.chip || settled !== current} onClick={save}>
          Save “{id}” to your specs
        </button>
        {saved ? <span role="status" data-testid="saved">Saved: every chip picker now offers “{saved}”.</span> : null}
      </div>
      {check.chip && check.doc ? <VariantCompare engine={engine} base={base} baseRef={specRef(base.id)} variant={check.chip} variantRef={{ ...check.doc, id }} /> : null}
    </section>
  );
}
