import { error, unknownId, XpusimError } from "../diagnostics/diagnostic.js";
import { matrixDTypes, type Chip } from "../hardware/chip.js";
import type { EfficiencyParams } from "../spec/family-spec.js";
import { DTYPES } from "../units/dtype.js";
import type { Op } from "../workload/op.js";
import type { CostModel, CostModelInfo, DecodeAttentionKernel, ExecutionMode, OpCost } from "./contract.js";
import { isMatrixOp } from "./models/common.js";
import { genericAnalyticModel } from "./models/generic-analytic.js";
import { gpuTileModel } from "./models/gpu-tile.js";
import { rooflineModel } from "./models/roofline.js";
import { systolicTileModel } from "./models/systolic-tile.js";
import { vectorModel } from "./models/vector.js";

/**
 * The cost-model registry: an explicit ordered list. For each op the highest-fidelity model whose
 * `supports` accepts it answers (ties go to the earlier entry); every model that declined on the
 * way is recorded with its reason, so a report can say why a coarser model was used.
 */
export const COST_MODELS: readonly CostModel[] = [gpuTileModel, systolicTileModel, genericAnalyticModel, vectorModel, rooflineModel];

export interface Refusal {
  model: string;
  reason: string;
}

export interface CostEstimate {
  cost: OpCost;
  /** Id of the model that answered (= cost.model). */
  model: string;
  /** Models of equal or higher fidelity than the one used that declined the op, with their reason. */
  refused: Refusal[];
}

export interface EstimateOptions {
  /** Use this model (by id) instead of the best supporting one. */
  model?: string;
  /** Default "graph". */
  execution?: ExecutionMode;
  /** Default "packed" (cost/contract.ts DecodeAttentionKernel). */
  decode_attention?: DecodeAttentionKernel;
}

/** Models by descending fidelity, stable in registry order. */
const BY_FIDELITY: readonly CostModel[] = [...COST_MODELS].map((m, i) => ({ m, i })).sort((a, b) => b.m.fidelity - a.m.fidelity || a.i - b.i).map((x) => x.m);

/** Engines and dtypes the chip has, for error messages. */
function supportedDtypes(chip: Chip): string {
  const matrix = matrixDTypes(chip);
  const vector = DTYPES.filter((d) => chip.vector.peak_flops_per_s[d] !== undefined && !matrix.includes(d));
  const parts: string[] = [];
  if (matrix.length) parts.push(matrix.join(", "));
  if (vector.length) parts.push(`${vector.join(", ")} on its vector units`);
  return parts.length ? parts.join("; ") : "no dtype (its spec has no compute peak)";
}

function checkDtype(op: Op, chip: Chip): void {
  if (!isMatrixOp(op)) return;
  if (chip.matrix.peak_flops_per_s[op.dtype] !== undefined || chip.vector.peak_flops_per_s[op.dtype] !== undefined) return;
  throw new XpusimError(
    error("E_UNSUPPORTED", "dtype", `${chip.id} has no ${op.dtype} matrix engine; it supports ${supportedDtypes(chip)}`, {
      got: op.dtype,
      hint: `op "${op.name}" (${op.kind}): choose a dtype the chip runs, or a chip with ${op.dtype} support`,
    }),
  );
}

/**
 * Prices one execution of `op` on `chip`. Throws XpusimError E_UNSUPPORTED when the chip lacks the
 * op's dtype or no model supports the op (the message lists every model's reason), and
 * E_UNKNOWN_ID for an unknown `opts.model`.
 */
export function estimateOp(op: Op, chip: Chip, efficiency: EfficiencyParams, opts: EstimateOptions = {}): CostEstimate {
  checkDtype(op, chip);
  // Stream launches: every kernel pays the uncaptured launch gap; otherwise priced as in a graph.
  const base =
    opts.execution === "stream"
      ? { chip, efficiency: { ...efficiency, kernel_launch_overhead_s: efficiency.stream_launch_overhead_s }, execution: "graph" as const }
      : { chip, efficiency, ...(opts.execution ? { execution: opts.execution } : {}) };
  const ctx = opts.decode_attention ? { ...base, decode_attention: opts.decode_attention } : base;
  if (opts.model !== undefined) {
    const m = COST_MODELS.find((x) => x.id === opts.model);
    if (!m) throw new XpusimError(unknownId("cost model", opts.model, COST_MODELS.map((x) => x.id), "cost_model"));
    const s = m.supports(op, chip);
    if (!s.ok) {
      throw new XpusimError(error("E_UNSUPPORTED", "cost_model", `cost model "${m.id}" cannot price ${op.kind} "${op.name}" on ${chip.id}: ${s.reason}`));
    }
    const cost = m.estimate(op, ctx);
    return { cost, model: m.id, refused: [] };
  }
  const refused: Refusal[] = [];
  for (const m of BY_FIDELITY) {
    const s = m.supports(op, chip);
    if (!s.ok) {
      refused.push({ model: m.id, reason: s.reason });
      continue;
    }
    const cost = m.estimate(op, ctx);
    return { cost, model: m.id, refused };
  }
  if (Object.keys(chip.matrix.peak_flops_per_s).length === 0 && Object.keys(chip.vector.peak_flops_per_s).length === 0) {
    throw new XpusimError(
      error("E_UNSUPPORTED", "", `${chip.id} has no dense compute peak in its sources, so no op can be timed on it`, {
        hint: `\`xpusim chips ${chip.id}\` lists what its data supports; add a peak (with its source) in a chip file that \`extends: ${chip.id}\``,
      }),
    );
  }
  throw new XpusimError(
    error("E_UNSUPPORTED", "", `no cost model can price ${op.kind} "${op.name}" on ${chip.id}`, {
      hint: refused.map((r) => `${r.model}: ${r.reason}`).join("; "),
    }),
  );
}

/** Model descriptions for docs and `xpusim models`-style listings, highest fidelity first. */
export function listCostModels(): CostModelInfo[] {
  return BY_FIDELITY.map(({ id, fidelity, description, accuracy, op_kinds }) => ({ id, fidelity, description, accuracy, op_kinds }));
}
