import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { SoftwareKind, SoftwareSpec } from "../../spec/software-spec.js";
import type { Catalog } from "../catalog.js";
import { defineJob } from "../job.js";
import { presetSettings, presetSource } from "../software-stack.js";

/** `xpusim software [id]`: every software-stack preset, or one (by id or alias). */
export interface SoftwareJobRequest {
  id?: string;
  /** Only presets for this kind. */
  kind?: SoftwareKind;
}

/** One preset: what it applies to, its settings in effect (flat), its sources, and what is not modelled. */
export interface SoftwarePresetSummary {
  id: string;
  name: string;
  aliases: string[];
  version?: string;
  applies_to: SoftwareSpec["applies_to"];
  settings: Record<string, unknown>;
  source: string;
  not_modelled: string[];
  notes?: string;
}

export interface SoftwareJobResult {
  presets: SoftwarePresetSummary[];
  /** The full preset (every setting with its source and note) when one id was asked for. */
  spec?: SoftwareSpec;
}

export function softwareSummary(s: SoftwareSpec): SoftwarePresetSummary {
  return {
    id: s.id,
    name: s.name,
    aliases: s.aliases,
    ...(s.version ? { version: s.version } : {}),
    applies_to: s.applies_to,
    settings: presetSettings(s),
    source: presetSource(s),
    not_modelled: s.not_modelled,
    ...(s.notes ? { notes: s.notes } : {}),
  };
}

export const softwareJob = defineJob<SoftwareJobRequest, SoftwareJobResult>({
  id: "software",
  summary: "the software-stack presets (training frameworks, inference and serving engines) with their settings and sources",
  supports: "catalog/software presets by id or alias; filter by kind (training, inference, serving)",
  run(req, catalog: Catalog) {
    if (!catalog.software || !catalog.softwareIds) throw new XpusimError(error("E_UNSUPPORTED", "catalog", "this catalog has no software presets (catalog/software)"));
    const software = catalog.software;
    if (req.id !== undefined) {
      const spec = software(req.id, "id");
      return { presets: [softwareSummary(spec)], spec };
    }
    const all = catalog.softwareIds().map((id) => software(id));
    return { presets: all.filter((s) => req.kind === undefined || s.applies_to.kinds.includes(req.kind)).map(softwareSummary) };
  },
});
