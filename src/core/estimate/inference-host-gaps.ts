import type { CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { InferenceEstimate, PhaseResult } from "./inference-request.js";

/**
 * Host gaps of a serving engine: in every engine iteration the CPU runs the HTTP/API server, the
 * scheduler (gathering the last step's results, choosing the next batch, preparing inputs) and the
 * output processing (sampling, detokenisation); unless the engine overlaps that work with the GPU's,
 * the chips sit idle meanwhile. With a share f of each iteration computing, an iteration of GPU time t
 * takes t / f, and the chips draw idle power for t·(1/f − 1) (the ML.ENERGY Leaderboard v3.0 analysis:
 * "CPU-side overheads may bottleneck execution and underutilize the GPU, increasing static power
 * wastage"; vLLM's v0.6.0 profile of Llama 3 8B on one H100 under v0.5.3: API server 33 %, scheduling
 * 29 %, GPU execution 38 % of the time).
 *
 * Applied to the finished estimate: TTFT, TPOT, end-to-end latency and throughputs are stretched by
 * 1/f; the phases carry the wait as `host_s`, and the replica's energy gains idle power × wait for
 * each of its chips. Returns the energy to add per replica (0 when the chip has no power data).
 */
export function applyHostGaps(e: InferenceEstimate, ctx: CostContext, busyFraction: number, chipsPerReplica: number): number {
  if (!(busyFraction > 0 && busyFraction <= 1)) {
    throw new XpusimError(error("E_RANGE", "engine_gpu_busy_fraction", "the share of an engine iteration the chips compute must be in (0, 1]", { got: String(busyFraction) }));
  }
  if (busyFraction === 1) return 0;
  const stretch = 1 / busyFraction;
  const prefillHost = stretchPhase(e.phases.prefill, stretch);
  const decodeHost = e.phases.decode ? stretchPhase(e.phases.decode, stretch) : 0;
  const batch = e.samples_per_s * e.e2e_latency_s;
  const tokens = e.output_tokens_per_s * e.e2e_latency_s;
  e.ttft_s += prefillHost;
  e.tpot_s *= stretch;
  e.e2e_latency_s += prefillHost + decodeHost;
  e.samples_per_s = e.e2e_latency_s > 0 ? batch / e.e2e_latency_s : 0;
  e.output_tokens_per_s = e.e2e_latency_s > 0 ? tokens / e.e2e_latency_s : 0;
  const idleW = idlePowerW(ctx);
  const gapJ = idleW * (prefillHost + decodeHost) * chipsPerReplica;
  if (e.phases.prefill.energy_j !== undefined) e.phases.prefill.energy_j += idleW * prefillHost * chipsPerReplica;
  if (e.phases.decode?.energy_j !== undefined) e.phases.decode.energy_j += idleW * decodeHost * chipsPerReplica;
  e.warnings.push(`host gaps: the chips compute ${(busyFraction * 100).toFixed(0)} % of each engine iteration and wait on the host the rest (at idle power)`);
  return ctx.chip.power.tdp_w === undefined && ctx.chip.power.idle_w === undefined ? 0 : gapJ;
}

/** Stretches a phase by `stretch` and records the added wait; returns the wait, s. */
function stretchPhase(p: PhaseResult, stretch: number): number {
  const host = p.time_s * (stretch - 1);
  p.time_s += host;
  p.host_s = (p.host_s ?? 0) + host;
  return host;
}

/** Power drawn while the chips wait on the host: measured idle power, else the family's static share of TDP. */
function idlePowerW(ctx: CostContext): number {
  if (ctx.chip.power.idle_w !== undefined) return ctx.chip.power.idle_w;
  const frac = ctx.efficiency.static_power_fraction;
  return (ctx.chip.power.tdp_w ?? 0) * (typeof frac === "number" ? frac : 0);
}
