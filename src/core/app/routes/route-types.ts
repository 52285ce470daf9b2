/**
 * One technology route (a catalog GPU, an FPGA design, a custom ASIC/NPU) for a workload, and the
 * comparison `xpusim routes` prints (issue #12). Money in USD, power in W, time in s unless named.
 */
export type RouteKind = "gpu" | "fpga" | "asic";

export interface RouteFlexibility {
  /** How it is changed: new software, a new bitstream, or a new chip. */
  reprogrammed_by: "software" | "bitstream" | "new silicon";
  /** What else it can run, in words. */
  runs: string;
  /** Op kinds it hands to a host (from the chip's support data), empty when none. */
  unsupported_ops: string[];
}

export interface RouteResult {
  route: RouteKind;
  device: string;
  device_name: string;
  /** False when the route cannot run the workload (the reason says why); its numbers are then absent. */
  available: boolean;
  reason?: string;
  throughput_items_per_s?: number;
  /** One call (a batch) on one device. */
  latency_s?: number;
  power_w?: number;
  items_per_j?: number;
  /** Devices one system needs for the required throughput. */
  devices_per_system?: number;
  /** Purchase or manufacturing cost of one device; null when not published (unit_cost_basis says why). */
  unit_cost_usd: number | null;
  unit_cost_basis: string;
  nre_usd: number;
  nre_basis: string;
  /** Electricity over the amortisation period for one system (ownership.yaml). */
  energy_usd_per_system?: number;
  /** Devices × unit cost + energy, per system; null without a unit cost. */
  variable_usd_per_system: number | null;
  /** variable + NRE / volume. */
  usd_per_system_at_volume: number | null;
  time_to_market_months: number;
  /** Performance per dollar this route needs over the earliest route to make up for arriving later: (1 + g)^(Δt/12). */
  market_window_factor: number;
  flexibility: RouteFlexibility;
  /** ASIC: die area, node, dies per wafer, yield. */
  silicon?: { area_mm2: number; node: string; die_yield: number; usd_per_good_die: number | null; months_to_first_silicon: number };
  /** FPGA: the design found (tiling, clock, resources). */
  design?: Record<string, unknown>;
  notes: string[];
}

export interface BreakEven {
  a: RouteKind;
  b: RouteKind;
  /** Systems at which a's total cost equals b's; null when they never cross (or a cost is unknown). */
  volume: number | null;
  meaning: string;
}

export interface RoutesResult {
  kind: "routes";
  model: string;
  batch: number;
  volume: number;
  required_items_per_s: number;
  routes: RouteResult[];
  break_even: BreakEven[];
  /** The route with the lowest cost per system at the volume (among those with a cost). */
  cheapest_at_volume?: RouteKind;
  assumptions: Array<{ name: string; value: number | string; basis: string }>;
}
