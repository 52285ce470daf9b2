import { ReqState, type SimulationTrace } from "./simulator.js";

/**
 * Serving metrics as serving benchmarks report them (vLLM `benchmark_serving`, formulas.md §7):
 *
 *   TTFT   = first token time − arrival (queueing + prefill, chunked or not)
 *   TPOT   = (E2E − TTFT) / (output_len − 1), per request with output_len > 1
 *   ITL    = every gap between consecutive tokens of a request (includes stalls from preemption
 *            and, disaggregated, the KV transfer before the second token)
 *   E2E    = finish − arrival
 *   queue  = first scheduled − arrival
 *   duration = last finish − first arrival; throughputs divide totals of completed requests by it
 *   goodput  = completed requests meeting every given SLO (TTFT ≤ x and TPOT ≤ y) per second of
 *              duration (vLLM's `request_goodput`); attainment = that count / completed. DistServe's
 *              goodput is the highest rate whose attainment stays ≥ 90 %: sweep the rate for it.
 *
 * Percentiles use linear interpolation between order statistics (numpy's default, as vLLM's
 * benchmark). Little's law check: mean_requests_in_system = ∫ N(t) dt / duration ≈ λ · mean E2E.
 *
 * Energy (when the step cost prices it): over the run (first arrival to the last event), every
 * chip of every instance draws its step energy while its instance runs a step and its waiting power
 * otherwise:  E = Σ_steps E_step + P_wait · chips_per_instance · (instances · span − Σ busy time).
 * J per output token = E / completed output tokens; W per chip = E / (span · chips).
 */
export interface Distribution {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Samples behind the numbers. */
  count: number;
}

export interface Slo {
  ttft_s?: number;
  tpot_s?: number;
}

export interface KvSeries {
  /** Bucket start times, s. */
  time_s: number[];
  /** Time-weighted mean fraction of KV blocks in use in the bucket. */
  utilization: number[];
  /** Peak fraction in the bucket. */
  peak_utilization: number[];
  /** Mean running and waiting requests in the bucket (sampled at step starts). */
  running: number[];
  waiting: number[];
}

export interface ServingMetrics {
  duration_s: number;
  ttft_s: Distribution;
  tpot_s: Distribution;
  itl_s: Distribution;
  e2e_s: Distribution;
  queue_delay_s: Distribution;
  throughput: {
    requests_per_s: number;
    output_tokens_per_s: number;
    input_tokens_per_s: number;
    total_tokens_per_s: number;
  };
  goodput?: {
    requests_per_s: number;
    /** Fraction of completed requests meeting every SLO. */
    slo_attainment: number;
    ttft_slo_s?: number;
    tpot_slo_s?: number;
  };
  kv: {
    peak_utilization: number;
    /** Time-weighted over the run (idle time counts at the utilisation it was left at). */
    mean_utilization: number;
    blocks_total: number;
    blocks_peak: number;
    series: KvSeries;
  };
  preemptions: number;
  steps: number;
  /** Sequences per step, mean. */
  mean_batch_size: number;
  /** Tokens per step, mean. */
  mean_step_tokens: number;
  /** Time-average of requests arrived and not finished (Little's L). */
  mean_requests_in_system: number;
  /** Busy time / (duration × instances). */
  utilization: number;
  /** Energy of all chips over the run; absent when the step cost has no energy model or the chip no power data. */
  energy?: ServingEnergy;
}

export interface ServingEnergy {
  /** All chips, first arrival to the last event, J. */
  total_j: number;
  /** Of which while steps ran (op energy + waiting on collectives), J. */
  busy_j: number;
  /** Of which waiting between steps (waiting power × idle chip-time), J. */
  idle_j: number;
  per_output_token_j: number;
  /** Mean power of one chip over the run, W. */
  average_power_per_chip_w: number;
  /** Power of one chip between steps, W. */
  idle_power_per_chip_w: number;
  /** Chips counted (instances × chips per instance). */
  chips: number;
  span_s: number;
}

/** What the energy figures need besides the trace. */
export interface EnergySetup {
  /** Waiting power of one chip, W. */
  idle_power_w: number;
  chips_per_instance: number;
}

const EMPTY: Distribution = { mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, count: 0 };

