import type { Engine } from "../engine/engine.js";

/** Placeholder: being built. */
export function DesignerView(_: { engine: Engine }) {
  return <p class="note">This view is being built.</p>;
}
