import type { DType } from "../units/dtype.js";
import type { EfficiencyParams } from "./family-spec.js";

/** Matrix efficiency for a dtype: the per-dtype entry when present, else the family default. (Kept apart from the zod schema so cost models do not load zod.) */
export function matrixEfficiencyFor(p: EfficiencyParams, dtype: DType): number {
  return p.matrix_efficiency_by_dtype[dtype] ?? p.matrix_efficiency;
}
