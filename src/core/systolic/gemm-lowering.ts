/**
 * Lowering of a layer to the GEMM `M×K · K×N` that a systolic array runs (im2col, valid convolution,
 * no padding, as SCALE-Sim's `topology_utils.py` / `operand_matrix.py`):
 *   E_h = ceil((H − Fh + Sh)/Sh), E_w = ceil((W − Fw + Sw)/Sw), M = batch·E_h·E_w, K = Fh·Fw·C, N = filters.
 * Corrected semantics with explicit zero padding P: E = floor((H + 2P − F)/S) + 1 (the usual
 * convolution arithmetic, Dumoulin & Visin, "A guide to convolution arithmetic", 2016, §2.4); the
 * padded positions get addresses of their own but are flagged as never read (zeros made at the edge).
 * Vector-unit layers (pool, eltwise, act, softmax) lower to a VectorWork instead (vector-unit.ts).
 * A GEMM row `M, N, K` is SCALE-Sim's conv with an M×K ifmap, a 1×K filter, 1 channel, N filters,
 * stride 1. Word addresses (used only to detect reuse in the DRAM model) follow SCALE-Sim:
 * ifmap (m, k) → NHWC index of the pixel, filter (k, n) → n·K + k; both are built lazily as two
 * tables so that address(m, k) = ifmapRowBase[m] + ifmapColOffset[k].
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ConvLayerSpec, LayerSpec, SystolicSemantics, VectorOpType } from "./types.js";

/** One GEMM the array runs, with what the buffer models need to generate its address streams. */
export interface GemmProblem {
  name: string;
  M: number;
  N: number;
  K: number;
  /** Conv geometry the GEMM came from (GEMM layers use SCALE-Sim's M×K ifmap / 1×K filter view). */
  conv: {
    ifmap_h: number;
    ifmap_w: number;
    filter_h: number;
    filter_w: number;
    channels: number;
    stride_h: number;
    stride_w: number;
    ofmap_h: number;
    ofmap_w: number;
    batch: number;
    /** Zero padding before the first row / column (corrected semantics; 0 otherwise). */
    pad_h: number;
    pad_w: number;
    /** The ifmap extent the windows reach (≥ ifmap_h/ifmap_w when the last window overhangs). */
    padded_h: number;
    padded_w: number;
  };
  /** Distinct ifmap words the GEMM touches (the whole ifmap minus rows/columns skipped by strides). */
  ifmapFootprint: number;
  /** Number of ifmap word addresses in the (padded) address space used by the tables. */
  ifmapAddressSpace: number;
  /** True when some im2col entries fall outside the ifmap (SCALE-Sim's −1 entries). */
  ifmapHasPadding: boolean;
  /** im2col entries that are real reads (M·K minus the entries outside the ifmap). */
  ifmapValidEntries: number;
}

/** A layer as simulated: one GEMM run `repeats` times back to back (groups in the corrected semantics). */
export interface LoweredLayer {
  name: string;
  gemm: GemmProblem;
  /** Identical GEMMs run one after the other (conv groups); 1 otherwise. */
  repeats: number;
  /** Set for vector-unit layers (corrected semantics): the work replaces the GEMM. */
  vector?: VectorWork;
  /** The source line, for messages. */
  line?: number;
}

/**
 * Work of a vector-unit layer, in words and lane operations (one word read or written per element;
 * see vector-unit.ts for the cycle model). `filter` is the second operand of `eltwise`.
 */