/** k-th smallest (0-based) of a[lo, hi), partially reordering a (Hoare quickselect, median of 3). */
function select(a: Float64Array, lo: number, hi: number, k: number): number {
  let l = lo;
  let h = hi - 1;
  while (l < h) {
    const m = (l + h) >> 1;
    // Median of three as the pivot.
    let x = a[l]!;
    let y = a[m]!;
    let z = a[h]!;
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = l;
    let j = h;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) h = j;
    else if (k >= i) l = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** numpy-style percentiles p (0–100, ascending) of the first `n` values; reorders `a`. */
function percentiles(a: Float64Array, n: number, ps: readonly number[]): number[] {
  const out: number[] = [];
  let lo = 0;
  for (const p of ps) {
    const pos = (p / 100) * (n - 1);
    const k = Math.floor(pos);
    const v = select(a, lo, n, k);
    const frac = pos - k;
    if (frac > 0) {
      // The next order statistic is the minimum of what lies above position k.
      let next = Infinity;
      for (let i = k + 1; i < n; i++) if (a[i]! < next) next = a[i]!;
      out.push(v + frac * (next - v));
    } else out.push(v);
    lo = k;
  }
  return out;
}

export function distribution(values: Float64Array, count = values.length): Distribution {
  if (count === 0) return { ...EMPTY };
  let sum = 0;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    sum += v;
    if (v > max) max = v;
  }
  const [p50, p90, p99] = percentiles(values, count, [50, 90, 99]) as [number, number, number];
  return { mean: sum / count, p50, p90, p99, max, count };
}

/** Buckets the per-step samples into at most `points` equal time slices. */
function kvSeries(trace: SimulationTrace, start: number, end: number, points: number): { series: KvSeries; mean: number; peak: number } {
  const s = trace.series;
  const series: KvSeries = { time_s: [], utilization: [], peak_utilization: [], running: [], waiting: [] };
  if (s.count === 0 || !(end > start)) return { series, mean: 0, peak: 0 };
  const nb = Math.max(1, Math.min(points, s.count));
  const width = (end - start) / nb;
  const wSum = new Float64Array(nb);
  const uSum = new Float64Array(nb);
  const pk = new Float64Array(nb);
  const run = new Float64Array(nb);
  const wait = new Float64Array(nb);
  const cnt = new Float64Array(nb);
  let total = 0;
  let peak = 0;
  for (let i = 0; i < s.count; i++) {
    const t0 = s.time_s[i]!;
    const t1 = i + 1 < s.count ? s.time_s[i + 1]! : end;
    const u = s.kv_used_fraction[i]!;
    if (u > peak) peak = u;
    total += u * Math.max(0, t1 - t0);
    const b = Math.min(nb - 1, Math.max(0, Math.floor((t0 - start) / width)));
    wSum[b]! += Math.max(0, t1 - t0);
    uSum[b]! += u * Math.max(0, t1 - t0);
    if (u > pk[b]!) pk[b] = u;
    run[b]! += s.running[i]!;
    wait[b]! += s.waiting[i]!;
    cnt[b]!++;
  }
  for (let b = 0; b < nb; b++) {
    if (cnt[b] === 0) continue;
    series.time_s.push(start + b * width);
    series.utilization.push(wSum[b]! > 0 ? uSum[b]! / wSum[b]! : pk[b]!);
    series.peak_utilization.push(pk[b]!);
    series.running.push(run[b]! / cnt[b]!);
    series.waiting.push(wait[b]! / cnt[b]!);
  }
  return { series, mean: total / (end - start), peak };
}

