/**
 * The priced parts of a heterogeneous pipeline and its result (issue #12's output names are a
 * contract: throughput_items_per_s, bottleneck, latency_s, stages, links, power_w,
 * energy_per_item_j, cost_per_hour).
 */

/** One stage, priced: what its `count` units together sustain, and what one item costs in time. */
export interface PricedStage {
  name: string;
  kind: "fixed" | "unit" | "chip";
  /** What runs it, in words ("2 × nvidia-l4: resnet-50 at batch 32"). */
  what: string;
  count: number;
  /** Items per second of the whole stage (all units). */
  rate_per_s: number;
  /** Items handed over together (a chip stage's batch; 1 otherwise). */
  batch: number;
  /** Time for one unit to finish one call (a batch on a chip stage). */
  latency_s: number;
  /** Power of one unit working flat out, and idle; undefined when not known. */
  active_power_w?: number;
  idle_power_w?: number;
  /** Price of the whole stage per hour (all units), when known. */
  cost_per_hour?: number;
  /** False when the stage cannot run (a model that does not fit): its rate is 0. */
  fits: boolean;
  reason?: string;
  notes: string[];
}

/** The link from one stage to the next, priced. */
export interface PricedLink {
  from: string;
  to: string;
  /** The catalog link id, when one was named. */
  id?: string;
  name: string;
  /** Payload bandwidth, one direction. */
  bytes_per_s: number;
  bytes_per_item: number;
  /** Fixed latency per item (the transfer time is added to it). */
  latency_s: number;
}

export interface PipelineStageResult {
  name: string;
  kind: PricedStage["kind"];
  what: string;
  count: number;
  rate_per_s: number;
  utilisation: number;
  power_w?: number;
  latency_s: number;
  /** Mean wait before service at the arrival rate (M/D/1), plus the time to fill a batch; absent when saturated. */
  queue_wait_s?: number;
  cost_per_hour?: number;
}

export interface PipelineLinkResult {
  from: string;
  to: string;
  id?: string;
  name: string;
  bytes_per_s: number;
  bytes_per_item: number;
  items_per_s: number;
  utilisation: number;
  latency_s: number;
}

export interface PipelineEstimate {
  kind: "pipeline";
  name: string;
  throughput_items_per_s: number;
  /** What the pipeline could sustain with unlimited arrivals (the slowest stage or link). */
  capacity_items_per_s: number;
  /** The stage or link with the least capacity, and why. */
  bottleneck: { name: string; kind: "stage" | "link"; why: string };
  /** "arrival" when arrivals are below capacity, else the bottleneck's kind. */
  limited_by: "arrival" | "stage" | "link";
  /** One item through an empty pipeline: every stage's service time and every transfer. */
  latency_s: number;
  /** At the arrival rate: latency_s plus queueing and batch filling (absent when saturated). */
  mean_latency_s?: number;
  /** Little's law: throughput × latency (items inside the pipeline on average). */
  items_in_flight: number;
  stages: PipelineStageResult[];
  links: PipelineLinkResult[];
  power_w: number;
  energy_per_item_j: number;
  cost_per_hour?: number;
  usd_per_million_items?: number;
  /** With `items`: the time to push them all through (fill + steady state) and its energy. */
  items?: number;
  time_s?: number;
  energy_j?: number;
  fits: boolean;
  /** When a stage cannot run: which, and why. */
  infeasible_reason?: string;
  warnings: string[];
  notes: string[];
}
