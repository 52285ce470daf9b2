import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { DTYPES, type DType, toDType } from "../units/dtype.js";

/**
 * Numeric precision of a workload: the dtype of the matrix math, and the storage dtypes of weights,
 * activations and the KV cache. Weight-only quantisation is `{ compute: bf16, weights: int4 }`;
 * FP8 serving with a BF16 cache is `{ compute: fp8, weights: fp8, activations: fp8, kv_cache: bf16 }`.
 */
export interface Precision {
  compute: DType;
  weights: DType;
  activations: DType;
  kv_cache: DType;
}

export const DEFAULT_PRECISION: Readonly<Precision> = Object.freeze({
  compute: "bf16",
  weights: "bf16",
  activations: "bf16",
  kv_cache: "bf16",
});

const KEYS = ["compute", "weights", "activations", "kv_cache"] as const;
const KEY_ALIASES: Record<string, (typeof KEYS)[number]> = {
  compute: "compute", math: "compute",
  weights: "weights", weight: "weights", w: "weights",
  activations: "activations", activation: "activations", act: "activations", a: "activations",
  kv_cache: "kv_cache", kv: "kv_cache", kvcache: "kv_cache", cache: "kv_cache",
};

/** Bits written in "w4a16"-style names → dtype (16 bits means bf16, the common serving default). */
const BITS: Record<string, DType> = { "4": "int4", "8": "int8", "16": "bf16", "32": "fp32" };

function bad(path: string, got: string, message: string): XpusimError {
  return new XpusimError(
    error("E_SCHEMA", path, message, {
      got,
      expected: `a dtype (${DTYPES.join(", ")}), "wXaY" (e.g. w4a16, w8a8), or "key=dtype,..." with keys ${KEYS.join(", ")}`,
      hint: 'examples: "bf16", "fp8", "w4a16", "compute=fp8,weights=fp8,kv_cache=bf16"',
    }),
  );
}

function dtypeOf(name: string, path: string): DType {
  const d = toDType(name);
  if (!d) throw bad(path, name, `unknown dtype "${name}"`);
  return d;
}

/**
 * Parses a precision from a CLI string or a partial object (missing fields: see `complete`).
 *
 * - `"fp8"`: everything FP8.
 * - `"w4a16"`: int4 weights, BF16 activations and math (weight-only quantisation); `"w8a8"`: int8 all.
 * - `"compute=fp8,weights=fp8,kv=bf16"`: explicit fields; aliases `w`, `a`/`act`, `kv`.
 */
export function parsePrecision(input: string | Partial<Precision> | undefined, path = "precision"): Precision {
  if (input === undefined) return { ...DEFAULT_PRECISION };
  if (typeof input !== "string") {
    const out: Partial<Precision> = {};
    for (const [k, v] of Object.entries(input)) {
      const key = KEY_ALIASES[k];
      if (!key) throw bad(`${path}.${k}`, k, `unknown precision field "${k}"`);
      if (typeof v !== "string") throw bad(`${path}.${k}`, JSON.stringify(v), "expected a dtype name");
      out[key] = dtypeOf(v, `${path}.${k}`);
    }
    return complete(out);
  }
  const text = input.trim().toLowerCase();
  if (text === "" || text === "default") return { ...DEFAULT_PRECISION };
  const wa = /^w(4|8|16|32)a(4|8|16|32)(?:kv(4|8|16|32))?$/.exec(text);
  if (wa) {
    const weights = BITS[wa[1]!]!;
    const activations = BITS[wa[2]!]!;
    // Integer activations imply integer math; otherwise the math runs in the activation format.
    const compute: DType = activations;
    const kv_cache = wa[3] ? BITS[wa[3]]! : activations === "int4" ? "int8" : activations;
    return { compute, weights, activations, kv_cache };
  }
  if (!text.includes("=")) {
    const d = dtypeOf(text, path);
    return { compute: d, weights: d, activations: d, kv_cache: d };
  }
  const out: Partial<Precision> = {};
  for (const part of text.split(",")) {
    const [k, v, extra] = part.split("=").map((x) => x.trim());
    if (!k || !v || extra !== undefined) throw bad(path, part, `cannot read "${part}"`);
    const key = KEY_ALIASES[k];
    if (!key) throw bad(`${path}.${k}`, k, `unknown precision field "${k}"`);
    out[key] = dtypeOf(v, `${path}.${key}`);
  }
  return complete(out);
}

/**
 * Fills unspecified fields: compute follows activations (else BF16); activations follow a float
 * compute dtype (else BF16); weights follow compute; the KV cache follows activations.
 */
function complete(p: Partial<Precision>): Precision {
  const activations = p.activations ?? (p.compute && !isInt(p.compute) ? p.compute : DEFAULT_PRECISION.activations);
  const compute = p.compute ?? p.activations ?? DEFAULT_PRECISION.compute;
  return { compute, weights: p.weights ?? compute, activations, kv_cache: p.kv_cache ?? activations };
}

function isInt(d: DType): boolean {
  return d === "int8" || d === "int4";
}

/** "bf16" when all four agree, else "compute=…,weights=…,activations=…,kv_cache=…". */
export function formatPrecision(p: Precision): string {
  if (p.compute === p.weights && p.weights === p.activations && p.activations === p.kv_cache) return p.compute;
  return KEYS.map((k) => `${k}=${p[k]}`).join(",");
}

/** Precision as a scenario or flags state it: each field optional; compute defaults to `fallback`. */
export interface PrecisionInput {
  compute?: DType | undefined;
  weights?: DType | undefined;
  activations?: DType | undefined;
  kv_cache?: DType | undefined;
}

/** Precision with defaults: compute from the input (bf16 if unset); weights/activations/KV follow compute. */
export function resolvePrecision(input: PrecisionInput | undefined, fallback: DType = "bf16", path = "precision"): Precision {
  const p = checkedPrecisionInput(input ?? {}, path);
  const compute = p.compute ?? fallback;
  // Integer and 4-bit formats are storage formats; the activations stay 16-bit unless set.
  const act: DType = p.activations ?? (compute === "int8" || compute === "int4" || compute === "fp4" ? "bf16" : compute);
  return {
    compute,
    weights: p.weights ?? compute,
    activations: act,
    kv_cache: p.kv_cache ?? act,
  };
}

/**
 * The fields of a precision input checked at run time (a request may come from plain JavaScript or
 * JSON): each given field must name a dtype (aliases such as "float16" accepted), else an error
 * naming the field.
 */
function checkedPrecisionInput(p: PrecisionInput, path: string): PrecisionInput {
  if (typeof p !== "object" || p === null) throw bad(path, JSON.stringify(p), "expected an object of dtypes");
  const out: PrecisionInput = {};
  for (const key of ["compute", "weights", "activations", "kv_cache"] as const) {
    const v: unknown = p[key];
    if (v === undefined) continue;
    if (typeof v !== "string") throw bad(`${path}.${key}`, JSON.stringify(v), "expected a dtype name");
    out[key] = dtypeOf(v, `${path}.${key}`);
  }
  return out;
}
