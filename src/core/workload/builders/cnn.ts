import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { CnnRow, CnnSpec } from "../../spec/model-spec.js";
import { convOutputSize } from "../op-metrics.js";
import type { Block, Op } from "../op.js";
import type { Precision } from "../precision.js";
import { actFlops, autocastsWeights, conv, elementwise, linear, norm, pool, weightCast } from "./op-factory.js";

/**
 * CNN graph from the spec's layer list. Channels and spatial size flow row to row, so the same
 * spec runs at any image size (adaptive pools keep the classifier input fixed, as in torchvision).
 * Each convolution is followed by its BatchNorm and activation as epilogue ops; residual adds are
 * explicit. Identical blocks of a ResNet stage or a MobileNetV2 group become one block with
 * `repeat`. MAC counting (conv and FC only) follows models.md §8.
 *
 * Block kinds: every residual block (bottleneck, inverted residual) is a `layer` (what pipeline
 * stages divide), the classifier (linear rows) the `head`, other plain rows a `stage`. Convolutions,
 * pools and the classifier are `replicated` under tensor parallelism (no channel split is modelled).
 *
 * Ops follow the modules' forward code one to one, so that an eager runtime sees one kernel per op
 * and a fusing runtime folds the epilogues: torchvision's (and NVIDIA DeepLearningExamples')
 * Bottleneck.forward ends with `out += identity; out = self.relu(out)`, two ops, not one.
 *
 * Autocast (fp32 weights, fp16/bf16 compute, as PyTorch AMP runs): each conv and linear is preceded
 * by the cast of its weights, one kernel per layer per pass (see `autocastsWeights`); the layer then
 * reads the cast copy.
 *
 * BatchNorm: in inference a per-channel scale and shift (rows = N·H·W positions, cols = C). In a
 * training step it normalises each channel with the mean and variance of the batch, i.e. a row-wise
 * normalisation whose row is the channel's N·H·W values (rows = C, cols = N·H·W); a row that does
 * not fit on chip is read twice (statistics pass, then normalise pass), which the vector model prices.
 */

interface State {
  c: number;
  h: number;
  w: number;
}

interface Ctx {
  batch: number;
  p: Precision;
  ops: Op[];
  /** Forward pass of a training step: BatchNorm uses batch statistics. */
  training: boolean;
}

function rowError(i: number, field: string, message: string, extra: { got?: string; expected?: string; hint?: string } = {}): XpusimError {
  return new XpusimError(error("E_SCHEMA", `layers[${i}]${field ? `.${field}` : ""}`, message, extra));
}

/** The precision a conv/linear kernel runs with: autocast hands it weights already cast to the compute dtype. */
function layerPrecision(x: Ctx): Precision {
  return autocastsWeights(x.p) ? { ...x.p, weights: x.p.compute } : x.p;
}

/** Convolution + optional BatchNorm + activation; returns the output state. */
function convUnit(
  x: Ctx, s: State, name: string, cOut: number, k: number, stride: number, pad: number, groups: number,
  o: { bias?: boolean; bn?: boolean; act?: string },
): State {
  const op = conv(name, { n: x.batch, h: s.h, w: s.w, c_in: s.c, c_out: cOut, k, stride, padding: pad, groups, bias: o.bias ?? false }, layerPrecision(x));
  if (autocastsWeights(x.p)) x.ops.push(weightCast(name, (s.c / groups) * cOut * k * k, x.p));
  x.ops.push(op);
  const h = convOutputSize(s.h, k, stride, pad);
  const w = convOutputSize(s.w, k, stride, pad);
  if (o.bn) {
    const positions = x.batch * h * w;
    // Training: statistics per channel over its N·H·W values (the row of the normalisation).
    const [rows, cols] = x.training ? [cOut, positions] : [positions, cOut];
    x.ops.push(norm(`${name}.bn`, "batchnorm", rows, cols, 2 * cOut, x.p, name));
  }
  const act = o.act ?? "none";
  if (act !== "none") x.ops.push(elementwise(`${name}.${act}`, "pointwise", act, x.batch * cOut * h * w, 1, actFlops(act), x.p, { epilogue_of: name }));
  return { c: cOut, h, w };
}

