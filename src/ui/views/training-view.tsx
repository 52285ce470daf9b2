import type { Engine } from "../engine/engine.js";

/** Placeholder: being built. */
export function TrainingView(_: { engine: Engine }) {
  return <p class="note">This view is being built.</p>;
}
