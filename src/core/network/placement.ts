/**
 * Where the ranks of a collective sit: `ranks` consecutive chips fill one scale-up domain before
 * the next, so a group is either inside one domain or spans whole domains over the scale-out
 * network. On a torus the ranks form a slice whose shape is the most balanced factorisation that
 * fits the pod (TPU slices: 2×2×1, 4×4×4, …); an axis has wraparound links when its length is a
 * multiple of the system's wraparound unit (scaling-book tpus.md: multiples of 4 on v4/v5p, the full
 * 16 on v5e).
 * Groups that cannot be placed (more chips than the system holds, a partial domain beyond the
 * first, a rank count with no slice shape) are reported as errors, never guessed.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { type System, systemCapacity } from "./build-system.js";

export interface Placement {
  ranks: number;
  /** Ranks inside one scale-up domain. */
  ranks_per_domain: number;
  /** Scale-up domains the group spans (1 = no scale-out traffic). */
  domains: number;
  /** Nodes the group touches. */
  nodes: number;
  /** Torus slice shape of the ranks inside one domain, and which axes have wraparound. */
  torus_shape?: number[];
  torus_wrap?: boolean[];
  /** True when the group spans more nodes than one leaf and pays the scale-out oversubscription. */
  oversubscribed: boolean;
  /**
   * Chips of each scale-up domain the layout leaves idle because the stride does not divide the
   * domain (NVL72 at stride 16 uses 64 of 72 GPUs per rack, as NVIDIA's NeMo GB200 recipes do);
   * absent when every chip is used.
   */
  idle_chips_per_domain?: number;
}

function fitError(message: string, hint: string): never {
  throw new XpusimError(error("E_RANGE", "ranks", message, { hint }));
}

/** The most balanced shape with `ranks` chips that fits inside `dims` (smallest longest axis), or undefined. */
export function torusSliceShape(ranks: number, dims: readonly number[]): number[] | undefined {
  let best: number[] | undefined;
  let bestKey = Infinity;
  const search = (remaining: number, axis: number, acc: number[]): void => {
    if (axis === dims.length - 1) {
      if (remaining <= dims[axis]!) {
        const shape = [...acc, remaining];
        const key = Math.max(...shape) * 1e6 + shape.reduce((a, b) => a + b, 0);
        if (key < bestKey) {
          bestKey = key;
          best = shape;
        }
      }
      return;
    }
    for (let d = 1; d <= Math.min(remaining, dims[axis]!); d++) if (remaining % d === 0) search(remaining / d, axis + 1, [...acc, d]);
  };
  search(ranks, 0, []);
  return best;
}

/**
 * Places a group of `ranks` chips on the system: consecutive chips (stride 1, e.g. a tensor-parallel
 * group), or every `stride`-th chip (e.g. a data-parallel group of the same local rank in each node:
 * stride = ranks per node). Every domain holds the same number of members: when the stride does not
 * divide the domain size D, the layout uses ⌊D/stride⌋·stride chips of each domain and leaves the rest
 * idle, so groups never straddle a domain boundary partially and a group wider than one domain's share
 * crosses domains over the scale-out path (NVIDIA's GB200 NVL72 NeMo recipes use 64 of 72 GPUs per rack).
 */
export function placeRanks(system: System, ranks: number, stride = 1): Placement {
  if (!Number.isInteger(ranks) || ranks < 1) fitError(`ranks must be a positive integer, got ${String(ranks)}`, "e.g. --ranks 8");
  if (!Number.isInteger(stride) || stride < 1) fitError(`stride must be a positive integer, got ${String(stride)}`, "1 = consecutive chips");
  const cap = systemCapacity(system);
  const span = (ranks - 1) * stride + 1;
  if (span > cap) {
    fitError(
      `${ranks} ranks${stride > 1 ? ` at stride ${stride} (spanning ${span} chips)` : ""} do not fit in system "${system.id}", which holds at most ${cap} chips`,
      system.scale_out ? "lower --ranks or pick a larger system" : `"${system.id}" has no scale-out network; use a system with NICs to span nodes`,
    );
  }
  const D = system.scale_up.domain_size;
  const { g, k } = splitOverDomains(system, ranks, stride);
  const idle = stride < D ? D % stride : 0;
  const nodes = stride >= system.chips_per_node ? ranks : Math.ceil(span / system.chips_per_node);
  const so = system.scale_out;
  const oversubscribed = k > 1 && !!so && so.oversubscription > 1 && (so.nodes_per_leaf === undefined || nodes > so.nodes_per_leaf);
  const placement: Placement = { ranks, ranks_per_domain: g, domains: k, nodes, oversubscribed };
  if (idle > 0 && k > 1) {
    const physical = (k - 1) * D + (g - 1) * stride + 1;
    if (physical > cap) fitError(`${ranks} ranks at stride ${stride} use ${D - idle} of every ${D} chips and span ${physical} chips; "${system.id}" holds at most ${cap}`, "lower --ranks or pick a larger system");
    placement.idle_chips_per_domain = idle;
  }
  if (system.scale_up.topology === "torus" && system.scale_up.torus) placeOnTorus(system, placement, stride);
  return placement;
}

