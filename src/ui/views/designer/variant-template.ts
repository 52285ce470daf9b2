/** The editor's starting text for a chip: `extends:` the catalog chip plus an example override, or a workspace chip's own text. */
import type { Chip } from "../../../core/app/index.js";
import { fmtSi } from "../../../core/report/table.js";
import { findSpec } from "../../workspace/workspace.js";

export function variantTemplate(base: Chip): string {
  const own = findSpec(base.id);
  if (own) return own.text;
  const bw = base.memory.main.bandwidth_bytes_per_s;
  const faster = bw !== undefined ? fmtSi(bw * 1.5, "B/s").replace(/\s+/, " ") : "4 TB/s";
  return [`extends: ${base.id}`, `name: ${base.name} (faster memory)`, "memory:", "  main:", `    bandwidth: ${faster}   # example: 1.5× the base's bandwidth`, ""].join("\n");
}

export const defaultVariantId = (chipId: string) => `${chipId}-variant`;
