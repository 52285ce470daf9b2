import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { OpSpec } from "../spec/scenario-spec.js";
import { DTYPES, isDType } from "../units/dtype.js";

/**
 * An op request checked and completed at run time without the zod schemas (so `xpusim op` starts
 * without loading them): the required fields of its type must be positive integers, the dtype a
 * known one, and the optional fields get the scenario schema's defaults (spec/scenario-spec.ts).
 * `test/complete-op-spec.test.ts` holds this to the schema: the same input gives the same op, or both
 * refuse it.
 */
const REQUIRED: Record<OpSpec["type"], readonly string[]> = {
  gemm: ["m", "n", "k"],
  conv2d: ["n", "h", "w", "c_in", "c_out", "kh", "kw"],
  attention: ["batch", "heads", "head_dim", "seq_kv"],
  collective: ["bytes", "ranks"],
};

const DEFAULTS: Record<OpSpec["type"], Record<string, unknown>> = {
  gemm: { batch: 1, dtype: "bf16" },
  conv2d: { stride: 1, padding: 0, groups: 1, dtype: "bf16" },
  attention: { causal: true, phase: "prefill", fused: true, dtype: "bf16" },
  collective: { dtype: "bf16" },
};

const OPTIONAL_INTS: Record<OpSpec["type"], readonly string[]> = {
  gemm: ["batch"],
  conv2d: ["stride", "padding", "groups"],
  attention: ["kv_heads", "head_dim_v", "seq_q", "window"],
  collective: ["top_k", "tokens_per_rank"],
};
const BOOLEANS = new Set(["causal", "fused"]);
const ENUMS: Record<string, readonly string[]> = {
  phase: ["prefill", "decode"],
  op: ["all_reduce", "reduce_scatter", "all_gather", "all_to_all", "broadcast", "ep_dispatch", "ep_combine"],
};

function fail(path: string, message: string, got: unknown, source?: string): never {
  throw new XpusimError(error("E_SCHEMA", path, message, { got: JSON.stringify(got) ?? "nothing", ...(source ? { file: source } : {}) }));
}

function checkField(type: OpSpec["type"], key: string, v: unknown, source?: string): void {
  const path = `workload.op.${key}`;
  if (key === "type") return;
  if (key === "dtype") {
    if (!isDType(v)) fail(path, `expected one of ${DTYPES.join(", ")}`, v, source);
    return;
  }
  if (!(key in DEFAULTS[type]) && !REQUIRED[type].includes(key) && !OPTIONAL_INTS[type].includes(key) && !(type === "collective" && key === "op")) {
    fail(path, `unknown field for a ${type} op`, v, source);
  }
  if (BOOLEANS.has(key)) {
    if (typeof v !== "boolean") fail(path, "expected true or false", v, source);
    return;
  }
  if (ENUMS[key]) {
    if (!ENUMS[key].includes(v as string)) fail(path, `expected one of ${ENUMS[key].join(", ")}`, v, source);
    return;
  }
  const min = key === "padding" ? 0 : 1;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) fail(path, `expected ${min === 0 ? "a non-negative" : "a positive"} integer`, v, source);
}

export function completeOpSpec(raw: unknown, source?: string): OpSpec {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("workload.op", "expected an op mapping with a type", raw, source);
  const op = raw as Record<string, unknown>;
  const type = op.type as OpSpec["type"];
  if (!(type in REQUIRED)) fail("workload.op.type", `expected one of ${Object.keys(REQUIRED).join(", ")}`, op.type, source);
  for (const key of REQUIRED[type]) if (op[key] === undefined) fail(`workload.op.${key}`, `a ${type} op needs ${key}`, undefined, source);
  if (type === "collective" && op.op === undefined) fail("workload.op.op", "a collective op needs op", undefined, source);
  const out: Record<string, unknown> = { ...DEFAULTS[type] };
  for (const [key, v] of Object.entries(op)) {
    if (v === undefined) continue;
    checkField(type, key, v, source);
    out[key] = v;
  }
  return out as OpSpec;
}
