import type { Bound, CostContext, OpCost } from "../../cost/contract.js";
import { dominantBound } from "../evaluate-graph.js";
import type { DataParallelComm } from "./data-parallel-comm.js";
import type { PipelineSchedule } from "./pipeline-schedule.js";
import type { GraphInfo } from "./training-graph.js";
import type { TrainingMemory } from "./training-memory.js";
import type { TrainingEstimate, TrainingRequest, TrainingWorkload } from "./training-types.js";
import { fmtBytes } from "../../units/format-bytes.js";

/**
 * Assembles a training step from its priced parts:
 *   step = m·t_stage + bubble + exposed p2p + exposed data-parallel reduction + overlap slowdown + optimizer
 * with the FLOP rates (MFU/HFU), memory, dominant bound, energy and time-to-train.
 */
export interface StepParts {
  req: TrainingRequest;
  /** Micro-batches per step. */
  m: number;
  v: number;
  sp: boolean;
  schedule: PipelineSchedule;
  p2p_s: number;
  dp: DataParallelComm;
  optimizer: OpCost;
  memory: TrainingMemory;
  /** The whole-sequence forward graph of one micro-batch (the cp = 1 graph). */
  graph: GraphInfo;
  /** Whether communication was priced (a system with more than one chip). */
  networked: boolean;
}

export function assembleTrainingEstimate(p: StepParts, w: TrainingWorkload, ctx: CostContext): TrainingEstimate {
  const { req, m, schedule } = p;
  const slow = schedule.slow;
  const optimizer = p.optimizer.time_s;
  const compute = m * schedule.stage_s + schedule.bubble_s;
  const step = compute + p.p2p_s + p.dp.exposed_s + p.dp.overlap_slowdown_s + optimizer;
  const flops = stepFlops(p.graph, req);
  const tokensPerSample = isTokenModel(p.graph) ? w.seq_len : 1;
  const peak = ctx.chip.matrix.peak_flops_per_s[w.precision.compute] ?? ctx.chip.vector.peak_flops_per_s[w.precision.compute] ?? Number.NaN;
  const commExposed = m * slow.tp + m * slow.ep + m * slow.cp + p.p2p_s + p.dp.exposed_s;
  const capacity = ctx.chip.memory.main.capacity_bytes;
  const mem = p.memory;
  const samples = req.global_batch;
  const res: TrainingEstimate = {
    kind: "training",
    model: p.graph.graph.name,
    chip: ctx.chip.id,
    chips: req.chips,
    ...(w.system && req.chips > 1 ? { system: w.system.id } : {}),
    layout: { tp: req.tp, pp: req.pp, dp: req.dp, ep: req.ep, cp: req.cp, sp: p.sp, zero: req.zero, microbatch: req.microbatch, interleave: p.v, recompute: req.recompute },
    step_time_s: step,
    step_breakdown_s: {
      forward: m * slow.fwd,
      backward: m * slow.bwd,
      recompute: m * slow.rec,
      optimizer,
      tensor_parallel_comm: m * slow.tp,
      expert_parallel_comm: m * slow.ep,
      context_parallel_comm: m * slow.cp,
      pipeline_p2p: p.p2p_s,
      data_parallel_exposed: p.dp.exposed_s,
      overlap_slowdown: p.dp.overlap_slowdown_s,
      communication_exposed: commExposed,
      pipeline_bubble: schedule.bubble_s,
    },
    tokens_per_s: (samples * tokensPerSample) / step,
    samples_per_s: samples / step,
    model_flops_per_step: flops.model,
    hardware_flops_per_step: flops.hardware,
    model_flops_per_s_per_chip: flops.model / step / req.chips,
    hardware_flops_per_s_per_chip: flops.hardware / step / req.chips,
    mfu: flops.model / step / req.chips / peak,
    hfu: flops.hardware / step / req.chips / peak,
    memory_per_chip_bytes: mem.total,
    memory_breakdown_bytes: { weights: mem.weights, gradients: mem.gradients, optimizer: mem.optimizer, activations: mem.activations, kv_cache: 0, other: mem.other },
    memory_capacity_bytes: capacity,
    fits: mem.total <= capacity,
    shortfall_bytes: Math.max(0, mem.total - capacity),
    microbatches_per_step: m,
    bound: stepBound(p, commExposed),
    warnings: [],
  };
  addEnergy(res, p, ctx);
  if (req.tokens !== undefined && isTokenModel(p.graph)) addTimeToTrain(res, req, req.tokens / (samples * w.seq_len), ctx);
  if (!res.fits) res.warnings.push(`does not fit: needs ${fmtBytes(mem.total)} per chip, has ${fmtBytes(capacity)}`);
  if (!Number.isFinite(peak)) res.warnings.push(`${ctx.chip.id} has no ${w.precision.compute} peak: MFU unavailable`);
  if (req.chips > 1 && !p.networked) res.warnings.push("no system given: communication not priced");
  return res;
}