export interface VectorWork {
  type: VectorOpType;
  ops: number;
  sramIfmapReads: number;
  sramFilterReads: number;
  sramOfmapWrites: number;
  dramIfmapReads: number;
  dramFilterReads: number;
  dramOfmapWrites: number;
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

/**
 * Distinct indices of [0, n) covered by E windows of size F at stride S starting at −p: the union
 * of [e·S − p, e·S − p + F) clipped to [0, n).
 */
function coveredExtent(n: number, e: number, f: number, s: number, p = 0): number {
  let covered = 0;
  let reach = 0;
  for (let i = 0; i < e; i++) {
    const lo = Math.max(i * s - p, reach, 0);
    const hi = Math.min(i * s - p + f, n);
    if (hi > lo) covered += hi - lo;
    reach = Math.max(reach, hi);
  }
  return covered;
}

/** Pairs (window e, tap f) whose input index e·S + f − p lies inside [0, n). */
function validTaps(n: number, e: number, f: number, s: number, p = 0): number {
  let count = 0;
  for (let i = 0; i < e; i++) count += Math.max(0, Math.min(f, n + p - i * s) - Math.max(0, p - i * s));
  return count;
}

export function convToGemm(
  name: string,
  h: number,
  w: number,
  fh: number,
  fw: number,
  ch: number,
  nf: number,
  sh: number,
  sw: number,
  batch: number,
  padding?: { h: number; w: number },
): GemmProblem {
  // Explicit padding (corrected semantics): floor((H + 2P − F)/S) + 1; otherwise SCALE-Sim's ceil form.
  const ph = padding?.h ?? 0;
  const pw = padding?.w ?? 0;
  const eh = padding ? Math.floor((h + 2 * ph - fh) / sh) + 1 : ceilDiv(h - fh + sh, sh);
  const ew = padding ? Math.floor((w + 2 * pw - fw) / sw) + 1 : ceilDiv(w - fw + sw, sw);
  const M = batch * eh * ew;
  const K = fh * fw * ch;
  // SCALE-Sim's E = ceil((H − F + S)/S) can place the last window partly past the ifmap edge when
  // (H − F) is not a multiple of S; those im2col entries are −1 (no read). The address tables use a
  // padded ifmap (paddedH × paddedW) so the padding gets addresses of its own, flagged in padMask.
  // Explicit zero padding shifts the real pixels to rows [ph, ph + H) and columns [pw, pw + W).
  const paddedH = Math.max(ph + h, (eh - 1) * sh + fh);
  const paddedW = Math.max(pw + w, (ew - 1) * sw + fw);
  return {
    name,
    M,
    N: nf,
    K,
    conv: { ifmap_h: h, ifmap_w: w, filter_h: fh, filter_w: fw, channels: ch, stride_h: sh, stride_w: sw, ofmap_h: eh, ofmap_w: ew, batch, pad_h: ph, pad_w: pw, padded_h: paddedH, padded_w: paddedW },
    ifmapFootprint: batch * coveredExtent(h, eh, fh, sh, ph) * coveredExtent(w, ew, fw, sw, pw) * ch,
    ifmapAddressSpace: batch * paddedH * paddedW * ch,
    ifmapHasPadding: paddedH > h || paddedW > w,
    ifmapValidEntries: batch * validTaps(h, eh, fh, sh, ph) * validTaps(w, ew, fw, sw, pw) * ch,
  };
}

/**
 * ifmap address tables: address(m, k) = rowBase[m] + colOffset[k], NHWC in the padded ifmap
 * (equal to SCALE-Sim's addresses, minus the offset, whenever there is no padding). `padMask`
 * flags padded addresses (entries SCALE-Sim leaves at −1), or is null when there are none.
 */
export function ifmapAddressTables(g: GemmProblem): { rowBase: Float64Array; colOffset: Float64Array; padMask: Uint8Array | null } {
  const { filter_w: Fw, channels: C, stride_h: Sh, stride_w: Sw, ofmap_h: Eh, ofmap_w: Ew, padded_h: H, padded_w: W } = g.conv;
  const rowBase = new Float64Array(g.M);
  const image = H * W * C;
  let m = 0;
  for (let b = 0; b < g.conv.batch; b++) {
    for (let oh = 0; oh < Eh; oh++) {
      for (let ow = 0; ow < Ew; ow++) rowBase[m++] = b * image + (oh * Sh * W + ow * Sw) * C;
    }
  }
  const colOffset = new Float64Array(g.K);
  let k = 0;
  for (let fr = 0; fr < g.conv.filter_h; fr++) {
    for (let fc = 0; fc < Fw; fc++) {
      for (let c = 0; c < C; c++) colOffset[k++] = (fr * W + fc) * C + c;
    }
  }
  let padMask: Uint8Array | null = null;
  if (g.ifmapHasPadding) {
    padMask = new Uint8Array(g.ifmapAddressSpace);
    const { ifmap_h: realH, ifmap_w: realW, pad_h: ph, pad_w: pw } = g.conv;
    for (let b = 0; b < g.conv.batch; b++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          if (y >= ph && y < ph + realH && x >= pw && x < pw + realW) continue;
          const base = b * image + (y * W + x) * C;
          padMask.fill(1, base, base + C);
        }
      }
    }
  }
  return { rowBase, colOffset, padMask };
}

