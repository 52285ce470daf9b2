import { z } from "zod";
import { sourcedQuantity } from "./sourced.js";

/**
 * A family of links between pipeline stages (catalog/links/<family>.yaml): PCIe generations and
 * lane counts, CXL, Ethernet, UCIe, on-package memory, USB, MIPI CSI-2. Users name one link by the
 * family's pattern ("pcie-gen4-x16", "ethernet-100g"); its bandwidth per direction is
 * bytes_per_s_per_lane × lanes × efficiency (pipeline/link-rate.ts).
 */

const sourceEntry = z.strictObject({ title: z.string(), url: z.string().optional(), type: z.string().optional(), date: z.string().optional() });

const variant = z.strictObject({
  bytes_per_s_per_lane: sourcedQuantity("bytes_per_s", { positive: true }),
  latency_s: sourcedQuantity("seconds", { min: 0 }).optional(),
  /** This variant's own payload fraction, where it differs from the family's. */
  efficiency: sourcedQuantity("count", { min: 0 }).optional(),
  note: z.string().optional(),
});

export const linkFamilySpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
    name: z.string(),
    /** How link ids are written: "{variant}" and optionally "{lanes}", e.g. "pcie-{variant}-x{lanes}". */
    pattern: z.string().regex(/\{variant\}/, 'the pattern must contain "{variant}"'),
    variants: z.record(z.string().regex(/^[a-z0-9.\-]+$/), variant),
    lanes: z.array(z.number().int().positive()).optional(),
    default_lanes: z.number().int().positive().optional(),
    /** Fraction of the raw rate that payload reaches (protocol and DMA overheads). */
    efficiency: sourcedQuantity("count", { min: 0 }),
    latency_s: sourcedQuantity("seconds", { min: 0 }),
    energy_pj_per_bit: sourcedQuantity("count", { min: 0 }).optional(),
    sources: z.record(z.string().regex(/^\d+$/), sourceEntry).default({}),
    note: z.string().optional(),
  })
  .refine((s) => !s.pattern.includes("{lanes}") || (s.lanes?.length ?? 0) > 0, { message: 'a pattern with "{lanes}" needs the allowed `lanes`', path: ["lanes"] })
  .refine((s) => s.efficiency.value <= 1, { message: "efficiency is a fraction of the raw rate, at most 1", path: ["efficiency"] });

export type LinkFamilySpec = z.output<typeof linkFamilySpecSchema>;
