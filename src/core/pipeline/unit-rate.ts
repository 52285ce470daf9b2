import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { PipelineUnitSpec, UnitRate } from "../spec/pipeline-unit-spec.js";

/**
 * Frames per second of a fixed-function unit at a codec and resolution. A published entry at that
 * codec and resolution is used as is; another resolution is reached from the same codec's entry of
 * the nearest pixel count at the same pixel rate (a decoder is a pixel-throughput engine: NVIDIA's
 * Jetson tables scale with pixels per second, e.g. 22 × 1080p30 ≈ 7 × 2160p30 on AGX Orin).
 */
const NAMED: Record<string, [number, number]> = { "480p": [854, 480], "720p": [1280, 720], "1080p": [1920, 1080], "1440p": [2560, 1440], "2160p": [3840, 2160], "4320p": [7680, 4320] };

/** Width and height of "1080p" (16:9) or "1920x1080". */
export function resolutionPixels(res: string): [number, number] {
  const named = NAMED[res];
  if (named) return named;
  const m = /^(\d+)x(\d+)$/.exec(res);
  if (m) return [Number(m[1]), Number(m[2])];
  const p = /^(\d+)p$/.exec(res);
  if (p) return [Math.round((Number(p[1]) * 16) / 9), Number(p[1])];
  throw new XpusimError(error("E_SCHEMA", "unit.resolution", `unknown resolution "${res}"`, { expected: '"1080p", "2160p" or "WxH"' }));
}

const pixels = (res: string) => resolutionPixels(res).reduce((a, b) => a * b, 1);

export interface UnitRateResult {
  codec: string;
  resolution: string;
  frames_per_s: number;
  /** How the rate was obtained. */
  basis: string;
  entry: UnitRate;
}

export function unitFramesPerSecond(unit: PipelineUnitSpec, codec?: string, resolution?: string): UnitRateResult {
  const c = codec ?? unit.rates[0]!.codec;
  const sameCodec = unit.rates.filter((r) => r.codec === c);
  if (sameCodec.length === 0) {
    const have = [...new Set(unit.rates.map((r) => r.codec))];
    throw new XpusimError(error("E_UNSUPPORTED", "unit.codec", `${unit.name} has no published ${c} rate`, { expected: have.join(", "), hint: "pick a codec the unit lists, or give the stage a rate_per_s" }));
  }
  const res = resolution ?? sameCodec[0]!.resolution;
  const exact = sameCodec.find((r) => r.resolution === res || pixels(r.resolution) === pixels(res));
  if (exact) return { codec: c, resolution: res, frames_per_s: exact.frames_per_s, basis: `published ${c} ${exact.resolution}: ${exact.frames_per_s} frames/s`, entry: exact };
  const want = pixels(res);
  const near = sameCodec.reduce((a, b) => (Math.abs(Math.log(pixels(b.resolution) / want)) < Math.abs(Math.log(pixels(a.resolution) / want)) ? b : a));
  const fps = (near.frames_per_s * pixels(near.resolution)) / want;
  return { codec: c, resolution: res, frames_per_s: fps, basis: `${c} ${near.resolution} ${near.frames_per_s} frames/s scaled to ${res} at the same pixel rate`, entry: near };
}
