import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { PricedLink } from "../pipeline/pipeline-types.js";
import { resolutionPixels, unitFramesPerSecond } from "../pipeline/unit-rate.js";
import type { ItemShape, PipelineScenario, PipelineStage } from "../spec/pipeline-spec.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES, isDType } from "../units/dtype.js";
import type { Catalog } from "./catalog.js";

/**
 * What one item is between stages: its shape and size. A stage's output is what it declares, or what
 * a decoder unit writes (H × W frames at the unit's bytes per pixel, NV12 = 1.5); its input is what it
 * declares, or what its model takes (H × W × C images of a CNN or ViT). Consecutive known shapes must
 * agree; a link's bytes_per_item defaults to the previous stage's output size.
 */
export interface ItemInfo {
  shape: number[];
  bytes: number;
  /** Where it came from, for messages. */
  origin: string;
}

const bytesOf = (s: ItemShape) => s.shape.reduce((a, b) => a * b, 1) * (isDType(s.dtype) ? DTYPE_BYTES[s.dtype] : 1);

export function stageOutput(s: PipelineStage, catalog: Catalog): ItemInfo | undefined {
  if (s.output) return { shape: s.output.shape, bytes: bytesOf(s.output), origin: "its output" };
  if (s.unit === undefined) return undefined;
  const ref = typeof s.unit === "string" ? { id: s.unit } : s.unit;
  const unit = catalog.pipelineParts().unit(ref.id);
  if (unit.kind !== "video-decoder" && unit.kind !== "jpeg-decoder" && unit.kind !== "isp") return undefined;
  const res = unitFramesPerSecond(unit, ref.codec, ref.resolution).resolution;
  const [w, h] = resolutionPixels(res);
  const bpp = unit.output?.bytes_per_pixel ?? 1.5;
  return { shape: [h, w, 3], bytes: w * h * bpp, origin: `${res} frames from ${unit.id} (${unit.output?.format ?? "nv12"}, ${bpp} B/pixel)` };
}

function modelInput(m: ModelSpec, imageSize: number | undefined): number[] | undefined {
  if (m.category === "cnn") return [imageSize ?? m.input.image_size, imageSize ?? m.input.image_size, m.input.channels];
  if (m.category === "vision-transformer") return [imageSize ?? m.image_size, imageSize ?? m.image_size, m.channels];
  return undefined;
}

export function stageInput(s: PipelineStage, catalog: Catalog): ItemInfo | undefined {
  if (s.input) return { shape: s.input.shape, bytes: bytesOf(s.input), origin: "its input" };
  if (s.chip === undefined || s.workload === undefined || !("model" in s.workload)) return undefined;
  const shape = modelInput(catalog.model(s.workload.model), s.inference?.image_size);
  return shape ? { shape, bytes: shape.reduce((a, b) => a * b, 1), origin: "its model's input" } : undefined;
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Consecutive stages whose item shapes are both known must agree. */
export function checkShapes(p: PipelineScenario, outputs: ReadonlyArray<ItemInfo | undefined>, catalog: Catalog): void {
  p.stages.forEach((s, i) => {
    if (i === 0) return;
    const out = outputs[i - 1];
    const inp = stageInput(s, catalog);
    if (!out || !inp || same(out.shape, inp.shape)) return;
    const prev = p.stages[i - 1]!.name;
    throw new XpusimError(
      error("E_SCHEMA", `stages[${i}].input`, `stage "${s.name}" takes items of shape [${inp.shape.join(", ")}] (${inp.origin}) but stage "${prev}" hands over [${out.shape.join(", ")}] (${out.origin})`, {
        hint: `add a stage between "${prev}" and "${s.name}" that converts them (e.g. a resize), or correct the shapes`,
      }),
    );
  });
}

/** The link after stage i, priced: catalog id or bandwidth; bytes per item stated or the stage's output size. */
export function priceLink(p: PipelineScenario, i: number, out: ItemInfo | undefined, catalog: Catalog): PricedLink | undefined {
  const s = p.stages[i]!;
  const l = s.link;
  if (!l) return undefined;
  const bytes = l.bytes_per_item ?? out?.bytes;
  if (bytes === undefined) {
    throw new XpusimError(error("E_SCHEMA", `stages[${i}].link.bytes_per_item`, `the link from "${s.name}" to "${p.stages[i + 1]!.name}" needs bytes_per_item: the size of "${s.name}"'s items is not known`, { hint: `give bytes_per_item, or declare "${s.name}"'s output: { shape: [...] }` }));
  }
  const to = p.stages[i + 1]!.name;
  if (l.id !== undefined) {
    const r = catalog.pipelineParts().link(l.id);
    return { from: s.name, to, id: r.id, name: r.name, bytes_per_s: r.bytes_per_s, bytes_per_item: bytes, latency_s: l.latency_s ?? r.latency_s };
  }
  return { from: s.name, to, name: `link of ${l.bandwidth_bytes_per_s! / 1e9} GB/s`, bytes_per_s: l.bandwidth_bytes_per_s!, bytes_per_item: bytes, latency_s: l.latency_s ?? 0 };
}
