import { z } from "zod";
import { sourcedQuantity } from "./sourced.js";
import { sourcedFraction } from "./system-spec.js";

/**
 * A collective library's cost constants (catalog/collective-libraries/<id>.yaml): which algorithms
 * it implements, its per-call launch overhead, and its protocols. A protocol trades latency for
 * bandwidth the way NCCL's LL / LL128 / Simple do (NVIDIA/nccl src/graph/tuning.cc): a fixed base
 * latency, a latency per ring step inside a scale-up domain and across the network, and the fraction
 * of the achievable bus bandwidth it reaches. The cost model picks the fastest (algorithm, protocol).
 */

import { ALGORITHMS, type AlgorithmName } from "./collective-algorithms.js";

export { ALGORITHMS, type AlgorithmName };

const sourceEntry = z.strictObject({ title: z.string(), url: z.string().optional(), type: z.string().optional() });

const protocol = z.strictObject({
  name: z.string(),
  base_latency: sourcedQuantity("seconds", { min: 0 }),
  /** Per ring step over the scale-up fabric (the link latency is its floor). */
  hop_latency_intra: sourcedQuantity("seconds", { min: 0 }),
  /** Per ring step across the scale-out network (the network latency is its floor). */
  hop_latency_inter: sourcedQuantity("seconds", { min: 0 }),
  /** Fraction of the achievable bus bandwidth this protocol moves. */
  bandwidth_fraction: sourcedFraction(),
  /** True when the protocol needs a scale-up fabric (NCCL's LL128: NVLink only, never over PCIe alone). */
  requires_scale_up_fabric: z.boolean().optional(),
  note: z.string().optional(),
});

/**
 * The library's MoE expert-parallel kernels (DeepEP-style dispatch / combine): a "normal" mode that
 * sends each token once per remote scale-up domain over RDMA and fans it out over the scale-up fabric
 * (training, prefill), and a "low-latency" mode that sends every (token, expert) copy directly (pure
 * RDMA across domains; decode). Each mode has a fixed cost; the low-latency mode is used up to
 * `low_latency_max_tokens` tokens per rank.
 */
const expertParallel = z.strictObject({
  name: z.string(),
  normal_latency: sourcedQuantity("seconds", { min: 0 }),
  low_latency_latency: sourcedQuantity("seconds", { min: 0 }),
  low_latency_max_tokens: z.number().int().positive(),
  note: z.string().optional(),
});

export const collectiveLibrarySpecSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
  name: z.string(),
  sources: z.record(z.string().regex(/^\d+$/), sourceEntry).default({}),
  source: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
  /** Algorithms the library chooses among by itself (others can still be forced). */
  algorithms: z.array(z.enum(ALGORITHMS)).min(1),
  /** Kernel launch and completion as seen by a benchmark, paid once per call. */
  launch_overhead: sourcedQuantity("seconds", { min: 0 }),
  protocols: z.array(protocol).min(1),
  /**
   * Scale-up figures for a system built from a chip alone (no catalog system): the achievable
   * fraction of the chip's scale-up bandwidth and a per-hop latency.
   */
  default_scale_up: z.strictObject({
    efficiency: sourcedFraction(),
    latency: sourcedQuantity("seconds", { min: 0 }),
  }),
  /**
   * Fraction of the compute a collective steals while it overlaps with computation (its kernels
   * occupy SMs and memory bandwidth): over the scale-up fabric and over the network. Calculon models
   * the same effect as `processor_usage` (formulas.md §10).
   */
  compute_interference: z
    .strictObject({ scale_up: sourcedFraction(), scale_out: sourcedFraction() })
    .optional(),
  /** Base latency of an in-network (NVLS / SHARP) reduction, when the hardware has one. */
  in_network_base_latency: sourcedQuantity("seconds", { min: 0 }).optional(),
  /**
   * A double binary tree over two scale-up domains moves S per node per direction (so its bus
   * bandwidth may reach twice the NIC rate, nccl#946); the share of that ideal NIC rate it reaches in
   * practice (1 ideal; 0.53 = no gain over the ring on 16 ranks).
   */
  tree_two_domain_efficiency: sourcedFraction().optional(),
  /** MoE dispatch / combine kernels (absent: the expert-parallel exchange is priced as an all-to-all). */
  expert_parallel: expertParallel.optional(),
  notes: z.string().optional(),
});

export type CollectiveLibrarySpec = z.output<typeof collectiveLibrarySpecSchema>;
