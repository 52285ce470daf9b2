/**
 * Chip designer: a chip's architecture diagram and every figure with its source; a YAML editor to make
 * a variant (validated by the engine as you type, errors beside their lines) that, once saved, every
 * view can use; and, for systolic designs, the cycle simulator's utilisation per layer as a heat map.
 */
import { useMemo } from "preact/hooks";
import type { Chip } from "../../core/app/index.js";
import { ErrorBox } from "../components/error-box.js";
import { ChipPicker } from "../components/pickers.js";
import type { Engine } from "../engine/engine.js";
import { useViewState } from "../state/url-state.js";
import { specRef, useWorkspace } from "../workspace/workspace.js";
import { ArchitecturePanel } from "./designer/architecture-panel.js";
import { FiguresTable } from "./designer/figures-table.js";
import { SystolicPanel } from "./designer/systolic-panel.js";
import { VariantSection } from "./designer/variant-section.js";
import { defaultVariantId, variantTemplate } from "./designer/variant-template.js";

const DEFAULTS = { chip: "nvidia-h100-sxm", yaml: "", vid: "" };

function useChip(engine: Engine, id: string): { chip?: Chip; error?: unknown } {
  const ws = useWorkspace();
  return useMemo(() => {
    try {
      return { chip: engine.catalog.chip(specRef(id)) };
    } catch (error) {
      return { error };
    }
  }, [engine, id, ws]);
}

export function DesignerView({ engine }: { engine: Engine }) {
  const [s, set] = useViewState("designer", DEFAULTS);
  const { chip, error } = useChip(engine, s.chip);
  return (
    <div class="view-grid designer">
      <form class="inputs" onSubmit={(e) => e.preventDefault()}>
        <ChipPicker engine={engine} value={s.chip} onChange={(c) => set({ chip: c, yaml: "", vid: "" })} />
        <p class="note">The spec table lists every figure with the source the chip file gives it. Edit a variant below; saved variants join “Your specs”.</p>
      </form>
      <section class="results" aria-live="polite">
        <ErrorBox error={error} />
        {chip ? (
          <>
            <ArchitecturePanel chip={chip} />
            <FiguresTable chip={chip} />
            <VariantSection engine={engine} base={chip} text={s.yaml || variantTemplate(chip)} variantId={s.vid || defaultVariantId(chip.id)} onText={(yaml) => set({ yaml })} onVariantId={(vid) => set({ vid })} />
          </>
        ) : null}
        <SystolicPanel engine={engine} />
      </section>
    </div>
  );
}
