import { z } from "zod";
import { sourcedQuantity } from "./sourced.js";

/**
 * The system spec format: one file per multi-chip system (catalog/systems/<id>.yaml), YAML or JSON.
 * A system is a chip (catalog id) placed in nodes, joined by a scale-up domain (NVLink/NVSwitch,
 * Infinity Fabric mesh, TPU ICI torus, Gaudi on-die Ethernet) and, between domains, a scale-out
 * network (NICs per node, line rate, fat-tree / rail-optimised, oversubscription). Quantities carry
 * their unit ("450 GB/s", "400 Gb/s", "2 us"); achievable-vs-spec derating factors are data with
 * their source. A file may `extends:` a catalog system and override fields.
 */

export const SCALE_UP_TOPOLOGIES = ["switch", "mesh", "torus", "none"] as const;
export const SCALE_OUT_TOPOLOGIES = ["fat-tree", "rail-optimized", "rail-only", "dcn", "torus"] as const;

/** A dimensionless fraction in (0, 1] with provenance (bare or `{ value, source, derived, estimated, range }`). */
export const sourcedFraction = () =>
  z.union([
    z.number().gt(0).lte(1).transform((value) => ({ value }) as { value: number } & ProvenanceFields),
    z
      .strictObject({
        value: z.number().gt(0).lte(1),
        source: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
        derived: z.string().optional(),
        estimated: z.boolean().optional(),
        range: z.tuple([z.number().gt(0).lte(1), z.number().gt(0).lte(1)]).optional(),
        note: z.string().optional(),
      })
      .transform((o) => {
        const out: { value: number } & ProvenanceFields = { value: o.value };
        if (o.source !== undefined) out.source = Array.isArray(o.source) ? o.source : [o.source];
        if (o.derived !== undefined) out.derived = o.derived;
        if (o.estimated !== undefined) out.estimated = o.estimated;
        if (o.range !== undefined) out.range = o.range;
        if (o.note !== undefined) out.note = o.note;
        return out;
      }),
  ]);

export interface ProvenanceFields {
  source?: number[];
  derived?: string;
  estimated?: boolean;
  range?: [number, number];
  note?: string;
}

const sourceEntry = z.strictObject({ title: z.string(), url: z.string().optional(), type: z.string().optional() });
const positiveInt = z.number().int().positive();

/** In-network reduction (NVLink SHARP "NVLS" in NVSwitch, SHARP in InfiniBand switches). */
const inNetworkReduction = z.strictObject({
  name: z.string(),
  /** Fraction of the per-chip link bandwidth that the reduction achieves (payload in and out). */
  efficiency: sourcedFraction(),
  /** Fewest ranks in the domain for which the library uses it (NCCL: NVLS from 5 GPUs on H100/H200). */
  min_ranks: positiveInt.default(2),
  /** Fixed latency of one in-network reduction (switch round trip and setup). */
  latency: sourcedQuantity("seconds", { min: 0 }).optional(),
  note: z.string().optional(),
});

const torus = z.strictObject({
  /** Largest slice shape, e.g. [16, 16, 16] for a TPU v4 pod (cubes joined by optical switches). */
  dims: z.array(positiveInt).min(1).max(3),
  /** An axis whose length is a multiple of this has wraparound links (v4/v5p: 4, v5e/v6e: 16 = the full axis). */
  wraparound_multiple: positiveInt,
  /** One-way bandwidth of one ICI link. */
  link_bandwidth_per_direction: sourcedQuantity("bytes_per_s", { positive: true }),
  note: z.string().optional(),
});

const scaleUp = z.strictObject({
  name: z.string(),
  topology: z.enum(SCALE_UP_TOPOLOGIES),
  /** Chips in one scale-up domain (8 for an HGX board, 72 for NVL72, a whole pod for TPU ICI). */
  domain_size: positiveInt,
  /** Per-chip bandwidth in ONE direction over all its scale-up links; defaults to the chip's `interconnect.scale_up`. */
  bandwidth_per_direction: sourcedQuantity("bytes_per_s", { positive: true }).optional(),
  /** Mesh only: one-way bandwidth between one pair of chips (MI300X: 64 GB/s). */
  per_peer_bandwidth: sourcedQuantity("bytes_per_s", { positive: true }).optional(),
  torus: torus.optional(),
  /** Latency of one hop (link + switch), the floor of a protocol step. */
  latency: sourcedQuantity("seconds", { min: 0 }),
  /** Achievable collective bus bandwidth as a fraction of the spec (NCCL on A100 NVLink: 235/300). */
  efficiency: sourcedFraction(),
  in_network_reduction: inNetworkReduction.optional(),
  note: z.string().optional(),
});

const scaleOut = z.strictObject({
  name: z.string(),
  nics_per_node: positiveInt,
  /** Line rate of one NIC in one direction ("200 Gb/s"). */
  nic_rate: sourcedQuantity("bytes_per_s", { positive: true }),
  /** Achievable fraction of the line rate (NDR: 46–48 of 50 GB/s per NIC). */
  efficiency: sourcedFraction(),
  topology: z.enum(SCALE_OUT_TOPOLOGIES).default("fat-tree"),
  /** Oversubscription ratio above a leaf (1 = full bisection). */
  oversubscription: z.number().gte(1).default(1),
  /** Nodes under one leaf (rail) switch group; beyond it traffic pays the oversubscription. */
  nodes_per_leaf: positiveInt.optional(),
  /** Latency of one network hop (NIC + switches). */
  latency: sourcedQuantity("seconds", { min: 0 }),
  max_nodes: positiveInt.optional(),
  in_network_reduction: inNetworkReduction.optional(),
  /**
   * How network bytes reach the chip: "pcie" (a NIC on the PCIe bus, GPUDirect RDMA through the chip's
   * host link, which then caps the chip's network share) or "integrated" (NICs on the chip, e.g. Gaudi's
   * RoCE ports). Default "pcie".
   */
  nic_path: z.enum(["pcie", "integrated"]).optional(),
  note: z.string().optional(),
});

export const systemSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
  /** Catalog id of a system whose fields this one inherits; listed fields override. */
  extends: z.string().optional(),
  name: z.string(),
  vendor: z.string().optional(),
  year: z.number().int().optional(),
  aliases: z.array(z.string()).default([]),
  /** Catalog chip id (or alias) of the accelerators. */
  chip: z.string(),
  sources: z.record(z.string().regex(/^\d+$/), sourceEntry).default({}),
  source: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
  chips_per_node: positiveInt,
  /** Largest number of chips the system (pod, cluster) holds; unlimited when absent. */
  max_chips: positiveInt.optional(),
  scale_up: scaleUp,
  scale_out: scaleOut.optional(),
  /** Collective library whose protocol model applies (catalog/collective-libraries/<id>.yaml). */
  collective_library: z.string(),
  caveats: z.array(z.string()).default([]),
  notes: z.string().optional(),
});

export type SystemSpecInput = z.input<typeof systemSpecSchema>;
export type SystemSpec = z.output<typeof systemSpecSchema>;
export type SourcedFraction = { value: number } & ProvenanceFields;
