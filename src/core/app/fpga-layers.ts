import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { FpgaLayer } from "../fpga/index.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload } from "../workload/build-workload.js";
import { convOutputSize } from "../workload/op-metrics.js";
import { DEFAULT_PRECISION } from "../workload/precision.js";

/**
 * The conv and fully connected layers of a CNN as FPGA layers (Zhang FPGA'15 notation): a conv2d op is
 * M = c_out/groups, N = c_in/groups, R × C its output, K its kernel, S its stride, repeated per group and
 * image; a GEMM (FC layer) is a 1 × 1 convolution with M = outputs, N = inputs, R = 1, C = rows (images).
 * Pooling, normalisation and element-wise ops are left out (the tiled engine does not run them).
 */
export function fpgaLayersOfModel(model: ModelSpec, batch: number, scope: "conv" | "all", image?: number): FpgaLayer[] {
  if (model.category !== "cnn") {
    throw new XpusimError(error("E_UNSUPPORTED", "model", `the FPGA model runs CNNs (conv and FC layers); ${model.id} is a ${model.category}`, { hint: "pick a model of category cnn: alexnet, vgg-16, resnet-50, mobilenet-v2" }));
  }
  const graph = buildWorkload(model, { batch, new_tokens: 1, context_tokens: 1, phase: "forward", ...(image ? { image_size: image } : {}) }, { ...DEFAULT_PRECISION });
  const out: FpgaLayer[] = [];
  for (const b of graph.blocks)
    for (const op of b.ops) {
      const name = b.repeat > 1 ? `${b.name}/${op.name}` : op.name;
      if (op.kind === "conv2d") {
        const ho = convOutputSize(op.h, op.kh, op.stride, op.padding);
        const wo = convOutputSize(op.w, op.kw, op.stride, op.padding);
        out.push({ name, M: op.c_out / op.groups, N: op.c_in / op.groups, R: ho, C: wo, K: Math.max(op.kh, op.kw), S: op.stride, repeats: op.groups * op.n * b.repeat });
      } else if (op.kind === "gemm" && scope === "all") {
        out.push({ name, M: op.n, N: op.k, R: 1, C: op.m, K: 1, S: 1, repeats: op.batch * b.repeat });
      }
    }
  return out;
}

const LAYER_KEYS = ["m", "n", "r", "c", "k", "s", "repeats"] as const;

/** Parses "conv:M=96,N=3,R=55,C=55,K=11,S=4[,repeats=1][,name=conv1]" (keys case-insensitive). */
export function parseFpgaLayer(text: string, path: string): FpgaLayer {
  const m = /^\s*(?:conv|fc)?\s*:?(.*)$/i.exec(text)!;
  const fields: Record<string, string> = {};
  for (const part of m[1]!.split(",")) {
    const [k, v] = part.split("=").map((x) => x.trim());
    if (k) fields[k.toLowerCase()] = v ?? "";
  }
  const num = (k: string, dflt?: number): number => {
    const v = fields[k] === undefined ? dflt : Number(fields[k]);
    if (v === undefined || !Number.isInteger(v) || v < 1) {
      throw new XpusimError(error("E_RANGE", path, `layer "${text}": ${k.toUpperCase()} must be a positive integer`, { got: String(fields[k]), expected: "conv:M=<out maps>,N=<in maps>,R=<rows>,C=<cols>,K=<kernel>,S=<stride>[,repeats=1]" }));
    }
    return v;
  };
  const unknown = Object.keys(fields).filter((k) => k !== "name" && !(LAYER_KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new XpusimError(error("E_SCHEMA", path, `layer "${text}": unknown key ${unknown.join(", ")}`, { expected: "M, N, R, C, K, S, repeats, name" }));
  return { name: fields.name || text.trim(), M: num("m"), N: num("n"), R: num("r"), C: num("c"), K: num("k", 1), S: num("s", 1), repeats: num("repeats", 1) };
}
