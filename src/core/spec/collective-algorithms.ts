/**
 * The collective algorithms a collective library may list (collective-library-spec.ts validates
 * them; the network models pick among them). Kept apart from the zod schema so the engine can read
 * it without loading zod.
 */
export const ALGORITHMS = [
  "ring",
  "tree",
  "halving_doubling",
  "hierarchical",
  "nvls",
  "nvls_tree",
  "collnet",
  "torus",
  "direct",
] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];
