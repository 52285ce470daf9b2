/**
 * PyTorch autocast (AMP) in a CNN: fp32 weights kept, each conv/linear weight cast to fp16 every pass
 * as its own kernel (builders/cnn.ts, op-factory.ts weightCast). Hand-computed counts and bytes.
 */
import { describe, expect, it } from "vitest";
import { vectorModel } from "../src/core/cost/models/vector.js";
import { estimateInference } from "../src/core/estimate/estimate-inference.js";
import { autocastsWeights, weightCast } from "../src/core/workload/builders/op-factory.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import type { Op } from "../src/core/workload/op.js";
import { opMinBytes } from "../src/core/workload/op-metrics.js";
import type { Precision } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

const AMP: Precision = { compute: "fp16", weights: "fp32", activations: "fp16", kv_cache: "fp16" };
const FP16: Precision = { compute: "fp16", weights: "fp16", activations: "fp16", kv_cache: "fp16" };
const resnet50 = loadModel("resnet-50");
const ops = (p: Precision): Op[] => buildWorkload(resnet50, { batch: 1, new_tokens: 1, context_tokens: 1, phase: "forward", image_size: 224 }, p).blocks.flatMap((b) => b.ops.map((o) => ({ ...o, repeat: b.repeat }) as Op & { repeat: number }));

describe("autocast weight casts", () => {
  it("applies only to fp32 weights with fp16/bf16 math", () => {
    expect(autocastsWeights(AMP)).toBe(true);
    expect(autocastsWeights({ ...AMP, compute: "bf16" })).toBe(true);
    expect(autocastsWeights(FP16)).toBe(false);
    expect(autocastsWeights({ ...AMP, compute: "fp32" })).toBe(false);
    expect(autocastsWeights({ compute: "bf16", weights: "int4", activations: "bf16", kv_cache: "bf16" })).toBe(false);
  });

  it("a cast reads 4 B and writes 2 B per weight", () => {
    const cast = weightCast("layer1.0.conv2", 64 * 64 * 9, AMP);
    expect(opMinBytes(cast)).toBe(36864 * 6);
    const v100 = contextFor(loadChip("nvidia-v100-sxm2-16gb"));
    expect(vectorModel.estimate(cast, { ...v100, execution: "eager" }).bytes).toBe(36864 * 6);
  });

  it("adds one cast per conv and fc of ResNet-50 (53 + 1), covering every conv/fc weight (25,502,912)", () => {
    const casts = ops(AMP).filter((o) => o.kind === "elementwise" && o.fn === "cast") as (Op & { kind: "elementwise"; repeat: number })[];
    expect(casts.reduce((s, o) => s + o.repeat, 0)).toBe(54);
    // 25,557,032 parameters − 53,120 BatchNorm γ/β − 1,000 fc bias.
    expect(casts.reduce((s, o) => s + o.elements * o.repeat, 0)).toBe(25_502_912);
    expect(ops(FP16).some((o) => o.kind === "elementwise" && o.fn === "cast")).toBe(false);
    // The conv then reads the fp16 copy.
    const c = ops(AMP).find((o) => o.kind === "conv2d");
    expect(c?.kind === "conv2d" && c.weight_dtype).toBe("fp16");
  });

  it("keeps the fp32 weights in memory", () => {
    const t4 = contextFor(loadChip("nvidia-t4"));
    const est = (p: Precision) => estimateInference({ model: resnet50, precision: p, batch: 1, input_tokens: 1, output_tokens: 1, image_size: 224, chips: 1, tp: 1, pp: 1 }, t4, { execution: "eager" });
    expect(est(AMP).memory_breakdown_bytes.weights).toBeCloseTo(2 * est(FP16).memory_breakdown_bytes.weights, 0);
  });
});