function checkSpatial(i: number, s: State, name: string): void {
  if (s.h < 1 || s.w < 1) {
    throw rowError(i, "", `the feature map vanishes at "${name}" (${s.h}×${s.w})`, { hint: "the image is too small for this network; use a larger image_size" });
  }
}

/** One ResNet bottleneck block (torchvision Bottleneck). */
function bottleneck(x: Ctx, s: State, prefix: string, width: number, out: number, stride: number, strideOn: "conv1" | "conv2", first: boolean): State {
  const input = s;
  let y = convUnit(x, s, `${prefix}.conv1`, width, 1, strideOn === "conv1" ? stride : 1, 0, 1, { bn: true, act: "relu" });
  y = convUnit(x, y, `${prefix}.conv2`, width, 3, strideOn === "conv2" ? stride : 1, 1, 1, { bn: true, act: "relu" });
  y = convUnit(x, y, `${prefix}.conv3`, out, 1, 1, 0, 1, { bn: true });
  if (first && (stride !== 1 || input.c !== out)) convUnit(x, input, `${prefix}.downsample`, out, 1, stride, 0, 1, { bn: true });
  // `out += identity` then `out = relu(out)`: two kernels in eager mode, one epilogue when fused.
  const elements = x.batch * out * y.h * y.w;
  x.ops.push(elementwise(`${prefix}.add`, "residual", "add", elements, 2, 1, x.p, { epilogue_of: `${prefix}.conv3` }));
  x.ops.push(elementwise(`${prefix}.relu`, "pointwise", "relu", elements, 1, actFlops("relu"), x.p, { epilogue_of: `${prefix}.conv3` }));
  return y;
}

/** One MobileNetV2 inverted residual block (torchvision InvertedResidual). */
function invertedResidual(x: Ctx, s: State, prefix: string, t: number, out: number, stride: number, k: number, act: string): State {
  const hidden = Math.round(s.c * t);
  let y = s;
  if (t !== 1) y = convUnit(x, y, `${prefix}.expand`, hidden, 1, 1, 0, 1, { bn: true, act });
  y = convUnit(x, y, `${prefix}.dw`, hidden, k, stride, (k - 1) >> 1, hidden, { bn: true, act });
  y = convUnit(x, y, `${prefix}.project`, out, 1, 1, 0, 1, { bn: true });
  if (stride === 1 && s.c === out) x.ops.push(elementwise(`${prefix}.add`, "residual", "add", x.batch * out * y.h * y.w, 2, 1, x.p, { epilogue_of: `${prefix}.project` }));
  return y;
}

