import { estimateOp } from "../cost/registry.js";
import { opFromSpec } from "../estimate/estimate-op.js";
import { analysePower, type PowerAnalysis } from "../power/analyse-power.js";
import { phasePowerW, phaseTimeS } from "../power/dvfs.js";
import { powerOfEstimate } from "../power/estimate-power.js";
import type { PowerConditions } from "../power/power-conditions.js";
import { ProfileBuilder, type PowerProfile } from "../power/power-profile.js";
import { dtypeOf, num } from "./point-config.js";
import { inferenceRunOf } from "./validate-inference.js";
import type { PointContext, ValidationResult } from "./validation-result.js";

/**
 * Measured power (category `power`) and energy per unit of work (category `energy`), predicted through the power model (src/core/power,
 * docs/power.md) at the point's conditions: the chip's TDP as its limit unless `config.power_cap_w`
 * says otherwise. `config.workload` names what ran:
 *
 *  - `inference` (default): an LLM request as the inference points describe it (model, batch,
 *    input_len, output_len, tp, dtype);
 *  - `gemm`: one M×N×K GEMM (dtype) run back to back, as a stress test or HPL's DGEMM does.
 *
 * Metrics (board power of one chip, as NVML reads it; no host):
 *  - `power_w`: average power over the run, or over `config.phase` (prefill | decode) alone;
 *  - `energy_per_token_j`: chip energy per output token (the chip's share of the replica's tokens);
 *  - `capped_throughput_ratio`: throughput under `config.power_cap_w` over throughput at stock power
 *    (of the whole run, or of `config.phase` alone).
 */
export function validatePowerPoint(pc: PointContext): ValidationResult {
  const cap = num(pc.cfg.power_cap_w);
  const conditions: PowerConditions = cap !== undefined ? { power_cap_w: cap } : {};
  const workload = String(pc.cfg.workload ?? "inference");
  const run = workload === "gemm" ? gemmPower(pc, conditions) : workload === "inference" ? inferencePower(pc, conditions) : `config.workload "${workload}" is not one of inference, gemm`;
  if (typeof run === "string") return pc.unsupported(run);
  const { analysis: a, profile } = run;
  switch (pc.p.metric) {
    case "power_w": {
      const phaseName = pc.cfg.phase;
      if (phaseName === undefined) return pc.ok(a.average_power_w);
      const phase = profile.phases?.find((ph) => ph.name === phaseName);
      if (!phase) return pc.unsupported(`config.phase "${String(phaseName)}" is not a phase of this workload (${(profile.phases ?? []).map((ph) => ph.name).join(", ") || "none"})`);
      return pc.ok(phasePowerW(profile, pc.ctx.efficiency.voltage_frequency, phase, a.capped.clock_ratio));
    }
    case "energy_per_token_j":
      if (a.work_unit !== "output token") return pc.unsupported(`the workload's unit of work is "${a.work_unit}", not an output token`);
      // Energy = power × time: say which the model gives, so an error can be told apart from the time model's.
      pc.assumptions.push(`modelled ${a.average_power_w.toFixed(0)} W at ${(a.work_units / a.time_s).toFixed(0)} output tokens/s per chip`);
      return pc.ok(a.energy_per_unit_j);
    case "capped_throughput_ratio": {
      if (cap === undefined) return pc.unsupported("capped_throughput_ratio needs config.power_cap_w");
      if (pc.cfg.phase === undefined) return pc.ok(a.capped.throughput_ratio);
      const phase = profile.phases?.find((ph) => ph.name === pc.cfg.phase);
      if (!phase) return pc.unsupported(`config.phase "${String(pc.cfg.phase)}" is not a phase of this workload`);
      // The phase's own time at the stock and capped clocks (duty < 1 stretches both alike).
      const t = (o: { clock_ratio: number; duty: number }) => phaseTimeS(profile, phase, o.clock_ratio) / Math.max(o.duty, 1e-12);
      return pc.ok(t(a.stock) / t(a.capped));
    }
    default:
      return pc.unsupported(`metric "${pc.p.metric}" is not understood for power (power_w, energy_per_token_j, capped_throughput_ratio)`);
  }
}

interface PowerRun {
  analysis: PowerAnalysis;
  profile: PowerProfile;
}

function inferencePower(pc: PointContext, conditions: PowerConditions): PowerRun | string {
  const run = inferenceRunOf(pc);
  if (typeof run === "string") return run;
  const r = powerOfEstimate({ ctx: pc.ctx, model: run.model, precision: run.precision, inference: run.estimate }, conditions, undefined);
  if (!r.analysis) return `the power model lacks ${r.missing.join(", ")}`;
  return { analysis: r.analysis, profile: r.profile! };
}

function gemmPower(pc: PointContext, conditions: PowerConditions): PowerRun | string {
  const { cfg } = pc;
  const M = num(cfg.M);
  const N = num(cfg.N);
  const K = num(cfg.K);
  if (!M || !N || !K) return "config needs M, N and K";
  if (pc.chip.power.tdp_w === undefined) return "the chip has no TDP in its sources";
  // The same op and cost model as the gemm points' latency (estimateOpSpec).
  const op = opFromSpec({ type: "gemm", m: M, n: N, k: K, batch: num(cfg.batch) ?? 1, dtype: dtypeOf(cfg) ?? "fp16" });
  const c = estimateOp(op, pc.chip, pc.ctx.efficiency).cost;
  const profile = new ProfileBuilder(pc.ctx).op(c, op.dtype, 1).build();
  const analysis = analysePower({ profile, ctx: pc.ctx, estimate_time_s: c.time_s, work: { unit: "GEMM", count: 1 }, conditions });
  return { analysis, profile };
}
