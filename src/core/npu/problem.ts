/**
 * A layer as a 7-deep loop nest (Timeloop's convolution problem): N images, M output channels, C input
 * channels, P×Q outputs, R×S filter, strides. Weights W[M,C,R,S], inputs I[N,C,(P−1)·sh+R,(Q−1)·sw+S]
 * (the padded input), outputs O[N,M,P,Q]. A GEMM A(m×k)·B(k×n) is P = m, C = k, M = n, the rest 1.
 * Grouped convolutions run `repeats` identical group problems.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { NPU_DIMS, type NpuDim, type NpuTensor } from "../spec/npu-design-spec.js";

export interface LayerProblem {
  name: string;
  dims: Record<NpuDim, number>;
  stride_h: number;
  stride_w: number;
  /** Identical problems run one after the other (conv groups, GEMM batch). */
  repeats: number;
}

/** Dims each tensor's index depends on (Timeloop's data-space projections). */
export const RELEVANT: Readonly<Record<NpuTensor, ReadonlySet<NpuDim>>> = {
  weights: new Set<NpuDim>(["M", "C", "R", "S"]),
  inputs: new Set<NpuDim>(["N", "C", "P", "Q", "R", "S"]),
  outputs: new Set<NpuDim>(["N", "M", "P", "Q"]),
};

/** Reduction dims: spread over space, their partial sums are added in the array. */
export const REDUCTION_DIMS: readonly NpuDim[] = ["C", "R", "S"];

export function macsOf(p: LayerProblem): number {
  let m = 1;
  for (const d of NPU_DIMS) m *= p.dims[d];
  return m * p.repeats;
}

/** Elements of a tensor for a tile given by per-dim extents (sliding-window halo for inputs). */
export function tileElements(t: NpuTensor, e: Readonly<Record<NpuDim, number>>, strideH: number, strideW: number): number {
  if (t === "weights") return e.M * e.C * e.R * e.S;
  if (t === "outputs") return e.N * e.M * e.P * e.Q;
  return e.N * e.C * ((e.P - 1) * strideH + e.R) * ((e.Q - 1) * strideW + e.S);
}

export function tensorElements(p: LayerProblem, t: NpuTensor): number {
  return tileElements(t, p.dims, p.stride_h, p.stride_w);
}

const posInt = (v: number): boolean => Number.isSafeInteger(v) && v > 0;

export function checkProblem(p: LayerProblem, path = "layer"): void {
  const bad = NPU_DIMS.filter((d) => !posInt(p.dims[d]));
  if (bad.length > 0 || !posInt(p.stride_h) || !posInt(p.stride_w) || !posInt(p.repeats))
    throw new XpusimError(
      error("E_RANGE", path, `layer "${p.name}": dimensions, strides and repeats must be positive integers`, {
        got: bad.map((d) => `${d}=${p.dims[d]}`).join(", ") || `stride ${p.stride_h}x${p.stride_w}, repeats ${p.repeats}`,
      }),
    );
}

/**
 * The fields of a workload conv2d / GEMM op that a layer problem reads (core/workload's Conv2dOp and
 * GemmOp satisfy them; declared here so the NPU mapper stays beside the cost models, below workload).
 */
export interface ConvLayerShape {
  name: string;
  n: number;
  h: number;
  w: number;
  c_in: number;
  c_out: number;
  kh: number;
  kw: number;
  stride: number;
  padding: number;
  groups: number;
}
export interface GemmLayerShape {
  name: string;
  m: number;
  n: number;
  k: number;
  batch: number;
}

export function problemFromConv(op: ConvLayerShape): LayerProblem {
  const ph = op.h + 2 * op.padding;
  const pw = op.w + 2 * op.padding;
  const P = Math.floor((ph - op.kh) / op.stride) + 1;
  const Q = Math.floor((pw - op.kw) / op.stride) + 1;
  const g = op.groups;
  return {
    name: op.name,
    dims: { N: op.n, M: op.c_out / g, C: op.c_in / g, P, Q, R: op.kh, S: op.kw },
    stride_h: op.stride,
    stride_w: op.stride,
    repeats: g,
  };
}

