import type { Chip } from "../hardware/chip.js";

/** The software ecosystem a chip runs (CUDA, ROCm, XLA, …) from its sourced `software:` section; undefined when the file states none. */
export function chipSoftware(chip: Chip): string[] | undefined {
  const stacks = chip.software.stacks.map((s) => s.name);
  return stacks.length ? stacks : undefined;
}
