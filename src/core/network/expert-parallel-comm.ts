/**
 * MoE expert-parallel token exchange (dispatch before the experts, combine after) as its own
 * operation, the way DeepEP runs it (deepseek-ai/DeepEP docs/legacy.md; DeepSeek-V3 report §3.2):
 *
 * - normal mode (training, prefill): a token crosses the network once per remote scale-up domain
 *   that hosts one of its experts (RDMA), and is fanned out inside a domain over the scale-up fabric
 *   once per peer rank that hosts one of its experts (NVLink); both run at once, so the time is the
 *   slower of the two plus the kernel's fixed cost;
 * - low-latency mode (decode, at most `low_latency_max_tokens` tokens per rank): every (token, expert)
 *   copy goes straight to the expert's rank (RDMA across domains, the scale-up fabric inside one).
 *
 * With S = tokens · top_k · bytes per token (all_to_all sizing) and experts spread uniformly over
 * the n ranks (g per domain, k domains), a given peer rank hosts one of a token's K experts with
 * probability 1 − (1 − 1/n)^K and a given remote domain with 1 − (1 − g/n)^K. Combine moves the same
 * copies back. Libraries without expert-parallel kernels (and torus fabrics) price the exchange as an
 * all-to-all.
 */
import type { ExpertParallelKernels } from "./build-system.js";
import type { Fabric } from "./fabric.js";

export type ExpertParallelMode = "normal" | "low_latency";

/** DeepSeek-V3's routing (8 routed experts per token) when the caller states none. */
export const DEFAULT_TOP_K = 8;

export interface ExpertParallelTraffic {
  mode: ExpertParallelMode;
  /** Bytes one rank sends across the scale-out network and over the scale-up fabric. */
  network_bytes: number;
  scale_up_bytes: number;
}

export interface ExpertParallelTime extends ExpertParallelTraffic {
  time_s: number;
  latency_s: number;
  transfer_s: number;
  formula: string;
}

/** The mode the library runs: low-latency for small token counts (decode), normal otherwise or when the token count is unknown. */
export function expertParallelMode(kernels: ExpertParallelKernels, tokens: number | undefined): ExpertParallelMode {
  return tokens !== undefined && tokens <= kernels.low_latency_max_tokens ? "low_latency" : "normal";
}

/** Bytes one rank sends over the network and over the scale-up fabric for one dispatch (or combine) of S bytes. */
export function expertParallelTraffic(S: number, f: Fabric, topK: number, mode: ExpertParallelMode): ExpertParallelTraffic {
  const { n, g, k } = f;
  if (mode === "low_latency") {
    return { mode, network_bytes: (S * (n - g)) / n, scale_up_bytes: (S * (g - 1)) / n };
  }
  const perToken = S / topK;
  const peerHit = 1 - (1 - 1 / n) ** topK;
  const domainHit = 1 - (1 - g / n) ** topK;
  return { mode, network_bytes: perToken * (k - 1) * domainHit, scale_up_bytes: perToken * (g - 1) * peerHit };
}

/** Time of one dispatch (or combine): the kernel's fixed cost + the slower of its network and scale-up parts. */
export function expertParallelTime(S: number, f: Fabric, kernels: ExpertParallelKernels, topK: number, mode: ExpertParallelMode): ExpertParallelTime {
  const traffic = expertParallelTraffic(S, f, topK, mode);
  const net = traffic.network_bytes > 0 ? traffic.network_bytes / f.net_rank_bytes_per_s : 0;
  const up = traffic.scale_up_bytes > 0 ? traffic.scale_up_bytes / f.up_bytes_per_s : 0;
  const latency_s = mode === "low_latency" ? kernels.low_latency_latency_s : kernels.normal_latency_s;
  const transfer_s = Math.max(net, up);
  const formula =
    mode === "low_latency"
      ? `${kernels.name} low-latency: L + max((n−g)/n·S/B_nic, (g−1)/n·S/B_up)`
      : `${kernels.name} normal: L + max(S/K·(k−1)·(1−(1−g/n)^K)/B_nic, S/K·(g−1)·(1−(1−1/n)^K)/B_up), K = ${topK}`;
  return { ...traffic, time_s: latency_s + transfer_s, latency_s, transfer_s, formula };
}
