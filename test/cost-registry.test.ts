/**
 * Cost-model registry: highest-fidelity supporting model wins, refusals are recorded, a requested
 * model is honoured or refused with its reason, unsupported dtypes and collectives give clear
 * E_UNSUPPORTED errors, and the listing documents every model.
 */
import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { estimateOp, listCostModels } from "../src/core/cost/registry.js";
import type { CollectiveOp, ElementwiseOp, GemmOp } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { efficiencyFor } from "../src/node/family-catalog.js";

const gemm = (dtype: GemmOp["dtype"], m = 4096, n = 4096, k = 4096): GemmOp => ({
  name: "proj", kind: "gemm", role: "replicated", dtype, m, n, k, batch: 1, a_dtype: dtype, b_dtype: dtype, c_dtype: dtype, b_is_weight: true,
});

function errorOf(f: () => unknown): XpusimError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(XpusimError);
    return e as XpusimError;
  }
  throw new Error("expected an XpusimError");
}

describe("cost-model registry", () => {
  it("picks the tile model on GPUs, the systolic model on TPUs and the generic model on CPUs", () => {
    const pick = (id: string, dtype: GemmOp["dtype"]) => {
      const chip = loadChip(id);
      return estimateOp(gemm(dtype), chip, efficiencyFor(chip));
    };
    expect(pick("nvidia-h100-sxm", "bf16").model).toBe("gpu-tile");
    expect(pick("amd-mi300x", "bf16").model).toBe("gpu-tile");
    const tpu = pick("google-tpu-v5e", "bf16");
    expect(tpu.model).toBe("systolic-tile");
    expect(tpu.refused).toEqual([{ model: "gpu-tile", reason: expect.stringMatching(/not a GPU/) }]);
    const cpu = pick("intel-xeon-8490h", "bf16");
    expect(cpu.model).toBe("generic-analytic");
    expect(cpu.refused.map((r) => r.model)).toEqual(["gpu-tile", "systolic-tile"]);
  });

  it("prices vector ops with the vector model everywhere", () => {
    const op: ElementwiseOp = { name: "act", kind: "elementwise", role: "pointwise", fn: "gelu", dtype: "bf16", elements: 1 << 26, inputs: 1, flops_per_element: 8, act_dtype: "bf16" };
    for (const id of ["nvidia-a100-sxm-80gb", "google-tpu-v4", "intel-xeon-8490h"]) {
      const chip = loadChip(id);
      const r = estimateOp(op, chip, efficiencyFor(chip));
      expect(r.model).toBe("vector");
      expect(r.cost.bound).toBe("memory");
    }
  });

  it("honours a requested model and refuses one that cannot price the op", () => {
    const chip = loadChip("nvidia-a100-sxm-80gb");
    const eff = efficiencyFor(chip);
    const roof = estimateOp(gemm("fp16"), chip, eff, { model: "roofline" });
    expect(roof.model).toBe("roofline");
    const tile = estimateOp(gemm("fp16"), chip, eff);
    expect(tile.cost.time_s).toBeGreaterThan(roof.cost.time_s);
    const e = errorOf(() => estimateOp(gemm("fp16"), chip, eff, { model: "systolic-tile" }));
    expect(e.diagnostics[0]!.code).toBe("E_UNSUPPORTED");
    expect(e.message).toMatch(/systolic-tile.*not a systolic array/);
    const u = errorOf(() => estimateOp(gemm("fp16"), chip, eff, { model: "gpu-tiles" }));
    expect(u.diagnostics[0]!.code).toBe("E_UNKNOWN_ID");
    expect(u.message).toMatch(/did you mean "gpu-tile"/);
  });

  it("says which dtypes the chip supports when the op's dtype is missing", () => {
    const chip = loadChip("nvidia-a100-sxm-80gb");
    const e = errorOf(() => estimateOp(gemm("fp8"), chip, efficiencyFor(chip)));
    expect(e.diagnostics[0]!.code).toBe("E_UNSUPPORTED");
    expect(e.diagnostics[0]!.message).toBe("nvidia-a100-sxm-80gb has no fp8 matrix engine; it supports fp64, tf32, bf16, fp16, int8, int4; fp32 on its vector units");
    const v100 = loadChip("nvidia-v100-sxm2");
    expect(() => estimateOp(gemm("bf16"), v100, efficiencyFor(v100))).toThrow(/has no bf16 matrix engine; it supports fp16; fp64, fp32 on its vector units/);
  });

  it("refuses collectives with a reason pointing at the network model", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const op: CollectiveOp = { name: "ar", kind: "collective", role: "communication", collective: "all_reduce", dtype: "bf16", bytes: 1 << 30, ranks: 8 };
    const e = errorOf(() => estimateOp(op, chip, efficiencyFor(chip)));
    expect(e.diagnostics[0]!.code).toBe("E_UNSUPPORTED");
    expect(e.diagnostics[0]!.hint).toMatch(/network model/);
  });

  it("lists every model with fidelity, accuracy and op kinds, highest fidelity first", () => {
    const list = listCostModels();
    expect(list.map((m) => m.id)).toEqual(["gpu-tile", "systolic-tile", "generic-analytic", "vector", "roofline"]);
    for (let i = 1; i < list.length; i++) expect(list[i]!.fidelity).toBeLessThanOrEqual(list[i - 1]!.fidelity);
    for (const m of list) {
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.accuracy.length).toBeGreaterThan(10);
      expect(m.op_kinds.length).toBeGreaterThan(0);
    }
  });

  it("applies eager dispatch to short kernels and fuses epilogues only in compiled graphs", () => {
    const chip = loadChip("nvidia-a100-sxm-80gb");
    const eff = efficiencyFor(chip);
    const tiny: ElementwiseOp = { name: "add", kind: "elementwise", role: "pointwise", fn: "add", dtype: "bf16", elements: 4096, inputs: 2, flops_per_element: 1, act_dtype: "bf16" };
    const graph = estimateOp(tiny, chip, eff).cost;
    const eager = estimateOp(tiny, chip, eff, { execution: "eager" }).cost;
    expect(eager.time_s).toBeCloseTo(eff.eager_dispatch_overhead_s, 12);
    expect(eager.bound).toBe("overhead");
    expect(graph.time_s).toBeLessThan(eager.time_s);
    const residual: ElementwiseOp = { ...tiny, elements: 1 << 24, epilogue_of: "o_proj" };
    const fused = estimateOp(residual, chip, eff).cost;
    expect(fused.bytes).toBe((1 << 24) * 2); // only the skip input is read; no launch
    expect(fused.overhead_time_s).toBe(0);
    const unfused = estimateOp(residual, chip, eff, { execution: "eager" }).cost;
    expect(unfused.bytes).toBe((1 << 24) * 3 * 2);
  });
});