/**
 * Lowers the parsed layers. `scalesim`: layers whose name contains "DP" become `channels`
 * one-channel layers that each keep all `num_filters` filters (SCALE-Sim's depthwise split);
 * batch and groups are ignored. `corrected`: batch multiplies M, groups (and "DP" layers, taken as
 * depthwise with groups = channels) become `groups` GEMMs of K/groups × N/groups run back to back.
 */
export function lowerLayers(layers: readonly LayerSpec[], semantics: SystolicSemantics, defaultBatch = 1, defaultPadding?: number): LoweredLayer[] {
  const out: LoweredLayer[] = [];
  for (const layer of layers) {
    const withLine = (l: LoweredLayer): LoweredLayer => (layer.line !== undefined ? { ...l, line: layer.line } : l);
    const type = layer.op_type ?? layer.kind;
    if (semantics === "corrected" && type !== "conv" && type !== "gemm") {
      out.push(withLine(lowerVector(layer, type, defaultBatch, defaultPadding)));
      continue;
    }
    if (layer.kind === "gemm") {
      const batch = semantics === "corrected" ? (layer.batch ?? defaultBatch) : 1;
      // SCALE-Sim's GEMM view: ifmap M×K, filter 1×K, 1 channel, N filters, stride 1; batch stacks M.
      out.push(withLine({ name: layer.name, gemm: convToGemm(layer.name, layer.M, layer.K, 1, layer.K, 1, layer.N, 1, 1, batch), repeats: 1 }));
      continue;
    }
    out.push(...lowerConv(layer, semantics, defaultBatch, defaultPadding).map(withLine));
  }
  return out;
}

/** The layer's explicit padding (column or default), or undefined for SCALE-Sim's unpadded im2col. */
function paddingOf(l: ConvLayerSpec, defaultPadding: number | undefined): { h: number; w: number } | undefined {
  if (l.pad_h === undefined && l.pad_w === undefined && defaultPadding === undefined) return undefined;
  return { h: l.pad_h ?? defaultPadding ?? 0, w: l.pad_w ?? l.pad_h ?? defaultPadding ?? 0 };
}

/**
 * A vector-unit layer. Elements: batch·H·W·C (conv rows) or batch·M·N (GEMM rows). Per element:
 *   act: 1 op, 1 SRAM read, 1 write; eltwise: 1 op, 2 reads (the second operand on the filter port), 1 write;
 *   softmax: 3 passes (max, exp + sum, scale) = 3 ops and 3 SRAM reads, 2 SRAM writes (exp, result).
 * pool (conv rows only): one op and one SRAM read per real window tap (padding excluded), one write per
 * output. DRAM: every distinct input word read once, every output written once (no reuse across layers).
 */
