import type { Chip } from "../hardware/chip.js";

/** The software ecosystem a chip runs (CUDA, ROCm, XLA, …) from its sourced `software:` section; undefined when the file states none. */
export function chipSoftware(chip: Chip): string[] | undefined {
  const stacks = chip.software.stacks.map((s) => s.name);
  return stacks.length ? stacks : undefined;
}

/** The distinct frameworks the chip's stacks serve (PyTorch, JAX, …), in first-mention order: the breadth of its ecosystem. */
export function chipFrameworks(chip: Chip): string[] {
  return [...new Set(chip.software.stacks.flatMap((s) => s.frameworks))];
}