function simpleRow(x: Ctx, s: State, row: Exclude<CnnRow, { type: "bottleneck" | "inverted_residual" }>, i: number): State {
  switch (row.type) {
    case "conv": {
      if (row.in !== undefined && row.in !== s.c) throw rowError(i, "in", `"${row.name}" expects ${row.in} input channels but the previous layer gives ${s.c}`);
      const groups = row.depthwise ? s.c : row.groups;
      if (row.depthwise && row.out !== s.c) throw rowError(i, "out", `depthwise "${row.name}" must keep the channel count (${s.c})`, { got: String(row.out) });
      if (s.c % groups !== 0 || row.out % groups !== 0) {
        throw rowError(i, "groups", `groups (${groups}) must divide input (${s.c}) and output (${row.out}) channels`);
      }
      const y = convUnit(x, s, row.name, row.out, row.kernel, row.stride, row.pad, groups, { bias: row.bias, bn: row.bn, act: row.act });
      checkSpatial(i, y, row.name);
      return y;
    }
    case "linear": {
      const features = s.c * s.h * s.w;
      if (row.in !== undefined && row.in !== features) {
        throw rowError(i, "in", `"${row.name}" expects ${row.in} input features but the previous layer gives ${features} (${s.c}×${s.h}×${s.w})`);
      }
      if (autocastsWeights(x.p)) x.ops.push(weightCast(row.name, features * row.out, x.p));
      x.ops.push(linear(row.name, "replicated", x.batch, features, row.out, layerPrecision(x), { bias: row.bias }));
      if (row.act !== "none") x.ops.push(elementwise(`${row.name}.${row.act}`, "pointwise", row.act, x.batch * row.out, 1, actFlops(row.act), x.p, { epilogue_of: row.name }));
      return { c: row.out, h: 1, w: 1 };
    }
    case "maxpool":
    case "avgpool": {
      const stride = row.stride ?? row.kernel;
      x.ops.push(pool(row.name, row.type === "maxpool" ? "max" : "avg", x.batch, s.h, s.w, s.c, row.kernel, stride, row.pad, x.p));
      const y = { c: s.c, h: convOutputSize(s.h, row.kernel, stride, row.pad), w: convOutputSize(s.w, row.kernel, stride, row.pad) };
      checkSpatial(i, y, row.name);
      return y;
    }
    case "adaptive_avgpool": {
      if (row.out === 1) {
        x.ops.push(pool(row.name, "global_avg", x.batch, s.h, s.w, s.c, s.h, 1, 0, x.p));
        return { c: s.c, h: 1, w: 1 };
      }
      if (s.h === row.out && s.w === row.out) return s; // identity at this size
      if (s.h < row.out || s.w < row.out) {
        throw new XpusimError(error("E_UNSUPPORTED", `layers[${i}]`, `"${row.name}" would upsample ${s.h}×${s.w} to ${row.out}×${row.out}`, { hint: "use a larger image_size" }));
      }
      // Equal windows that give exactly `out` outputs: stride ⌊h/out⌋, kernel h − (out−1)·stride.
      const stride = Math.floor(s.h / row.out);
      x.ops.push(pool(row.name, "avg", x.batch, s.h, s.w, s.c, s.h - (row.out - 1) * stride, stride, 0, x.p));
      return { c: s.c, h: row.out, w: row.out };
    }
  }
}

/** Blocks of a CNN for `batch` images of `imageSize` pixels (`training`: the forward of a training step). */
export function buildCnnBlocks(spec: CnnSpec, batch: number, imageSize: number, p: Precision, training = false): Block[] {
  const blocks: Block[] = [];
  let s: State = { c: spec.input.channels, h: imageSize, w: imageSize };
  // Consecutive plain rows form one block; the classifier (linear rows) starts its own.
  let pending: { names: string[]; ops: Op[]; linear: boolean } | undefined;
  const flush = () => {
    if (!pending) return;
    const n = pending.names;
    blocks.push({ name: n.length === 1 ? n[0]! : `${n[0]}..${n[n.length - 1]}`, kind: pending.linear ? "head" : "stage", repeat: 1, ops: pending.ops });
    pending = undefined;
  };

  spec.layers.forEach((row, i) => {
    if (row.type === "bottleneck" || row.type === "inverted_residual") {
      flush();
      const count = row.type === "bottleneck" ? row.blocks : row.repeat;
      const start = row.type === "inverted_residual" ? row.index_from : 0;
      for (let b = 0; b < Math.min(count, 2); b++) {
        const x: Ctx = { batch, p, ops: [], training };
        const idx = start + b;
        const prefix = `${row.name}.${idx}`;
        if (row.type === "bottleneck") {
          s = bottleneck(x, s, prefix, row.width, row.width * row.expansion, b === 0 ? row.stride : 1, row.stride_on, b === 0);
        } else {
          s = invertedResidual(x, s, prefix, row.expansion, row.out, b === 0 ? row.stride : 1, row.kernel, row.act);
        }
        checkSpatial(i, s, prefix);
        // Blocks after the first are identical (stride 1, same channels): one block × (count − 1).
        const repeat = b === 0 ? 1 : count - 1;
        blocks.push({ name: repeat > 1 ? `${row.name}.${idx}..${start + count - 1}` : prefix, kind: "layer", repeat, ops: x.ops });
      }
      return;
    }
    if (pending && pending.linear !== (row.type === "linear")) flush();
    pending ??= { names: [], ops: [], linear: row.type === "linear" };
    pending.names.push(row.name);
    s = simpleRow({ batch, p, ops: pending.ops, training }, s, row, i);
  });
  flush();
  return blocks;
}
