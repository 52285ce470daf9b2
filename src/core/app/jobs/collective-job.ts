import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { System } from "../../network/build-system.js";
import { COLLECTIVE_KINDS, type CollectiveCost, estimateCollective } from "../../network/estimate-collective.js";
import type { ExpertParallelMode } from "../../network/expert-parallel-comm.js";
import type { Placement } from "../../network/placement.js";
import { ALGORITHMS, type AlgorithmName } from "../../spec/collective-library-spec.js";
import type { Scenario } from "../../spec/scenario-spec.js";
import type { CollectiveKind } from "../../workload/op.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";

export { ALGORITHMS, type AlgorithmName } from "../../spec/collective-library-spec.js";
export { COLLECTIVE_KINDS } from "../../network/estimate-collective.js";
export type { CollectiveKind } from "../../workload/op.js";

/** Message sizes from `min_bytes` to `max_bytes`, multiplied by `factor` (default 2) each step. */
export interface SizeSweep {
  min_bytes: number;
  max_bytes: number;
  factor?: number;
}

/**
 * One collective on a system, at one or more message sizes (the nccl-tests view). The system is a
 * reference (`system`), or the default system of a chip (`chip`), exactly one of the two.
 */
export interface CollectiveJobRequest {
  system?: SpecRef;
  chip?: SpecRef;
  op: CollectiveKind;
  /** Message sizes in bytes; or `sweep`. Neither: 8 B to 16 GiB, ×2. */
  sizes_bytes?: readonly number[];
  sweep?: SizeSweep;
  /** Ranks (consecutive chips); default one scale-up domain. */
  ranks?: number;
  /** Every n-th chip (1 = consecutive). */
  stride?: number;
  algorithm?: AlgorithmName | "auto";
  protocol?: string;
  /** ep_dispatch / ep_combine: experts per token (default 8), tokens per rank (sets the kernel mode), or the mode itself. */
  top_k?: number;
  tokens_per_rank?: number;
  ep_mode?: ExpertParallelMode;
}

export interface CollectiveJobResult {
  kind: "collective";
  /** The system priced on (id, name, chip, library id; plus what the human view prints). */
  system: { id: string; name: string; chip: string; library: string; library_name: string; scale_up_topology: System["scale_up"]["topology"]; caveats: string[] };
  op: CollectiveKind;
  ranks: number;
  placement: Placement;
  /** One per message size, in request order. */
  results: CollectiveCost[];
}

const DEFAULT_SWEEP: SizeSweep = { min_bytes: 8, max_bytes: 16 * 2 ** 30, factor: 2 };
const MAX_SIZES = 10_000;

/** The sizes of a sweep, smallest first (at most 10 000). */
export function sweepSizes(sweep: SizeSweep): number[] {
  const factor = sweep.factor ?? 2;
  if (!(factor > 1) || !Number.isFinite(factor)) throw new XpusimError(error("E_RANGE", "sweep.factor", `factor must be a number above 1, got ${factor}`));
  if (!(sweep.min_bytes > 0)) throw new XpusimError(error("E_RANGE", "sweep.min_bytes", `the minimum must be a positive size, got ${sweep.min_bytes}`));
  if (sweep.max_bytes < sweep.min_bytes) throw new XpusimError(error("E_RANGE", "sweep.max_bytes", `the maximum ${sweep.max_bytes} is below the minimum ${sweep.min_bytes}`));
  const out: number[] = [];
  for (let s = sweep.min_bytes; s <= sweep.max_bytes * (1 + 1e-12) && out.length < MAX_SIZES; s *= factor) out.push(Math.round(s));
  return out;
}