/**
 * Ranks per domain and domains. A stride that divides the domain puts D/stride members in each
 * domain (a group must fill whole domains); one that does not (NVL72 at stride 16, a TPU pod at
 * stride 12) leaves chips idle, and a wider group is spread evenly over the fewest domains that hold
 * it (PaLM: 512 data-parallel ranks at stride 12 = 256 in each of two v4 pods).
 */
function splitOverDomains(system: System, ranks: number, stride: number): { g: number; k: number } {
  const D = system.scale_up.domain_size;
  if (stride >= D) return { g: 1, k: ranks };
  const perDomain = Math.floor(D / stride);
  if (ranks <= perDomain) return { g: ranks, k: 1 };
  if (D % stride !== 0) {
    for (let k = Math.ceil(ranks / perDomain); k <= ranks; k++) if (ranks % k === 0) return { g: ranks / k, k };
  }
  if (ranks % perDomain !== 0) {
    fitError(
      `${ranks} ranks span scale-up domains of ${D} chips unevenly in "${system.id}"${stride > 1 ? ` (${perDomain} per domain at stride ${stride})` : ""}`,
      `use at most ${perDomain} ranks or a multiple of ${perDomain} (${perDomain * 2}, ${perDomain * 4}, …)`,
    );
  }
  return { g: perDomain, k: ranks / perDomain };
}

/**
 * The torus slice of the g ranks of one domain. A strided group (e.g. data-parallel ranks one per
 * tensor-parallel slice) sits in the plane orthogonal to the axes the stride fills: PaLM's 12-way
 * model parallelism along one axis of a 16×16×12 slice leaves each data-parallel group a 16×16 plane
 * with wraparound (Chowdhery et al. 2022, §4).
 */
function placeOnTorus(system: System, placement: Placement, stride: number): void {
  const torus = system.scale_up.torus!;
  const g = placement.ranks_per_domain;
  const free = torus.dims.map(() => true);
  if (stride > 1 && g > 1) {
    let rest = stride;
    for (let i = torus.dims.length - 1; i >= 0 && rest > 1; i--) {
      free[i] = false;
      rest = Math.ceil(rest / torus.dims[i]!);
    }
  }
  const freeDims = torus.dims.filter((_, i) => free[i]);
  const sub = freeDims.length > 0 ? torusSliceShape(g, freeDims) : undefined;
  if (!sub) {
    fitError(
      `${g} chips${stride > 1 && g > 1 ? ` at stride ${stride}` : ""} form no slice of the ${torus.dims.join("×")} torus of "${system.id}"`,
      "use a rank count that factors into the torus axes (powers of two always do)",
    );
  }
  let j = 0;
  const shape = torus.dims.map((_, i) => (free[i] ? sub![j++]! : 1));
  placement.torus_shape = shape;
  placement.torus_wrap = shape.map((len) => len > 2 && len % torus.wraparound_multiple === 0);
}

/** Checks a hand-made placement against the system (ranks = per-domain × domains, fits the fabric). */
export function checkPlacement(system: System, p: Placement): void {
  const ok =
    Number.isInteger(p.ranks) &&
    Number.isInteger(p.ranks_per_domain) &&
    Number.isInteger(p.domains) &&
    p.ranks >= 1 &&
    p.ranks_per_domain >= 1 &&
    p.domains >= 1 &&
    p.ranks === p.ranks_per_domain * p.domains &&
    p.ranks_per_domain <= system.scale_up.domain_size;
  if (!ok) {
    fitError(
      `placement of ${p.ranks} ranks as ${p.domains} domain(s) × ${p.ranks_per_domain} does not fit "${system.id}" (domains of ${system.scale_up.domain_size})`,
      "ranks must equal ranks_per_domain × domains, with ranks_per_domain at most the domain size",
    );
  }
  if (p.domains > 1 && !system.scale_out) fitError(`"${system.id}" has no scale-out network to join ${p.domains} domains`, "pick a system with NICs");
  if (system.scale_up.topology === "torus" && !p.torus_shape) fitError(`a placement on the torus of "${system.id}" needs torus_shape and torus_wrap`, "use placeRanks()");
}
