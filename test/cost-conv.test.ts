/**
 * Convolution and CNN cost: the physical effects behind ResNet-50 predictions, each checked by hand
 * where it is arithmetic, and the whole network against measurements that are NOT calibration points
 * (nothing in catalog/families was fitted to them):
 *
 *  - Paddle-TRT (TensorRT, graph mode: BatchNorm folded, ReLU/add fused) on one A100 80GB, ResNet-50
 *    v1.5 batch 256: FP16 17,363.79 img/s, TF32 8,623.08 img/s. NVIDIA DeepLearningExamples
 *    PaddlePaddle/Classification/RN50v1.5/README.md, "Paddle-TRT performance: NVIDIA DGX A100".
 *  - PyTorch 21.03 eager FP32 inference, batch 256 (NCHW, no tensor cores): V100 16GB 1,261 img/s,
 *    T4 415 img/s. DeepLearningExamples PyTorch/Classification/ConvNets/resnet50v1.5/README.md
 *    (pytorch-21.03 tables; the validation file holds only the AMP rows).
 *  - torchvision ResNet-50 training on V100-SXM2, batch 128: AMP channels_last 110.93 ms per
 *    iteration, FP32 NCHW 342.37 ms. github.com/sandeepkumar-skb/pytorch_experiments,
 *    torchvision_exp/README.md.
 */
import { describe, expect, it } from "vitest";
import type { CostContext } from "../src/core/cost/contract.js";
import { kSteps } from "../src/core/cost/models/gpu-gemm-tiling.js";
import { gpuTileModel, tensorCoreChannels, winogradTransformFlops } from "../src/core/cost/models/gpu-tile.js";
import { vectorModel } from "../src/core/cost/models/vector.js";
import { estimateInference } from "../src/core/estimate/estimate-inference.js";
import { estimateTraining } from "../src/core/estimate/estimate-training.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import type { Conv2dOp, NormOp, Op, PoolOp } from "../src/core/workload/op.js";
import { opFlops } from "../src/core/workload/op-metrics.js";
import type { Precision } from "../src/core/workload/precision.js";
import type { DType } from "../src/core/units/dtype.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

const v100 = contextFor(loadChip("nvidia-v100-sxm2-16gb"));
const a100 = contextFor(loadChip("nvidia-a100-sxm-80gb"));
const t4 = contextFor(loadChip("nvidia-t4"));
const resnet50 = loadModel("resnet-50");
const prec = (d: DType): Precision => ({ compute: d, weights: d, activations: d, kv_cache: d });

const conv = (n: number, h: number, cin: number, cout: number, k: number, stride: number, d: DType = "fp16"): Conv2dOp => ({
  name: `conv${k}x${k}`, kind: "conv2d", role: "replicated", dtype: d, n, h, w: h, c_in: cin, c_out: cout, kh: k, kw: k, stride, padding: Math.floor(k / 2), groups: 1, act_dtype: d, weight_dtype: d,
});

describe("implicit-GEMM convolution on tensor cores", () => {
  it("pads a tap's channels to the 16-byte vector load (Convolutional Layers User's Guide: C multiple of 8 fp16 / 4 tf32; 3 → 4 with stride 2)", () => {
    expect(tensorCoreChannels(3, 2, 2)).toBe(4); // fp16 stem, stride 2
    expect(tensorCoreChannels(3, 2, 1)).toBe(8); // fp16, stride 1
    expect(tensorCoreChannels(64, 2, 1)).toBe(64);
    expect(tensorCoreChannels(12, 2, 1)).toBe(16);
    expect(tensorCoreChannels(3, 4, 1)).toBe(4); // tf32
    expect(tensorCoreChannels(3, 1, 1)).toBe(16); // int8
  });

  it("walks one tap's channels per k-tile: a part-filled tap wastes the rest of its last k-tile", () => {
    const p = { m: 1, n: 1, batch: 1, a_elem: 2, b_elem: 2, c_elem: 2, a_bytes: 0, b_bytes: 0, c_bytes: 0, acc_elem: 4 };
    expect(kSteps({ ...p, k: 576, k_taps: 9 }, 32)).toBe(18); // 9 taps × 64 channels: 2 k-tiles each
    expect(kSteps({ ...p, k: 432, k_taps: 9 }, 32)).toBe(18); // 48 channels: still 2 per tap, not ceil(432/32) = 14
    expect(kSteps({ ...p, k: 196, k_taps: 49 }, 32)).toBe(7); // 4 channels: taps packed, ceil(196/32)
    expect(kSteps({ ...p, k: 1000 }, 32)).toBe(32); // plain GEMM
  });

  it("prices the ResNet stem (7×7/2, 3 channels) with K = 49 × 4, reporting the model FLOPs", () => {
    const stem = conv(256, 224, 3, 64, 7, 2);
    for (const ctx of [v100, a100, t4]) {
      const c = gpuTileModel.estimate(stem, ctx);
      expect(c.notes?.join(" ")).toContain("implicit GEMM M=3211264 N=64 K=196 (C_in 3 padded to 4");
      expect(c.flops).toBe(opFlops(stem));
      expect(c.flops).toBe(2 * 256 * 112 * 112 * 64 * 147);
    }
  });

  it("never uses Winograd on tensor cores (cuDNN's tensor-core convolutions are implicit GEMMs)", () => {
    const c = gpuTileModel.estimate(conv(256, 56, 64, 64, 3, 1), v100);
    expect(c.notes?.join(" ")).toContain("implicit GEMM M=802816 N=64 K=576");
    expect(c.notes?.join(" ")).not.toContain("Winograd");
    expect(c.flops).toBe(2 * 802816 * 64 * 576);
  });
});

