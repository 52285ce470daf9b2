/**
 * The op job's zod-free check (core/app/complete-op-spec.ts) against the scenario schema it mirrors:
 * for every input, both give the same op or both refuse it.
 */
import { describe, expect, it } from "vitest";
import { completeOpSpec } from "../src/core/app/complete-op-spec.js";
import { JOBS } from "../src/core/app/registry.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { opSpec } from "../src/core/spec/scenario-spec.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const CASES: unknown[] = [
  { type: "gemm", m: 64, n: 128, k: 256 },
  { type: "gemm", m: 64, n: 128, k: 256, batch: 4, dtype: "fp8" },
  { type: "gemm", m: 64, n: 128 },
  { type: "gemm", m: 0, n: 128, k: 1 },
  { type: "gemm", m: 1.5, n: 128, k: 1 },
  { type: "gemm", m: "64", n: 128, k: 1 },
  { type: "gemm", m: 64, n: 128, k: 256, dtype: "bf17" },
  { type: "gemm", m: 64, n: 128, k: 256, stride: 2 },
  { type: "conv2d", n: 1, h: 56, w: 56, c_in: 64, c_out: 64, kh: 3, kw: 3 },
  { type: "conv2d", n: 1, h: 56, w: 56, c_in: 64, c_out: 64, kh: 3, kw: 3, stride: 2, padding: 1, groups: 64 },
  { type: "conv2d", n: 1, h: 56, w: 56, c_in: 64, c_out: 64, kh: 3, kw: 3, padding: -1 },
  { type: "attention", batch: 2, heads: 32, head_dim: 128, seq_kv: 4096 },
  { type: "attention", batch: 2, heads: 32, kv_heads: 8, head_dim: 128, seq_kv: 4096, seq_q: 1, phase: "decode", causal: false, fused: false, window: 1024 },
  { type: "attention", batch: 2, heads: 32, head_dim: 128, seq_kv: 4096, phase: "sideways" },
  { type: "attention", batch: 2, heads: 32, head_dim: 128, seq_kv: 4096, causal: "yes" },
  { type: "collective", op: "all_reduce", bytes: 1048576, ranks: 8 },
  { type: "collective", op: "all_sum", bytes: 1048576, ranks: 8 },
  { type: "collective", bytes: 1048576, ranks: 8 },
  { type: "softmax", m: 1 },
  { m: 1 },
  "gemm",
  null,
];

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    if (e instanceof XpusimError) return "refused";
    throw e;
  }
}

describe("completeOpSpec mirrors the scenario schema", () => {
  it.each(CASES.map((c) => [JSON.stringify(c), c]))("%s", (_label, c) => {
    expect(outcome(() => completeOpSpec(c))).toEqual(zodOutcome(c));
  });

  it("names the field that is wrong", () => {
    expect(() => completeOpSpec({ type: "gemm", m: 64, n: 128, k: 256, dtype: "bf17" })).toThrow(/workload\.op\.dtype/);
    expect(() => completeOpSpec({ type: "gemm", m: 64, n: 128 })).toThrow(/needs k/);
  });

  it("lets the op job take an op as a user writes it (defaults filled)", () => {
    const typed = JOBS.op.run({ op: { type: "gemm", m: 4096, n: 4096, k: 4096, batch: 1, dtype: "bf16" }, chip: "nvidia-h100-sxm" }, nodeCatalog());
    const bare = JOBS.op.run({ op: { type: "gemm", m: 4096, n: 4096, k: 4096 }, chip: "nvidia-h100-sxm" }, nodeCatalog());
    expect(bare).toEqual(typed);
    expect(() => JOBS.op.run({ op: { type: "gemm", m: 4096, n: 4096, k: 4096, dtype: "bf17" }, chip: "nvidia-h100-sxm" }, nodeCatalog())).toThrow(XpusimError);
  });
});

function zodOutcome(c: unknown): unknown {
  const r = opSpec.safeParse(c);
  return r.success ? { ok: r.data } : "refused";
}
