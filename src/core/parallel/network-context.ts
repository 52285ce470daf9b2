import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { System } from "../network/build-system.js";
import { estimateCollectiveOnPlacement } from "../network/estimate-collective.js";
import { type Placement, placeRanks } from "../network/placement.js";
import type { CollectiveKind, MoeRouting } from "../workload/op.js";

/**
 * Where the groups of a (tp, cp, dp, pp) layout sit on a system, Megatron-Core's rank order
 * tp-cp-ep-dp-pp: tensor-parallel ranks are consecutive (inside a node), context-parallel ranks are
 * tp apart, data-parallel ranks tp·cp apart, pipeline stages tp·cp·dp apart (Narayanan et al. 2021,
 * §3.3: tp inside the node, pp and dp across nodes). The expert-parallel group is ep consecutive
 * ranks of the data-parallel dimension (stride tp·cp). Gradients are reduced over the dp·cp ranks
 * that hold the same weights (stride tp); routed-expert gradients over the dp·cp/ep ranks that hold
 * the same experts (placed at stride tp·ep — exact for cp = 1, an approximation for cp > 1).
 * Collective times are memoised per (group, op, bytes); `layoutNetworks` shares them between layouts.
 */
export interface LayoutNetwork {
  tp(op: CollectiveKind, bytes: number): number;
  dp(op: CollectiveKind, bytes: number): number;
  /** One point-to-point transfer between adjacent pipeline stages. */
  pp(bytes: number): number;
  /** A collective over the expert-parallel group (0 when ep = 1); ep_dispatch / ep_combine take the routing. */
  ep(op: CollectiveKind, bytes: number, moe?: MoeRouting): number;
  /** A collective over the ranks that share routed experts (expert gradients; = dp when ep = 1). */
  edp(op: CollectiveKind, bytes: number): number;
  /** One ring step of context parallelism: a send to the next cp rank (the slowest hop of the ring; 0 when cp = 1). */
  cp(bytes: number): number;
  /** Fraction of compute the data-parallel reduction steals while it overlaps (library data, by the fabric it crosses). */
  dp_interference: number;
  system: System;
}

export function layoutNetwork(system: System, tp: number, dp: number, pp: number, ep = 1, cp = 1): LayoutNetwork {
  return layoutNetworks(system)(tp, dp, pp, ep, cp);
}

/**
 * A factory of {@link LayoutNetwork}s on one system that shares placements and collective times
 * between layouts (a layout search prices the same tp group for every pp and dp): groups are keyed
 * by (ranks, stride), times by (group, op, bytes). Placement failures are remembered and rethrown.
 */
export function layoutNetworks(system: System): (tp: number, dp: number, pp: number, ep?: number, cp?: number) => LayoutNetwork {
  const times = new Map<string, number>();
  const placements = new Map<string, Placement | XpusimError>();
  const place = (ranks: number, stride: number, what: string): Placement => {
    const key = `${ranks}/${stride}/${what}`;
    let p = placements.get(key);
    if (p === undefined) {
      try {
        p = placeRanks(system, ranks, stride);
      } catch (e) {
        if (!(e instanceof XpusimError)) throw e;
        p = new XpusimError(
          error("E_RANGE", "parallelism", `the ${what} group (${ranks} ranks, ${stride} apart) cannot be placed on system "${system.id}": ${e.diagnostics[0]?.message ?? ""}`, {
            hint: "choose degrees whose product fits the system, with tp inside one scale-up domain",
          }),
        );
      }
      placements.set(key, p);
    }
    if (p instanceof XpusimError) throw p;
    return p;
  };
  const time = (key: string, placement: Placement | undefined, op: CollectiveKind, bytes: number, moe?: MoeRouting): number => {
    if (!placement || bytes <= 0) return 0;
    const k = `${key}:${op}:${bytes}${moe ? `:${moe.tokens}/${moe.top_k}` : ""}`;
    let t = times.get(k);
    if (t === undefined) {
      t = estimateCollectiveOnPlacement(system, op, bytes, placement, moe ? { moe } : {}).time_s;
      times.set(k, t);
    }
    return t;
  };
  return (tp, dp, pp, ep = 1, cp = 1) => {
    const D = system.scale_up.domain_size;
    const grad = dp * cp;
    const tpPlace = tp > 1 ? place(tp, 1, "tensor-parallel") : undefined;
    const dpPlace = grad > 1 ? place(grad, tp, "data-parallel") : undefined;
    const ppPlace = pp > 1 ? place(2, tp * cp * dp, "pipeline") : undefined;
    const epPlace = ep > 1 ? place(ep, tp * cp, "expert-parallel") : undefined;
    const edpRanks = grad / ep;
    const edpPlace = ep > 1 && edpRanks > 1 ? place(edpRanks, tp * ep, "expert data-parallel") : undefined;
    // The ring's slowest hop: inside the domain while the cp group fits in it, else across domains.
    const cpStride = tp * cp > D ? Math.max(tp, D) : tp;
    const cpPlace = cp > 1 ? place(2, cpStride, "context-parallel") : undefined;
    const tpKey = `tp${tp}`;
    const dpKey = `dp${grad}s${tp}`;
    const ppKey = `pp${tp * cp * dp}`;
    const epKey = `ep${ep}s${tp * cp}`;
    const edpKey = `dp${edpRanks}s${tp * ep}`;
    const cpKey = `pp${cpStride}`;
    const ci = system.library.compute_interference;
    return {
      system,
      dp_interference: dpPlace ? (dpPlace.domains > 1 ? ci.scale_out : ci.scale_up) : 0,
      tp: (op, bytes) => time(tpKey, tpPlace, op, bytes),
      dp: (op, bytes) => time(dpKey, dpPlace, op, bytes),
      pp: (bytes) => time(ppKey, ppPlace, "send_recv", bytes),
      ep: (op, bytes, moe) => time(epKey, epPlace, op, bytes, moe),
      edp: (op, bytes) => (ep > 1 ? time(edpKey, edpPlace, op, bytes) : time(dpKey, dpPlace, op, bytes)),
      cp: (bytes) => time(cpKey, cpPlace, "send_recv", bytes),
    };
  };
}