export function computeMetrics(trace: SimulationTrace, slo?: Slo, seriesPoints = 200, power?: EnergySetup): ServingMetrics {
  const l = requestLatencies(trace, slo);
  const { done, firstArrival, lastFinish } = l;
  const duration = done > 0 ? lastFinish - firstArrival : 0;
  const per = (x: number) => (duration > 0 ? x / duration : 0);
  const kv = kvSeries(trace, Number.isFinite(firstArrival) ? firstArrival : 0, Math.max(lastFinish, trace.end_time_s), seriesPoints);
  const metrics: ServingMetrics = {
    duration_s: duration,
    ttft_s: distribution(l.ttft, done),
    tpot_s: distribution(l.tpot, l.nTpot),
    itl_s: distribution(trace.itl_s, trace.itl_count),
    e2e_s: distribution(l.e2e, done),
    queue_delay_s: distribution(l.queue, done),
    throughput: {
      requests_per_s: per(done),
      output_tokens_per_s: per(l.outTokens),
      input_tokens_per_s: per(l.inTokens),
      total_tokens_per_s: per(l.outTokens + l.inTokens),
    },
    kv: {
      peak_utilization: trace.kv_blocks_total > 0 ? trace.kv_blocks_peak / trace.kv_blocks_total : 0,
      mean_utilization: kv.mean,
      blocks_total: trace.kv_blocks_total,
      blocks_peak: trace.kv_blocks_peak,
      series: kv.series,
    },
    preemptions: trace.preemptions_total,
    steps: trace.steps,
    mean_batch_size: trace.steps > 0 ? trace.scheduled_sequences / trace.steps : 0,
    mean_step_tokens: trace.steps > 0 ? trace.scheduled_tokens / trace.steps : 0,
    mean_requests_in_system: duration > 0 ? trace.in_system_integral / duration : 0,
    utilization: duration > 0 ? trace.busy_time_s / (duration * trace.instances) : 0,
  };
  const energy = energyMetrics(trace, power, l);
  if (energy) metrics.energy = energy;
  if (slo && (slo.ttft_s !== undefined || slo.tpot_s !== undefined)) {
    metrics.goodput = { requests_per_s: per(l.met), slo_attainment: done > 0 ? l.met / done : 0 };
    if (slo.ttft_s !== undefined) metrics.goodput.ttft_slo_s = slo.ttft_s;
    if (slo.tpot_s !== undefined) metrics.goodput.tpot_slo_s = slo.tpot_s;
  }
  return metrics;
}

/** Per-request latencies of the completed requests (packed from index 0), token counts, SLO hits and the time span. */
interface RequestLatencies {
  ttft: Float64Array;
  tpot: Float64Array;
  e2e: Float64Array;
  queue: Float64Array;
  done: number;
  nTpot: number;
  outTokens: number;
  inTokens: number;
  /** Completed requests meeting every SLO given. */
  met: number;
  /** First arrival of an admitted request, last finish of a completed one. */
  firstArrival: number;
  lastFinish: number;
}

function requestLatencies(trace: SimulationTrace, slo: Slo | undefined): RequestLatencies {
  const n = trace.requests;
  const l: RequestLatencies = { ttft: new Float64Array(n), tpot: new Float64Array(n), e2e: new Float64Array(n), queue: new Float64Array(n), done: 0, nTpot: 0, outTokens: 0, inTokens: 0, met: 0, firstArrival: Infinity, lastFinish: -Infinity };
  for (let r = 0; r < n; r++) {
    if (trace.state[r] === ReqState.Rejected) continue;
    if (trace.arrival_s[r]! < l.firstArrival) l.firstArrival = trace.arrival_s[r]!;
    if (trace.state[r] !== ReqState.Done) continue;
    const a = trace.arrival_s[r]!;
    const f = trace.finish_s[r]!;
    const t1 = trace.first_token_s[r]!;
    const out = trace.output_len[r]!;
    l.ttft[l.done] = t1 - a;
    l.e2e[l.done] = f - a;
    l.queue[l.done] = trace.first_scheduled_s[r]! - a;
    let tp = NaN;
    if (out > 1) {
      tp = (f - t1) / (out - 1);
      l.tpot[l.nTpot++] = tp;
    }
    if (slo && (slo.ttft_s === undefined || t1 - a <= slo.ttft_s) && (slo.tpot_s === undefined || !(tp > slo.tpot_s))) l.met++;
    l.done++;
    l.outTokens += out;
    l.inTokens += trace.input_len[r]!;
    if (f > l.lastFinish) l.lastFinish = f;
  }
  return l;
}

/** Busy energy of the steps plus idle power between them over the run (undefined without power data). */
function energyMetrics(trace: SimulationTrace, power: EnergySetup | undefined, l: RequestLatencies): ServingMetrics["energy"] {
  const busyE = trace.busy_energy_j;
  if (!power || busyE === undefined || !Number.isFinite(busyE) || !Number.isFinite(l.firstArrival)) return undefined;
  const span = Math.max(l.lastFinish, trace.end_time_s) - l.firstArrival;
  const chips = trace.instances * power.chips_per_instance;
  const idle = power.idle_power_w * power.chips_per_instance * Math.max(0, trace.instances * span - trace.busy_time_s);
  const total = busyE + idle;
  return {
    total_j: total,
    busy_j: busyE,
    idle_j: idle,
    per_output_token_j: l.outTokens > 0 ? total / l.outTokens : NaN,
    average_power_per_chip_w: span > 0 ? total / (span * chips) : 0,
    idle_power_per_chip_w: power.idle_power_w,
    chips,
    span_s: span,
  };
}