describe("convolution on the vector units (fp32 without TF32)", () => {
  it("runs a 3×3 stride-1 convolution as Winograd F(2×2,3×3) when faster: 2.25× fewer multiplies plus transforms", () => {
    const op = conv(256, 56, 64, 64, 3, 1, "fp32");
    const c = gpuTileModel.estimate(op, v100);
    expect(c.notes?.join(" ")).toContain("Winograd chosen");
    // 2×2 output tiles: 256·28·28; 16 GEMMs of tiles × 64 × 64; transforms 32·C_in + 24·C_out adds per tile.
    const tiles = 256 * 28 * 28;
    expect(winogradTransformFlops(op)).toBe(tiles * (32 * 64 + 24 * 64));
    expect(c.flops).toBe(2 * 16 * tiles * 64 * 64 + tiles * (32 * 64 + 24 * 64));
    expect(opFlops(op) / c.flops).toBeCloseTo(2.19, 2);
    expect(c.utilization).toBeLessThanOrEqual(1);
    // Faster than any direct algorithm could run: the convolution's own FLOPs at the achievable vector rate.
    const direct = opFlops(op) / (15.7e12 * v100.efficiency.vector_efficiency);
    expect(c.time_s).toBeLessThan(direct);
    // Strided and 1×1 convolutions stay implicit GEMMs.
    expect(gpuTileModel.estimate(conv(256, 56, 64, 64, 3, 2, "fp32"), v100).notes?.join(" ")).not.toContain("Winograd");
    expect(gpuTileModel.estimate(conv(256, 56, 64, 256, 1, 1, "fp32"), v100).notes?.join(" ")).not.toContain("Winograd");
  });

  it("needs ~1/8 of the tensor-core tile outputs per SM to saturate the CUDA cores (Little's law): C_out = 64 runs near peak", () => {
    // 1×1, 256 → 64 channels, 56×56, batch 256 (ResNet layer1 conv1): a 128×64 tile per CTA suffices.
    const c = gpuTileModel.estimate(conv(256, 56, 256, 64, 1, 1, "fp32"), v100);
    expect(c.utilization).toBeGreaterThan(0.7);
    expect(c.utilization).toBeLessThanOrEqual(v100.efficiency.vector_efficiency);
  });
});

