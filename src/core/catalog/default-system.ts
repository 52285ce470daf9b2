/**
 * The system a chip is deployed in when none is named: a catalog system, or a generic node built from
 * the chip's own links. Pure over the lookups, so Node and a browser pick the same one.
 */
import type { Chip } from "../hardware/chip.js";
import type { System } from "../network/build-system.js";
import type { ChipLookup } from "./chip-lookup.js";
import type { SystemLookup } from "./system-lookup.js";

/** The library a chip's vendor ships (NCCL for NVIDIA, RCCL for AMD, XLA for Google), else generic. */
export function libraryForVendor(vendor: string): string {
  const v = vendor.toLowerCase();
  if (v.includes("nvidia")) return "nccl";
  if (v.includes("amd")) return "rccl";
  return "generic";
}

/**
 * The raw system document of the system a chip is usually deployed in: a catalog system of the
 * chip's own vendor with this chip (`{ extends: <id> }`); else a vendor system whose chips have the
 * same scale-up link (same name and bandwidth), with this chip swapped in; else any catalog system
 * with this chip; else a generic node of up to 8 chips ({@link genericSystemDocument}). Among several,
 * one that can hold `count` chips and has a scale-out network is preferred. Callers may merge
 * overrides into it.
 */
export function defaultSystemDocument(chip: Chip, count: number, systems: SystemLookup, chips: ChipLookup): Record<string, unknown> {
  const all = systems.ids().map(systems.load);
  const vendorOf = (s: System) => (s.vendor ?? "").toLowerCase();
  const chipVendor = chip.vendor.toLowerCase().split(/\s+/)[0] ?? "";
  const rank = (s: System) => (s.scale_out ? 2 : 0) + (s.max_chips === undefined || s.max_chips >= count ? 1 : 0) + s.scale_up.domain_size / 1e4;
  const best = (list: System[]) => [...list].sort((a, b) => rank(b) - rank(a))[0];

  const own = best(all.filter((s) => s.chip_id === chip.id && vendorOf(s).includes(chipVendor)));
  if (own) return { extends: own.id, id: own.id };
  const link = chip.interconnect.scale_up;
  if (link?.bandwidth_per_direction_bytes_per_s !== undefined) {
    const pick = best(
      all.filter((s) => {
        const other = chips.load(s.chip_id).interconnect.scale_up;
        return vendorOf(s).includes(chipVendor) && other?.name === link.name && other.bandwidth_per_direction_bytes_per_s === link.bandwidth_per_direction_bytes_per_s;
      }),
    );
    if (pick) {
      return {
        extends: pick.id,
        id: `${pick.id}-${chip.id}`,
        name: `${pick.name} with ${chip.name}`,
        chip: chip.id,
        caveats: [`${chip.id} placed in ${pick.id} (same ${link.name} fabric)`],
      };
    }
  }
  const any = best(all.filter((s) => s.chip_id === chip.id));
  if (any) return { extends: any.id, id: any.id };
  return genericSystemDocument(chip, systems);
}

/** " (6 links, 300 GB/s per direction)": what the chip file states about its link. */
function linkFigures(link: NonNullable<Chip["interconnect"]["scale_up"]>): string {
  const parts = [link.links !== undefined ? `${link.links} links` : undefined, link.bandwidth_per_direction_bytes_per_s !== undefined ? `${link.bandwidth_per_direction_bytes_per_s / 1e9} GB/s per direction` : undefined].filter((x) => x !== undefined);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** A single node of up to 8 chips joined by the chip's own scale-up link (switch), or its host link (PCIe) without one. */
export function genericSystemDocument(chip: Chip, systems: SystemLookup): Record<string, unknown> {
  const libId = libraryForVendor(chip.vendor);
  const lib = systems.librarySpec(libId);
  const su = chip.interconnect.scale_up;
  const hasLink = su?.bandwidth_per_direction_bytes_per_s !== undefined;
  const d = lib.default_scale_up;
  return {
    id: `generic-${chip.id}`,
    name: `${chip.name}, generic node of up to 8 (${hasLink ? su!.name : "host link"})`,
    chip: chip.id,
    chips_per_node: 8,
    scale_up: {
      name: hasLink ? su!.name : (chip.interconnect.host?.name ?? "host link"),
      topology: hasLink ? "switch" : "none",
      domain_size: 8,
      latency: { value: d.latency.value, derived: `collective library ${libId}: default_scale_up.latency`, estimated: true },
      efficiency: { value: d.efficiency.value, derived: `collective library ${libId}: default_scale_up.efficiency`, estimated: true },
    },
    collective_library: libId,
    caveats: [
      `generic system: no catalog system uses ${chip.id}; assumed: up to 8 chips ${hasLink ? `fully connected through ${su!.name}${linkFigures(su!)} as if switched` : "talking through the host link"}, no scale-out network (a system file with NICs, --system, goes beyond 8)`,
    ],
  };
}
