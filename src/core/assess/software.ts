import type { Chip } from "../hardware/chip.js";

/**
 * The software ecosystem a chip runs (CUDA, ROCm, XLA, …), read from `chip.software` when the chip
 * model carries it (sourced catalog data added separately). Read through this accessor so the
 * assessment compiles with and without that field. TODO(lead): once `Chip.software` is typed, read
 * it directly and drop the structural guard.
 */
export function chipSoftware(chip: Chip): string[] | undefined {
  const raw = (chip as { software?: unknown }).software;
  if (raw === undefined || raw === null) return undefined;
  const names = (Array.isArray(raw) ? raw : typeof raw === "object" ? Object.values(raw as Record<string, unknown>).flat() : [raw])
    .map((x) => (typeof x === "string" ? x : x && typeof x === "object" && "name" in x ? String((x as { name: unknown }).name) : undefined))
    .filter((x): x is string => !!x);
  return names.length ? names : undefined;
}