export function problemFromGemm(op: GemmLayerShape): LayerProblem {
  return { name: op.name, dims: { N: 1, M: op.n, C: op.k, P: op.m, Q: 1, R: 1, S: 1 }, stride_h: 1, stride_w: 1, repeats: op.batch };
}

/**
 * Parses "conv:h=56,w=56,c=64,m=64,r=3,s=3,stride=1,pad=1,n=1[,groups=1]" or "gemm:m=512,n=512,k=512[,batch=1]".
 * Keys are case-insensitive; `k` is an alias of `m` (output channels) for conv, `kh`/`kw` of r/s.
 */
const GEMM_KEYS = ["m", "n", "k", "batch"];
const CONV_KEYS = ["h", "w", "c", "m", "k", "r", "kh", "s", "kw", "stride", "pad", "padding", "groups", "g", "n", "batch"];

export function parseLayerSpec(text: string): LayerProblem {
  const m = /^\s*(conv|gemm)\s*:(.*)$/i.exec(text);
  const fail = (msg: string): never => {
    throw new XpusimError(
      error("E_SCHEMA", "--layer", msg, {
        got: text,
        expected: "conv:h=56,w=56,c=64,m=64,r=3,s=3[,stride=1,pad=0,n=1,groups=1] or gemm:m=512,n=512,k=512[,batch=1]",
      }),
    );
  };
  if (!m) return fail("unknown layer kind");
  const known = m[1]!.toLowerCase() === "gemm" ? GEMM_KEYS : CONV_KEYS;
  const kv: Record<string, number> = {};
  for (const part of m[2]!.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split("=").map((s) => s.trim());
    const n = Number(v);
    if (k && !known.includes(k.toLowerCase())) fail(`unknown key "${k}" (${m[1]!.toLowerCase()} takes ${known.join(", ")})`);
    if (!k || v === undefined || !Number.isSafeInteger(n) || n < (k.toLowerCase() === "pad" || k.toLowerCase() === "padding" ? 0 : 1)) fail(`bad value in "${part}": expected key=positive integer`);
    kv[k!.toLowerCase()] = n;
  }
  const get = (keys: string[], dflt?: number): number => {
    for (const k of keys) if (kv[k] !== undefined) return kv[k]!;
    if (dflt === undefined) fail(`missing ${keys[0]}=`);
    return dflt!;
  };
  if (m[1]!.toLowerCase() === "gemm") {
    const p: LayerProblem = { name: text.trim(), dims: { N: 1, M: get(["n"]), C: get(["k"]), P: get(["m"]), Q: 1, R: 1, S: 1 }, stride_h: 1, stride_w: 1, repeats: get(["batch"], 1) };
    checkProblem(p, "--layer");
    return p;
  }
  const h = get(["h"]);
  const w = get(["w"], h);
  const r = get(["r", "kh"]);
  const s = get(["s", "kw"], r);
  const stride = get(["stride"], 1);
  const pad = get(["pad", "padding"], 0);
  const groups = get(["groups", "g"], 1);
  const c = get(["c"]);
  const mo = get(["m", "k"]);
  if (c % groups !== 0 || mo % groups !== 0) fail(`c=${c} and m=${mo} must be multiples of groups=${groups}`);
  if (h + 2 * pad < r || w + 2 * pad < s) fail(`the filter (${r}x${s}) is larger than the padded input (${h + 2 * pad}x${w + 2 * pad})`);
  const p: LayerProblem = {
    name: text.trim(),
    dims: { N: get(["n", "batch"], 1), M: mo / groups, C: c / groups, P: Math.floor((h + 2 * pad - r) / stride) + 1, Q: Math.floor((w + 2 * pad - s) / stride) + 1, R: r, S: s },
    stride_h: stride,
    stride_w: stride,
    repeats: groups,
  };
  checkProblem(p, "--layer");
  return p;
}
