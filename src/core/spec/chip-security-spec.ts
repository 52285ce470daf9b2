import { z } from "zod";
import { sourced, sourceRefs } from "./sourced.js";

/**
 * The `security:` and `software:` sections of a chip file (issue #9). Every feature is a sourced
 * value or explicitly `unknown`: a feature left out reads as unknown, never as absent.
 * See docs/chip-spec.md for the field reference and docs/cost.md for how the security factor scores them.
 */

/** Whether a documented security feature exists on the chip (or its shipped platform firmware). */
export const SUPPORT_LEVELS = ["supported", "not-supported", "unknown"] as const;
export type SupportLevel = (typeof SUPPORT_LEVELS)[number];

/**
 * The strongest multi-tenant isolation the chip offers: hardware partitions (NVIDIA MIG, AMD
 * CPX/NPS partitions: own compute, cache slices and memory controllers per tenant), SR-IOV virtual
 * functions, software-only sharing (time-slicing, MPS: no memory protection), none, or unknown.
 */
export const ISOLATION_KINDS = ["hardware-partitions", "sr-iov", "software-only", "none", "unknown"] as const;
export type IsolationKind = (typeof ISOLATION_KINDS)[number];

const support = sourced(z.enum(SUPPORT_LEVELS));

const provenance = {
  source: sourceRefs.optional(),
  derived: z.string().optional(),
  estimated: z.boolean().optional(),
  note: z.string().optional(),
};

const fraction = z.number().min(0, "a fraction between 0 and 1").max(1, "a fraction between 0 and 1");

/** Throughput lost in confidential mode as a fraction of the non-confidential throughput (0.07 = 7 % lower). */
const overheadFraction = z
  .strictObject({ value: fraction, range: z.tuple([fraction, fraction]).optional(), ...provenance })
  .refine((o) => !o.range || o.range[0] <= o.range[1], { message: "range must be [low, high] with low <= high" });

const isolation = z.strictObject({
  kind: sourced(z.enum(ISOLATION_KINDS)),
  /** Most isolated tenants on one chip (7 MIG instances on an H100). */
  max_instances: z.number().int().positive().optional(),
  /** The vendor's name for it ("MIG", "SR-IOV + CPX/NPS4"). */
  mechanism: z.string().optional(),
});

export const chipSecuritySchema = z.strictObject({
  /** A trusted execution environment that keeps data in use from the host (NVIDIA CC mode). */
  confidential_computing: support.optional(),
  memory_encryption: z
    .strictObject({
      /** Contents of the chip's own memory (HBM/DRAM) encrypted at rest in it. */
      device_memory: support.optional(),
      /** Host↔chip transfers encrypted (AES-GCM bounce buffers, PCIe IDE). */
      host_link: support.optional(),
      /** Chip↔chip scale-up link encrypted (NVLink encryption). */
      chip_link: support.optional(),
      note: z.string().optional(),
    })
    .default({}),
  /** Only signed firmware/boot code runs (on-die boot ROM root of trust). */
  secure_boot: support.optional(),
  /** The chip can prove its identity and firmware measurements to a remote verifier. */
  attestation: support.optional(),
  isolation: isolation.optional(),
  /** Documented or measured throughput loss in confidential mode, with its range. */
  confidential_overhead: overheadFraction.optional(),
  note: z.string().optional(),
});

const softwareStack = z.strictObject({
  /** "CUDA", "ROCm", "XLA", "SynapseAI", "CANN", "Neuron SDK", "Poplar", "OpenVINO", ... */
  name: z.string().min(1),
  /** What it is to the chip: programming model, compiler, runtime, SDK. */
  role: z.string().optional(),
  /** Frameworks it serves (PyTorch, JAX, TensorFlow, ONNX Runtime, ...). */
  frameworks: z.array(z.string()).default([]),
  ...provenance,
});

export const chipSoftwareSchema = z.strictObject({
  /** The software stacks the chip runs, vendor stack first. */
  stacks: z.array(softwareStack).default([]),
  note: z.string().optional(),
});

export type ChipSecuritySpec = z.output<typeof chipSecuritySchema>;
export type ChipSoftwareSpec = z.output<typeof chipSoftwareSchema>;
