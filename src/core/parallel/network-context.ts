import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { System } from "../network/build-system.js";
import { estimateCollectiveOnPlacement } from "../network/estimate-collective.js";
import { type Placement, placeRanks } from "../network/placement.js";
import type { CollectiveKind } from "../workload/op.js";

/**
 * Where the groups of a (tp, pp, dp) layout sit on a system, Megatron's rank order: tensor-parallel
 * ranks are consecutive (inside a node), data-parallel ranks are tp apart, pipeline stages are
 * tp·dp apart (Narayanan et al. 2021, §3.3: tp inside the node, pp and dp across nodes).
 * Collective times are memoised per (group, op, bytes); `layoutNetworks` shares them between layouts.
 */
export interface LayoutNetwork {
  tp(op: CollectiveKind, bytes: number): number;
  dp(op: CollectiveKind, bytes: number): number;
  /** One point-to-point transfer between adjacent pipeline stages. */
  pp(bytes: number): number;
  system: System;
}

export function layoutNetwork(system: System, tp: number, dp: number, pp: number): LayoutNetwork {
  return layoutNetworks(system)(tp, dp, pp);
}

/**
 * A factory of {@link LayoutNetwork}s on one system that shares placements and collective times
 * between layouts (a layout search prices the same tp group for every pp and dp): groups are keyed
 * by (ranks, stride), times by (group, op, bytes). Placement failures are remembered and rethrown.
 */
export function layoutNetworks(system: System): (tp: number, dp: number, pp: number) => LayoutNetwork {
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
  const time = (key: string, placement: Placement | undefined, op: CollectiveKind, bytes: number): number => {
    if (!placement || bytes <= 0) return 0;
    const k = `${key}:${op}:${bytes}`;
    let t = times.get(k);
    if (t === undefined) {
      t = estimateCollectiveOnPlacement(system, op, bytes, placement).time_s;
      times.set(k, t);
    }
    return t;
  };
  return (tp, dp, pp) => {
    const tpPlace = tp > 1 ? place(tp, 1, "tensor-parallel") : undefined;
    const dpPlace = dp > 1 ? place(dp, tp, "data-parallel") : undefined;
    const ppPlace = pp > 1 ? place(2, tp * dp, "pipeline") : undefined;
    const tpKey = `tp${tp}`;
    const dpKey = `dp${dp}s${tp}`;
    const ppKey = `pp${tp * dp}`;
    return {
      system,
      tp: (op, bytes) => time(tpKey, tpPlace, op, bytes),
      dp: (op, bytes) => time(dpKey, dpPlace, op, bytes),
      pp: (bytes) => time(ppKey, ppPlace, "send_recv", bytes),
    };
  };
}
