/** The built-in topologies (offered by the web UI's designer) are SCALE-Sim's own layer tables. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALEXNET_CSV, parseTopologyCsv, RESNET50_CSV } from "../src/core/app/index.js";

const fixture = (path: string) => readFileSync(join(import.meta.dirname, "fixtures", "scalesim", path), "utf8");

describe("built-in systolic topologies", () => {
  it("ResNet-50 has the layers of SCALE-Sim's Resnet50.csv", () => {
    const builtin = parseTopologyCsv(RESNET50_CSV, "conv").layers;
    expect(builtin).toEqual(parseTopologyCsv(fixture("resnet50-tpu256-ws/Resnet50.csv"), "conv").layers);
    expect(builtin).toHaveLength(54);
  });
  it("AlexNet has the layers of SCALE-Sim's alexnet.csv: its five convolutions (Krizhevsky et al. 2012: 96, 256, 384, 384, 256 filters)", () => {
    const layers = parseTopologyCsv(ALEXNET_CSV, "conv").layers;
    expect(layers).toEqual(parseTopologyCsv(fixture("alexnet-sq32-os/alexnet.csv"), "conv").layers.slice(0, layers.length));
    expect(layers.map((l) => (l.kind === "conv" ? l.num_filters : 0))).toEqual([96, 256, 384, 384, 256]);
    expect(layers[0]).toMatchObject({ ifmap_h: 224, filter_h: 11, channels: 3, stride_h: 4 });
  });
});