/** Whether throughput counts tokens (decoder LLM, encoder) rather than samples. */
const isTokenModel = (g: GraphInfo) => g.graph.category === "decoder-llm" || g.graph.category === "encoder";

/**
 * FLOPs of a step: model FLOPs = 3 × forward (forward + 2× backward, Narayanan §5.1), hardware adds
 * recomputation. Whole-sequence FLOPs (the cp = 1 graph): context parallelism splits the work, not
 * the model's FLOPs.
 */
function stepFlops(g1: GraphInfo, req: TrainingRequest): { model: number; hardware: number } {
  const recFlops = req.recompute === "full" ? g1.flops : req.recompute === "selective" ? g1.attnFlops : 0;
  const samples = req.global_batch;
  const model = 3 * g1.flops * (samples / req.microbatch);
  return { model, hardware: model + recFlops * (samples / req.microbatch) };
}

/** The dominant bound of the step: the slowest stage's op bounds × m, communication as network, bubble as overhead. */
function stepBound(p: StepParts, commExposed: number): Bound {
  const bounds = { ...p.schedule.slow.bounds };
  for (const k of Object.keys(bounds) as Bound[]) bounds[k] *= p.m;
  bounds.network += commExposed;
  bounds.overhead += p.schedule.bubble_s;
  return dominantBound(bounds);
}

/** Energy of a step on all chips: the busy stage's op energy, the optimizer, and idle power for the rest of the step. */
function addEnergy(res: TrainingEstimate, p: StepParts, ctx: CostContext): void {
  const slow = p.schedule.slow;
  if (slow.energy === undefined || p.optimizer.energy_j === undefined) return;
  const optimizer = p.optimizer.time_s;
  const busy = p.m * (slow.fwd + slow.bwd + slow.rec);
  const idleW = ctx.chip.power.idle_w ?? (ctx.chip.power.tdp_w ?? 0) * (typeof ctx.efficiency.static_power_fraction === "number" ? ctx.efficiency.static_power_fraction : 0);
  const perChip = p.m * slow.energy + p.optimizer.energy_j + Math.max(0, res.step_time_s - busy - optimizer) * idleW;
  res.energy_per_step_j = perChip * res.chips;
  res.energy_j = res.energy_per_step_j;
}

/** Time, chip-hours, cost and energy of `steps` steps (the token budget over tokens per step). */
function addTimeToTrain(res: TrainingEstimate, req: TrainingRequest, steps: number, ctx: CostContext): void {
  res.time_to_train_s = steps * res.step_time_s;
  res.chip_hours = (res.time_to_train_s / 3600) * req.chips;
  const usdPerHour = req.usd_per_chip_hour ?? ctx.chip.cost.cloud_usd_per_hour;
  if (usdPerHour !== undefined) res.cost_usd = res.chip_hours * usdPerHour;
  if (res.energy_per_step_j !== undefined) res.energy_j = res.energy_per_step_j * steps;
}