describe("ResNet graph as the kernels run it", () => {
  const opsOf = (training: boolean, batch = 256): Array<{ op: Op; repeat: number }> =>
    buildWorkload(resnet50, { batch, new_tokens: 1, context_tokens: 1, phase: "forward", image_size: 224, training }, prec("fp16")).blocks.flatMap((b) =>
      b.ops.map((op) => ({ op, repeat: b.repeat })),
    );

  it("dispatches 174 ops per image batch: Bottleneck.forward's `out += identity` and `relu(out)` are two kernels", () => {
    const ops = opsOf(false);
    const count = (f: (o: Op) => boolean) => ops.filter((x) => f(x.op)).reduce((s, x) => s + x.repeat, 0);
    expect(count((o) => o.kind === "conv2d")).toBe(53);
    expect(count((o) => o.kind === "norm")).toBe(53);
    expect(count((o) => o.kind === "elementwise" && o.fn === "relu")).toBe(49);
    expect(count((o) => o.kind === "elementwise" && o.fn === "add")).toBe(16);
    expect(count(() => true)).toBe(174);
    const block = ops.filter((x) => x.op.name.startsWith("layer1.0.")).map((x) => x.op.name);
    expect(block.slice(-2)).toEqual(["layer1.0.add", "layer1.0.relu"]);
  });

  it("fuses add and ReLU into the conv3 epilogue in graph mode: only the residual is read", () => {
    const ops = opsOf(false).map((x) => x.op);
    const add = ops.find((o) => o.name === "layer1.0.add")!;
    const relu = ops.find((o) => o.name === "layer1.0.relu")!;
    const graph: CostContext = { ...v100, execution: "graph" };
    const elements = 256 * 256 * 56 * 56;
    expect(vectorModel.estimate(add, graph).bytes).toBe(elements * 2);
    expect(vectorModel.estimate(relu, graph).bytes).toBe(0);
    // Eager: the add reads two tensors and writes one; the in-place ReLU reads and writes one.
    const eager: CostContext = { ...v100, execution: "eager" };
    expect(vectorModel.estimate(add, eager).bytes).toBe(3 * elements * 2);
    expect(vectorModel.estimate(relu, eager).bytes).toBe(2 * elements * 2);
  });

  it("normalises each channel over its N·H·W values in training: statistics pass + normalise pass (3 passes), 2 in inference", () => {
    const find = (training: boolean) => opsOf(training).find((x) => x.op.name === "layer1.0.conv1.bn")!.op as NormOp;
    const train = find(true);
    const infer = find(false);
    const positions = 256 * 56 * 56;
    expect([train.rows, train.cols]).toEqual([64, positions]);
    expect([infer.rows, infer.cols]).toEqual([positions, 64]);
    const eager: CostContext = { ...v100, execution: "eager" };
    const elements = positions * 64;
    expect(vectorModel.estimate(train, eager).bytes).toBe(3 * elements * 2 + 128 * 2);
    expect(vectorModel.estimate(infer, eager).bytes).toBe(2 * elements * 2 + 128 * 2);
    // A channel small enough for one SM's shared memory is normalised in one pass.
    const tiny = opsOf(true, 1).find((x) => x.op.name === "layer4.0.conv3.bn")!.op as NormOp;
    expect(tiny.cols).toBe(49);
    expect(vectorModel.estimate(tiny, eager).bytes).toBe(2 * 49 * 2048 * 2 + 4096 * 2);
  });

  it("writes int64 argmax indices from an eager max pool (PyTorch max_pool2d → max_pool2d_with_indices)", () => {
    const pool = opsOf(false).find((x) => x.op.kind === "pool" && x.op.pool === "max")!.op as PoolOp;
    const inBytes = 256 * 64 * 112 * 112 * 2;
    const out = 256 * 64 * 56 * 56;
    expect(vectorModel.estimate(pool, { ...v100, execution: "eager" }).bytes).toBe(inBytes + out * 2 + out * 8);
    expect(vectorModel.estimate(pool, { ...v100, execution: "graph" }).bytes).toBe(inBytes + out * 2);
  });
});

describe("ResNet-50 against measurements that are not calibration points", () => {
  const inferImgPerS = (ctx: CostContext, d: DType, batch: number, execution: "graph" | "eager") =>
    estimateInference({ model: resnet50, precision: prec(d), batch, input_tokens: 1, output_tokens: 1, image_size: 224, chips: 1, tp: 1, pp: 1 }, ctx, { execution }).samples_per_s;
  const trainStepS = (ctx: CostContext, d: DType, batch: number) =>
    estimateTraining(
      { model: resnet50, precision: prec(d), global_batch: batch, seq_len: 1, image_size: 224, recompute: "none", chips: 1, tp: 1, pp: 1, dp: 1, ep: 1, cp: 1, zero: 0, microbatch: batch },
      ctx,
      { execution: "eager" },
    ).step_time_s;
  const within = (predicted: number, measured: number, tol: number, what: string) => {
    const err = (predicted - measured) / measured;
    console.log(`${what.padEnd(44)} measured ${measured.toFixed(1).padStart(8)}  predicted ${predicted.toFixed(1).padStart(8)}  ${(err * 100).toFixed(1).padStart(6)}%`);
    expect(Math.abs(err), what).toBeLessThan(tol);
  };

  it("graph mode on A100 (TensorRT via Paddle-TRT, batch 256): FP16 and TF32 within 20%", () => {
    within(inferImgPerS(a100, "fp16", 256, "graph"), 17363.79, 0.2, "A100 TensorRT FP16 bs256 img/s");
    within(inferImgPerS(a100, "tf32", 256, "graph"), 8623.08, 0.2, "A100 TensorRT TF32 bs256 img/s");
  });

  it("eager FP32 inference (PyTorch 21.03, batch 256; Winograd 3×3, CUDA cores): V100 and T4 within 15%", () => {
    within(inferImgPerS(v100, "fp32", 256, "eager"), 1261, 0.15, "V100 PyTorch FP32 bs256 img/s");
    within(inferImgPerS(t4, "fp32", 256, "eager"), 415, 0.15, "T4 PyTorch FP32 bs256 img/s");
  });

  it("eager training on V100 (torchvision, batch 128): AMP channels_last and FP32 iterations within 15%", () => {
    within(trainStepS(v100, "fp16", 128) * 1e3, 110.93, 0.15, "V100 torchvision AMP bs128 ms/iter");
    within(trainStepS(v100, "fp32", 128) * 1e3, 342.37, 0.15, "V100 torchvision FP32 bs128 ms/iter");
  });
});