function checkRequest(req: CollectiveJobRequest): void {
  if (!COLLECTIVE_KINDS.includes(req.op)) {
    throw new XpusimError(error("E_SCHEMA", "op", `unknown collective "${String(req.op)}"`, { expected: `one of ${COLLECTIVE_KINDS.join(", ")}` }));
  }
  const algorithm = req.algorithm ?? "auto";
  if (algorithm !== "auto" && !ALGORITHMS.includes(algorithm)) {
    throw new XpusimError(error("E_SCHEMA", "algorithm", `unknown algorithm "${String(algorithm)}"`, { expected: `auto or one of ${ALGORITHMS.join(", ")}` }));
  }
  for (const f of ["top_k", "tokens_per_rank"] as const) {
    const v = req[f];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new XpusimError(error("E_RANGE", f, `${f} must be a positive integer, got ${String(v)}`));
  }
  if (req.ep_mode !== undefined && req.ep_mode !== "normal" && req.ep_mode !== "low_latency") {
    throw new XpusimError(error("E_SCHEMA", "ep_mode", `unknown expert-parallel mode "${String(req.ep_mode)}"`, { expected: "normal or low_latency" }));
  }
  if (req.sizes_bytes && req.sweep) throw new XpusimError(error("E_SCHEMA", "sizes_bytes", "give message sizes or a sweep, not both"));
  if (req.sizes_bytes?.length === 0) throw new XpusimError(error("E_SCHEMA", "sizes_bytes", "no message sizes given"));
  if ((req.system === undefined) === (req.chip === undefined)) {
    throw new XpusimError(error("E_SCHEMA", "system", "give exactly one of a system and a chip (whose default system is used)", { hint: "e.g. system: dgx-h100" }));
  }
}

/** The named system, or the default system of the chip for `ranks` (8 when not given) chips. */
function systemOf(req: CollectiveJobRequest, catalog: Catalog): System {
  if (req.system !== undefined) return catalog.system(req.system)!;
  const chip = catalog.chip(req.chip!);
  return catalog.system(undefined, chip, Math.max(2, req.ranks ?? 8))!;
}

function systemSummary(s: System): CollectiveJobResult["system"] {
  return { id: s.id, name: s.name, chip: s.chip_id, library: s.library.id, library_name: s.library.name, scale_up_topology: s.scale_up.topology, caveats: s.caveats };
}

export const collectiveJob = defineJob<CollectiveJobRequest, CollectiveJobResult>({
  id: "collective",
  summary: "a collective (all-reduce, all-gather, ...) on a system per message size: time, algbw, busbw, algorithm and protocol chosen",
  supports: "NCCL/RCCL/XLA-style ring, tree, halving-doubling, NVLS, torus and hierarchical algorithms on switch, mesh, torus and host-link fabrics with scale-out networks",
  // `kind: op` scenarios whose op is a collective come here (registry.ts `jobForScenario`).
  fromScenario(s: Scenario) {
    const op = "op" in s.workload ? s.workload.op : undefined;
    if (op?.type !== "collective") throw new XpusimError(error("E_SCHEMA", "workload.op.type", "the collective job answers `workload: { op: { type: collective, ... } }`"));
    if (s.hardware.count < op.ranks) {
      throw new XpusimError(error("E_RANGE", "workload.op.ranks", `a collective over ${op.ranks} ranks needs hardware.count ≥ ${op.ranks}, got ${s.hardware.count}`, { hint: `set hardware.count: ${op.ranks}` }));
    }
    return {
      ...(s.hardware.system !== undefined ? { system: s.hardware.system } : { chip: s.hardware.chip }),
      op: op.op,
      sizes_bytes: [op.bytes],
      ranks: op.ranks,
      ...(op.top_k !== undefined ? { top_k: op.top_k } : {}),
      ...(op.tokens_per_rank !== undefined ? { tokens_per_rank: op.tokens_per_rank } : {}),
    };
  },
  run(req, catalog) {
    checkRequest(req);
    const system = systemOf(req, catalog);
    const sizes = req.sizes_bytes ?? sweepSizes(req.sweep ?? DEFAULT_SWEEP);
    const ranks = req.ranks ?? system.scale_up.domain_size;
    const moe = { ...(req.top_k ? { top_k: req.top_k } : {}), ...(req.tokens_per_rank ? { tokens: req.tokens_per_rank } : {}) };
    const opts = {
      algorithm: req.algorithm ?? "auto",
      ...(req.protocol ? { protocol: req.protocol } : {}),
      ...(req.stride ? { stride: req.stride } : {}),
      ...(Object.keys(moe).length ? { moe } : {}),
      ...(req.ep_mode ? { ep_mode: req.ep_mode } : {}),
    };
    const results = sizes.map((bytes) => estimateCollective(system, req.op, bytes, ranks, opts));
    return { kind: "collective", system: systemSummary(system), op: req.op, ranks, placement: results[0]!.placement, results };
  },
});
