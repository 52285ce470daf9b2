import { z } from "zod";
import { sourced, sourcedQuantity, sourceRefs } from "./sourced.js";

/**
 * A fixed-function unit of a heterogeneous pipeline (catalog/units/<id>.yaml): a video decoder
 * (NVDEC, VCN, a Jetson or SoC codec block), a JPEG decoder, an ISP. Its published throughput is a
 * table of frames per second of the whole unit by codec and resolution (vendors publish stream
 * counts: N streams × fps); other resolutions are reached at the same pixel rate (pipeline/unit-rate.ts).
 */

export const UNIT_KINDS = ["video-decoder", "video-encoder", "jpeg-decoder", "isp", "vision-accelerator"] as const;
export const UNIT_CODECS = ["h264", "hevc", "av1", "vp9", "jpeg", "raw"] as const;

const sourceEntry = z.strictObject({ title: z.string(), url: z.string().optional(), type: z.string().optional(), date: z.string().optional() });

const rateEntry = z.strictObject({
  codec: z.enum(UNIT_CODECS),
  /** "1080p", "2160p", … or "WxH". */
  resolution: z.string().regex(/^(\d+p|\d+x\d+)$/, 'a resolution such as "1080p" or "1920x1080"'),
  frames_per_s: z.number().positive(),
  source: sourceRefs.optional(),
  derived: z.string().optional(),
  estimated: z.boolean().optional(),
  range: z.tuple([z.number().positive(), z.number().positive()]).optional(),
  note: z.string().optional(),
});

export const pipelineUnitSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
  name: z.string(),
  aliases: z.array(z.string()).optional(),
  kind: z.enum(UNIT_KINDS),
  vendor: z.string().optional(),
  /** Catalog chip ids that carry this unit. */
  found_in: z.array(z.string()).optional(),
  /** Hardware engines the rates cover together (information). */
  engines: z.number().int().positive().optional(),
  sources: z.record(z.string().regex(/^\d+$/), sourceEntry).default({}),
  rates: z.array(rateEntry).min(1),
  /** Layout of one output frame (NV12: 1.5 bytes per pixel). */
  output: z.strictObject({ format: z.string(), bytes_per_pixel: z.number().positive() }).optional(),
  power_w: sourcedQuantity("watts", { min: 0 }).optional(),
  note: z.union([z.string(), sourced(z.string())]).optional(),
});

export type PipelineUnitSpec = z.output<typeof pipelineUnitSpecSchema>;
export type UnitRate = PipelineUnitSpec["rates"][number];
