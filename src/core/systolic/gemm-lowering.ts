/**
 * Lowering of a layer to the GEMM `M×K · K×N` that a systolic array runs (im2col, valid convolution,
 * no padding, as SCALE-Sim's `topology_utils.py` / `operand_matrix.py`):
 *   E_h = ceil((H − Fh + Sh)/Sh), E_w = ceil((W − Fw + Sw)/Sw), M = batch·E_h·E_w, K = Fh·Fw·C, N = filters.
 * A GEMM row `M, N, K` is SCALE-Sim's conv with an M×K ifmap, a 1×K filter, 1 channel, N filters,
 * stride 1. Word addresses (used only to detect reuse in the DRAM model) follow SCALE-Sim:
 * ifmap (m, k) → NHWC index of the pixel, filter (k, n) → n·K + k; both are built lazily as two
 * tables so that address(m, k) = ifmapRowBase[m] + ifmapColOffset[k].
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ConvLayerSpec, LayerSpec, SystolicSemantics } from "./types.js";

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
  /** The source line, for messages. */
  line?: number;
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

/** Distinct indices of [0, n) covered by E windows of size F at stride S: the union of [e·S, e·S+F) clipped to n. */
function coveredExtent(n: number, e: number, f: number, s: number): number {
  let covered = 0;
  let reach = 0;
  for (let i = 0; i < e; i++) {
    const lo = Math.max(i * s, reach);
    const hi = Math.min(i * s + f, n);
    if (hi > lo) covered += hi - lo;
    reach = Math.max(reach, hi);
  }
  return covered;
}

/** Pairs (window e, tap f) whose input index e·S + f lies inside [0, n). */
function validTaps(n: number, e: number, f: number, s: number): number {
  let count = 0;
  for (let i = 0; i < e; i++) count += Math.max(0, Math.min(f, n - i * s));
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
): GemmProblem {
  const eh = ceilDiv(h - fh + sh, sh);
  const ew = ceilDiv(w - fw + sw, sw);
  const M = batch * eh * ew;
  const K = fh * fw * ch;
  // SCALE-Sim's E = ceil((H − F + S)/S) can place the last window partly past the ifmap edge when
  // (H − F) is not a multiple of S; those im2col entries are −1 (no read). The address tables use a
  // padded ifmap (paddedH × paddedW) so the padding gets addresses of its own, flagged in padMask.
  const paddedH = Math.max(h, (eh - 1) * sh + fh);
  const paddedW = Math.max(w, (ew - 1) * sw + fw);
  return {
    name,
    M,
    N: nf,
    K,
    conv: { ifmap_h: h, ifmap_w: w, filter_h: fh, filter_w: fw, channels: ch, stride_h: sh, stride_w: sw, ofmap_h: eh, ofmap_w: ew, batch, padded_h: paddedH, padded_w: paddedW },
    ifmapFootprint: batch * coveredExtent(h, eh, fh, sh) * coveredExtent(w, ew, fw, sw) * ch,
    ifmapAddressSpace: batch * paddedH * paddedW * ch,
    ifmapHasPadding: paddedH > h || paddedW > w,
    ifmapValidEntries: batch * validTaps(h, eh, fh, sh) * validTaps(w, ew, fw, sw) * ch,
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
    const { ifmap_h: realH, ifmap_w: realW } = g.conv;
    for (let b = 0; b < g.conv.batch; b++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          if (y < realH && x < realW) continue;
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
export function lowerLayers(layers: readonly LayerSpec[], semantics: SystolicSemantics, defaultBatch = 1): LoweredLayer[] {
  const out: LoweredLayer[] = [];
  for (const layer of layers) {
    const withLine = (l: LoweredLayer): LoweredLayer => (layer.line !== undefined ? { ...l, line: layer.line } : l);
    if (layer.kind === "gemm") {
      const batch = semantics === "corrected" ? (layer.batch ?? defaultBatch) : 1;
      // SCALE-Sim's GEMM view: ifmap M×K, filter 1×K, 1 channel, N filters, stride 1; batch stacks M.
      out.push(withLine({ name: layer.name, gemm: convToGemm(layer.name, layer.M, layer.K, 1, layer.K, 1, layer.N, 1, 1, batch), repeats: 1 }));
      continue;
    }
    out.push(...lowerConv(layer, semantics, defaultBatch).map(withLine));
  }
  return out;
}

function lowerConv(l: ConvLayerSpec, semantics: SystolicSemantics, defaultBatch: number): LoweredLayer[] {
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
  // Every group is the same GEMM on its own slice of channels and filters: simulate one, run it `groups` times.
  return [{ name: l.name, gemm: convToGemm(l.name, l.ifmap_h, l.ifmap_w, l.filter_h, l.filter_w, cg, ng, l.stride_h, l.stride_w, batch), repeats: groups }];
}
