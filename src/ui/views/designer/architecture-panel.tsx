/** The architecture diagram drawn from the chip's spec (core/charts), with an SVG download. */
import { useMemo } from "preact/hooks";
import { architectureOf, type Chip } from "../../../core/app/index.js";
import { architectureDiagram } from "../../../core/charts/index.js";
import { ExportButtons } from "../../components/export-buttons.js";

export function ArchitecturePanel({ chip }: { chip: Chip }) {
  const svg = useMemo(() => architectureDiagram(architectureOf(chip)), [chip]);
  return (
    <figure class="designer-arch">
      <div class="designer-svg" role="img" aria-label={`architecture of ${chip.name}`} data-testid="architecture" dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption>
        Architecture of {chip.name}, drawn from its spec <ExportButtons source={{ name: `architecture-${chip.id}`, svg: () => svg }} />
      </figcaption>
    </figure>
  );
}
