/**
 * Reads a mapping written by `xpusim map --json` / `mappingToObject` (or by hand) back into a Mapping:
 * `levels: { <level name>: { factors: { M: 4 }, order: [M, C, ...] } }`, `spatial: { rows: {C: 16}, cols: {M: 16} }`.
 * Missing factors are 1; dims missing from an order are appended innermost in N M C P Q R S order.
 */
import { error, XpusimError, type Diagnostic } from "../diagnostics/diagnostic.js";
import { NPU_DIMS, type NpuDim } from "../spec/npu-design-spec.js";
import type { NpuDesign } from "./design.js";
import { ones, type DimFactors, type Mapping } from "./mapping.js";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function mappingFromObject(design: NpuDesign, raw: unknown, file?: string): Mapping {
  const diags: Diagnostic[] = [];
  const err = (path: string, msg: string, extra: Partial<Diagnostic> = {}): void => {
    diags.push(error("E_SCHEMA", path, msg, { ...(file ? { file } : {}), ...extra }));
  };
  const factors = (v: unknown, path: string): DimFactors => {
    const f = ones();
    if (v === undefined) return f;
    if (!isObj(v)) {
      err(path, "expected a mapping of dim -> factor", { expected: "{ M: 4, C: 2 }" });
      return f;
    }
    for (const [k, x] of Object.entries(v)) {
      if (!(NPU_DIMS as readonly string[]).includes(k)) err(`${path}.${k}`, `unknown dim "${k}"`, { expected: NPU_DIMS.join(", ") });
      else if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 1) err(`${path}.${k}`, "factor must be a positive integer", { got: String(x) });
      else f[k as NpuDim] = x;
    }
    return f;
  };
  if (!isObj(raw)) throw new XpusimError(error("E_SCHEMA", "", "a mapping file must be a mapping with levels and spatial", file ? { file } : {}));
  const levels = raw.levels;
  if (!isObj(levels)) err("levels", "expected levels keyed by level name", { expected: design.levels.map((l) => l.name).join(", ") });
  const lv = isObj(levels) ? levels : {};
  for (const k of Object.keys(lv))
    if (!design.levels.some((l) => l.name === k)) err(`levels.${k}`, `unknown level "${k}"`, { expected: design.levels.map((l) => l.name).join(", ") });
  const temporal = design.levels.map((l) => {
    const e = lv[l.name];
    const path = `levels.${l.name}`;
    const f = factors(isObj(e) ? e.factors : undefined, `${path}.factors`);
    let order: NpuDim[] = [];
    const o = isObj(e) ? e.order : undefined;
    if (o !== undefined) {
      if (!Array.isArray(o) || o.some((d) => !(NPU_DIMS as readonly unknown[]).includes(d))) err(`${path}.order`, "expected a list of dims", { expected: NPU_DIMS.join(", ") });
      else order = [...new Set(o as NpuDim[])];
    }
    for (const d of NPU_DIMS) if (!order.includes(d)) order.push(d);
    return { factors: f, order };
  });
  const sp = isObj(raw.spatial) ? raw.spatial : {};
  const mapping: Mapping = {
    temporal,
    spatial: { rows: factors(sp.rows, "spatial.rows"), cols: factors(sp.cols, "spatial.cols"), arrays: factors(sp.arrays, "spatial.arrays") },
  };
  if (diags.length > 0) throw new XpusimError(diags);
  return mapping;
}
