import type { Bound } from "../../cost/contract.js";
import type { LayoutNetwork } from "../../parallel/network-context.js";
import { contextParallelSavedBytes, ringAttentionOp, ringExposedS, ringKvBytes } from "../../parallel/context-parallel.js";
import { shardExpertParallel } from "../../parallel/expert-parallel.js";
import { isRoutedExpert } from "../../workload/graph-semantics.js";
import { shardTensorParallel } from "../../parallel/tensor-parallel.js";
import { opParams } from "../../workload/op-metrics.js";
import type { AttentionOp, Block, CollectiveOp, Op } from "../../workload/op.js";
import { savedActivationBytes } from "../activation-memory.js";
import { backwardOf } from "../backward-ops.js";
import { emptyBoundTimes } from "../evaluate-graph.js";
import type { PriceOp } from "./op-pricing.js";
import type { Recompute } from "./training-types.js";

/**
 * The price of one block repetition of a training micro-batch on one rank, after expert-parallel
 * and tensor-parallel sharding: forward, backward, what each recomputation policy repeats, the
 * tp/ep/cp communication on the critical path, parameters and saved activations.
 */

/** What one block repetition costs under a given recomputation policy. */
export interface BlockPrice {
  fwd: number;
  bwd: number;
  rec: number;
  /** Forward / backward / recompute TP collective time of one repetition. */
  tp_comm: number;
  /** Expert-parallel all-to-alls of one repetition (forward + backward + recompute). */
  ep_comm: number;
  /** Exposed ring-attention communication of one repetition (forward + backward + recompute). */
  cp_comm: number;
  energy_j?: number;
  params: number;
  /** Routed-expert parameters of one repetition (after ep sharding). */
  expert_params: number;
  /** Saved activation bytes of one repetition (one micro-batch). */
  act: number;
  /** Saved bytes selective recomputation avoids (attention scores). */
  act_selective: number;
  /** Bytes of the block input (what full recomputation keeps). */
  act_input: number;
  bounds: Record<Bound, number>;
}

/** The recomputation-independent price of one block repetition, from which each policy's BlockPrice follows. */
export interface CorePrice {
  fwd: number;
  bwd: number;
  /** Forward time of the attention ops (what selective recomputation repeats). */
  rec_attention: number;
  /** Forward + backward energy (undefined when an op has none), and the recomputed ops' energy. */
  energy_j: number | undefined;
  rec_energy_full_j: number;
  rec_energy_attention_j: number;
  /** Forward TP collectives of one repetition. */
  comm: number;
  /** Forward expert-parallel all-to-alls of one repetition. */
  ep_comm: number;
  /** Exposed ring communication of one repetition, forward and backward. */
  cp_fwd: number;
  cp_bwd: number;
  params: number;
  expert_params: number;
  act: number;
  act_selective: number;
  act_input: number;
  bounds: Record<Bound, number>;
}

/** The sharding of a block and what pricing its ops needs. */
export interface BlockLayout {
  tp: number;
  sp: boolean;
  ep: number;
  cp: number;
  net: LayoutNetwork | undefined;
  price: PriceOp;
  /** Bytes per activation element. */
  actBytes: number;
  /** Dropout masks kept for backward. */
  dropout: boolean;
}

export function priceCore(block: Block, l: BlockLayout): CorePrice {
  // Experts over ep first (shapes), then Megatron TP of every op (experts too: expert TP = tp).
  const eps = shardExpertParallel(block.ops, l.ep);
  const sh = shardTensorParallel(eps.ops, l.tp, l.sp);
  const c: CorePrice = { fwd: 0, bwd: 0, rec_attention: 0, energy_j: 0, rec_energy_full_j: 0, rec_energy_attention_j: 0, comm: 0, ep_comm: 0, cp_fwd: 0, cp_bwd: 0, params: 0, expert_params: 0, act: 0, act_selective: 0, act_input: 0, bounds: emptyBoundTimes() };
  for (const local of sh.ops) addOp(c, local, sh.replicated.has(local), l);
  // Forward collectives of one repetition (the tp group's placement depends on tp only).
  c.comm = sh.comm.reduce((s, x: CollectiveOp) => s + (l.net ? l.net.tp(x.collective, x.bytes) : 0), 0);
  c.ep_comm = eps.comm.reduce((s, x: CollectiveOp) => s + (l.net ? l.net.ep(x.collective, x.bytes, x.moe) : 0), 0);
  return c;
}