function lowerVector(layer: LayerSpec, type: VectorOpType, defaultBatch: number, defaultPadding: number | undefined): LoweredLayer {
  const batch = layer.batch ?? defaultBatch;
  const where = `${layer.line !== undefined ? `line ${layer.line}.` : ""}Type`;
  let gemm: GemmProblem;
  if (layer.kind === "gemm") {
    if (type === "pool") throw new XpusimError(error("E_SCHEMA", where, `layer "${layer.name}": a pool layer needs the conv topology format (window and stride)`));
    gemm = convToGemm(layer.name, layer.M, layer.N, 1, 1, 1, 1, 1, 1, batch);
  } else {
    const pad = paddingOf(layer, defaultPadding);
    gemm =
      type === "pool"
        ? convToGemm(layer.name, layer.ifmap_h, layer.ifmap_w, layer.filter_h, layer.filter_w, layer.channels, layer.channels, layer.stride_h, layer.stride_w, batch, pad)
        : convToGemm(layer.name, layer.ifmap_h, layer.ifmap_w, 1, 1, layer.channels, layer.channels, 1, 1, batch);
  }
  let work: VectorWork;
  if (type === "pool") {
    const outputs = gemm.M * gemm.conv.channels;
    work = { type, ops: gemm.ifmapValidEntries, sramIfmapReads: gemm.ifmapValidEntries, sramFilterReads: 0, sramOfmapWrites: outputs, dramIfmapReads: gemm.ifmapFootprint, dramFilterReads: 0, dramOfmapWrites: outputs };
  } else {
    // GEMM rows: the M×N matrix; conv rows: the H×W×C ifmap (convToGemm's M·K with a 1×1 filter).
    const n = layer.kind === "gemm" ? batch * layer.M * layer.N : gemm.M * gemm.K;
    const second = type === "eltwise" ? n : 0;
    const passes = type === "softmax" ? 3 : 1;
    work = { type, ops: passes * n, sramIfmapReads: passes * n, sramFilterReads: second, sramOfmapWrites: (type === "softmax" ? 2 : 1) * n, dramIfmapReads: n, dramFilterReads: second, dramOfmapWrites: n };
  }
  return { name: layer.name, gemm, repeats: 1, vector: work };
}

function lowerConv(l: ConvLayerSpec, semantics: SystolicSemantics, defaultBatch: number, defaultPadding?: number): LoweredLayer[] {
  const depthwiseByName = l.name.includes("DP");
  if (semantics === "scalesim") {
    if (depthwiseByName) {
      const split: LoweredLayer[] = [];
      for (let c = 0; c < l.channels; c++) {
        const name = `${l.name}Channel_${c}`;
        split.push({ name, gemm: convToGemm(name, l.ifmap_h, l.ifmap_w, l.filter_h, l.filter_w, 1, l.num_filters, l.stride_h, l.stride_w, 1), repeats: 1 });
      }
      return split;
    }
    return [{ name: l.name, gemm: convToGemm(l.name, l.ifmap_h, l.ifmap_w, l.filter_h, l.filter_w, l.channels, l.num_filters, l.stride_h, l.stride_w, 1), repeats: 1 }];
  }
  const batch = l.batch ?? defaultBatch;
  const groups = l.groups ?? (depthwiseByName ? l.channels : 1);
  if (l.channels % groups !== 0 || l.num_filters % groups !== 0) {
    throw new XpusimError(
      error("E_RANGE", `${l.line !== undefined ? `line ${l.line}.` : ""}Groups`, `layer "${l.name}": channels (${l.channels}) and num_filters (${l.num_filters}) must both be divisible by groups (${groups})`, {
        hint: depthwiseByName ? 'a name containing "DP" marks a depthwise layer (groups = channels); give num_filters as a multiple of channels' : undefined,
      }),
    );
  }
  const cg = l.channels / groups;
  const ng = l.num_filters / groups;
  const pad = paddingOf(l, defaultPadding);
  if (pad && (l.filter_h > l.ifmap_h + 2 * pad.h || l.filter_w > l.ifmap_w + 2 * pad.w))
    throw new XpusimError(error("E_RANGE", `${l.line !== undefined ? `line ${l.line}.` : ""}Padding`, `layer "${l.name}": the filter (${l.filter_h}×${l.filter_w}) is larger than the padded ifmap`));
  // Every group is the same GEMM on its own slice of channels and filters: simulate one, run it `groups` times.
  return [{ name: l.name, gemm: convToGemm(l.name, l.ifmap_h, l.ifmap_w, l.filter_h, l.filter_w, cg, ng, l.stride_h, l.stride_w, batch, pad), repeats: groups }];
}