/** Adds one sharded op: forward and backward time, energy, parameters, ring exposure, saved bytes. */
function addOp(c: CorePrice, local: Op, replicated: boolean, l: BlockLayout): void {
  // Under cp the attention runs as cp ring blocks of the local shard (same FLOPs as 1/cp of the sequence).
  const ring = l.cp > 1 && local.kind === "attention";
  const op = ring ? ringAttentionOp(local, l.cp) : local;
  const f = l.price(op, 1);
  c.fwd += f.t;
  c.bounds[f.bound] += f.t;
  c.energy_j = c.energy_j === undefined || f.cost.energy_j === undefined ? undefined : c.energy_j + f.cost.energy_j;
  c.rec_energy_full_j += f.cost.energy_j ?? 0;
  if (op.kind === "attention") {
    c.rec_attention += f.t;
    c.rec_energy_attention_j += f.cost.energy_j ?? 0;
  }
  const opBwd = addBackward(c, op, l.price);
  c.params += opParams(op);
  if (isRoutedExpert(op)) c.expert_params += opParams(op);
  if (ring && l.net) {
    // Ring attention: cp − 1 K/V sends forward, K/V + dK/dV backward, each behind one block's compute.
    const kv = ringKvBytes(local);
    c.cp_fwd += ringExposedS(l.cp, l.net.cp(kv), f.t);
    c.cp_bwd += ringExposedS(l.cp, l.net.cp(2 * kv), opBwd);
  }
  let saved = ring ? contextParallelSavedBytes(local, l.cp) : savedActivationBytes(op);
  if (l.sp && replicated) saved /= l.tp;
  if (c.act_input === 0 && saved > 0) c.act_input = saved;
  if (op.kind === "attention") saved = addAttentionActivations(c, op, saved, l);
  c.act += saved;
}

/** Adds the backward items of an op; returns their time. */
function addBackward(c: CorePrice, op: Op, price: PriceOp): number {
  let opBwd = 0;
  for (const item of backwardOf(op)) {
    const b = price(item.op, item.factor);
    c.bwd += b.t;
    opBwd += b.t;
    c.bounds[b.bound] += b.t;
    c.energy_j = c.energy_j === undefined || b.cost.energy_j === undefined ? undefined : c.energy_j + b.cost.energy_j * item.factor;
  }
  return opBwd;
}

/** Unfused attention scores (what selective recomputation drops) and dropout masks; returns the op's saved bytes. */
function addAttentionActivations(c: CorePrice, op: AttentionOp, saved: number, l: BlockLayout): number {
  const keys = op.window ? Math.min(op.window, op.seq_kv) : op.seq_kv;
  // The ring-expanded op: cp blocks of (s/cp)² = the local queries against all s keys.
  const scores = op.batch * op.heads * op.seq_q * keys;
  if (!op.fused) c.act_selective += scores * l.actBytes + (l.dropout ? scores * (1 + l.actBytes) : 0);
  if (!l.dropout) return saved;
  // Korthikanti §4.1: attention-output and MLP-output dropout masks, 1 byte per element each.
  const td = (op.batch / l.cp) * op.seq_q * op.heads * l.tp * op.head_dim_v;
  let out = saved + (2 * td) / (l.sp ? l.tp : 1);
  if (!op.fused) out += scores * (1 + l.actBytes);
  return out;
}

/** A block's price under a recomputation policy: backward has as many collectives as forward; full recomputation repeats the forward ones. */
export function blockPrice(c: CorePrice, recompute: Recompute): BlockPrice {
  const full = recompute === "full";
  const rec = full ? c.fwd : recompute === "selective" ? c.rec_attention : 0;
  const recEnergy = full ? c.rec_energy_full_j : recompute === "selective" ? c.rec_energy_attention_j : 0;
  const res: BlockPrice = { fwd: c.fwd, bwd: c.bwd, rec: rec + (full ? c.comm : 0), tp_comm: c.comm * (full ? 3 : 2), ep_comm: c.ep_comm * (full ? 3 : 2), cp_comm: c.cp_fwd * (full ? 2 : 1) + c.cp_bwd, params: c.params, expert_params: c.expert_params, act: c.act, act_selective: c.act_selective, act_input: c.act_input, bounds: c.bounds };
  if (c.energy_j !== undefined) res.energy_j = c.energy_j + recEnergy;
  return res;
}
