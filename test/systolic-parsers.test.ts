/**
 * SCALE-Sim `.cfg` and topology CSV parsing: the shipped formats are read as they are, and bad
 * input becomes an XpusimError naming the line and the field, never a crash.
 */
import { describe, expect, it } from "vitest";
import { parseScaleSimConfig, parseTopologyCsv, simulateSystolic } from "../src/core/systolic/index.js";
import { diagnosticsOf } from "./helpers/diagnostics.js";

const SCALE_CFG = `[general]
run_name = scale_example_run_32x32_os

[architecture_presets]
ArrayHeight:    32
ArrayWidth:     32
IfmapSramSzkB:   64 
FilterSramSzkB:  64 
OfmapSramSzkB:   64 
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Bandwidth : 10
Dataflow : os
MemoryBanks:   1

[run_presets]
InterfaceBandwidth: CALC`;

describe("SCALE-Sim .cfg parser", () => {
  it("reads SCALE-Sim's shipped scale.cfg", () => {
    const { config, warnings } = parseScaleSimConfig(SCALE_CFG);
    expect(config).toMatchObject({
      run_name: "scale_example_run_32x32_os",
      array_rows: 32,
      array_cols: 32,
      dataflow: "os",
      ifmap_sram_kb: 64,
      filter_sram_kb: 64,
      ofmap_sram_kb: 64,
      ifmap_offset: 0,
      filter_offset: 10_000_000,
      ofmap_offset: 20_000_000,
      interface_bandwidth_mode: "CALC",
      word_size_bytes: 1,
    });
    // MemoryBanks is in the shipped configs but not read by SCALE-Sim v2: not worth a warning.
    expect(warnings).toEqual([]);
  });

  it("accepts '=' delimiters, comments, any key case and a USER bandwidth list", () => {
    const text = SCALE_CFG.replace("InterfaceBandwidth: CALC", "interfacebandwidth = USER")
      .replace("Bandwidth : 10", "BANDWIDTH = 16, 32")
      .replace("[general]", "# a comment\n; another\n[general]");
    const { config, warnings } = parseScaleSimConfig(text);
    expect(config.interface_bandwidth_mode).toBe("USER");
    expect(config.user_bandwidth_words_per_cycle).toEqual([16, 32]);
    expect(warnings.map((w) => w.message).join()).toMatch(/only the first Bandwidth value \(16\)/);
  });

  it("names the line and field of a non-integer size", () => {
    const [d] = diagnosticsOf(() => parseScaleSimConfig(SCALE_CFG.replace("ArrayWidth:     32", "ArrayWidth:     32x")));
    expect(d).toMatchObject({ code: "E_SCHEMA", path: "architecture_presets.ArrayWidth", got: "32x" });
    expect(d!.message).toMatch(/^line 6: ArrayWidth must be an integer/);
  });

  it("rejects zero and negative sizes", () => {
    const ds = diagnosticsOf(() => parseScaleSimConfig(SCALE_CFG.replace("ArrayHeight:    32", "ArrayHeight:    0").replace("OfmapSramSzkB:   64", "OfmapSramSzkB:   -4")));
    expect(ds.map((d) => [d.code, d.path])).toEqual([
      ["E_RANGE", "architecture_presets.ArrayHeight"],
      ["E_RANGE", "architecture_presets.OfmapSramSzkB"],
    ]);
  });

  it("reports a missing option, a bad mode and an unknown dataflow together", () => {
    const text = SCALE_CFG.replace("IfmapOffset:    0\n", "").replace("InterfaceBandwidth: CALC", "InterfaceBandwidth: calc").replace("Dataflow : os", "Dataflow : rs");
    const ds = diagnosticsOf(() => parseScaleSimConfig(text));
    expect(ds.map((d) => d.path).sort()).toEqual(["architecture_presets.Dataflow", "architecture_presets.IfmapOffset", "run_presets.InterfaceBandwidth"]);
    expect(ds.find((d) => d.path.endsWith("Dataflow"))!.hint).toMatch(/silently runs output stationary/);
  });

  it("requires a Bandwidth in USER mode", () => {
    const ds = diagnosticsOf(() => parseScaleSimConfig(SCALE_CFG.replace("Bandwidth : 10\n", "").replace("CALC", "USER")));
    expect(ds[0]).toMatchObject({ code: "E_SCHEMA", path: "architecture_presets.Bandwidth" });
  });

  it("rejects malformed INI structure with the line number", () => {
    expect(diagnosticsOf(() => parseScaleSimConfig("ArrayHeight: 4\n"))[0]!.message).toMatch(/^line 1: option outside any section/);
    expect(diagnosticsOf(() => parseScaleSimConfig(`${SCALE_CFG}\n[general]\nrun_name = x`))[0]!.message).toMatch(/section \[general\] appears twice/);
    expect(diagnosticsOf(() => parseScaleSimConfig(SCALE_CFG.replace("Dataflow : os", "Dataflow : os\ndataflow: ws")))[0]!.message).toMatch(/line 15: option "dataflow" appears twice/);
    expect(diagnosticsOf(() => parseScaleSimConfig(SCALE_CFG.replace("MemoryBanks:   1", "MemoryBanks")))[0]!.message).toMatch(/line 15: expected "key: value"/);
  });

  it("warns about options neither SCALE-Sim nor xpusim reads", () => {
    const { warnings } = parseScaleSimConfig(SCALE_CFG.replace("MemoryBanks:   1", "MemoryBanks:   1\nSramBanks: 4"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: "W_UNKNOWN_FIELD", path: "architecture_presets.srambanks" });
  });
});

const CONV_HEADER = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";

describe("topology CSV parser", () => {
  it("reads conv rows with one or two strides and GEMM rows", () => {
    const conv = parseTopologyCsv(`${CONV_HEADER}Conv1,224,224,7,7,3,64,2,\n\nConv2, 56, 57, 3, 3, 64, 64, 1, 2,\n`, "conv");
    expect(conv.layers).toEqual([
      { kind: "conv", name: "Conv1", ifmap_h: 224, ifmap_w: 224, filter_h: 7, filter_w: 7, channels: 3, num_filters: 64, stride_h: 2, stride_w: 2, line: 2 },
      { kind: "conv", name: "Conv2", ifmap_h: 56, ifmap_w: 57, filter_h: 3, filter_w: 3, channels: 64, num_filters: 64, stride_h: 1, stride_w: 2, line: 4 },
    ]);
    expect(conv.warnings).toEqual([]);
    const gemm = parseTopologyCsv("Layer, M, N, K,\nQKT,1024,1024,64,\n", "gemm");
    expect(gemm.layers).toEqual([{ kind: "gemm", name: "QKT", M: 1024, N: 1024, K: 64, line: 2 }]);
  });

  it("names the line and column of a bad field", () => {
    const ds = diagnosticsOf(() => parseTopologyCsv(`${CONV_HEADER}Conv1,224,224,7,7,3,64,2,\nConv2,56,56,3,three,64,64,1,\n`, "conv"));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: "E_PARSE", path: "line 3.Filter width", got: '"three"' });
    expect(ds[0]!.message).toBe('line 3, column 5 (Filter width) of layer "Conv2": not an integer');
  });

  it("rejects zero or negative sizes and strides", () => {
    const ds = diagnosticsOf(() => parseTopologyCsv(`${CONV_HEADER}Conv1,224,224,7,7,3,0,2,\nConv2,56,56,3,3,64,64,-1,\n`, "conv"));
    expect(ds.map((d) => [d.code, d.path])).toEqual([
      ["E_RANGE", "line 2.Num filter"],
      ["E_RANGE", "line 3.Stride height"],
    ]);
  });

  it("rejects the row of bare commas in SCALE-Sim's conv_nets/Resnet50.csv (where SCALE-Sim crashes)", () => {
    const ds = diagnosticsOf(() => parseTopologyCsv(`${CONV_HEADER}Conv1,224,224,7,7,3,64,2,\n,,,,,,,,\n`, "conv"));
    expect(ds[0]!.message).toMatch(/^line 3, column 2 \(IFMAP height\) of layer "": not an integer/);
  });

  it("rejects short rows, and hints at the GEMM format for M,N,K rows", () => {
    const [d] = diagnosticsOf(() => parseTopologyCsv(`${CONV_HEADER}Test1, 128, 64, 256,\n`, "conv"));
    expect(d!.message).toBe("line 2: expected 7 or 8 numbers after the layer name, got 3");
    expect(d!.hint).toMatch(/GEMM/);
  });

  it("rejects a filter larger than the ifmap (SCALE-Sim asserts)", () => {
    const [d] = diagnosticsOf(() => parseTopologyCsv(`${CONV_HEADER}Conv1,5,5,7,3,3,64,1,\n`, "conv"));
    expect(d).toMatchObject({ code: "E_RANGE", path: "line 2.Filter height" });
  });

  it("warns when a row has no trailing comma (SCALE-Sim would drop its last value)", () => {
    const { layers, warnings } = parseTopologyCsv("Layer, M, N, K,\nT,8,4,2\n", "gemm");
    expect(layers[0]).toMatchObject({ M: 8, N: 4, K: 2 });
    expect(warnings[0]!.message).toMatch(/SCALE-Sim would drop its last value \("2"\)/);
  });

  it("reads optional Batch and Groups columns by header name", () => {
    const { layers } = parseTopologyCsv(`${CONV_HEADER.replace("Strides,", "Stride h, Stride w, Batch, Groups,")}Dw,10,10,3,3,8,8,1,1,4,8,\n`, "conv");
    expect(layers[0]).toMatchObject({ batch: 4, groups: 8, stride_w: 1 });
  });

  it("rejects an empty topology", () => {
    expect(diagnosticsOf(() => parseTopologyCsv(CONV_HEADER, "conv"))[0]!.message).toMatch(/no layers/);
  });
});

describe("bad configurations are errors, never crashes or negative counts", () => {
  const cfg = parseScaleSimConfig(SCALE_CFG).config;
  it("an SRAM below 100 words (corrected semantics with wide words)", () => {
    const layers = parseTopologyCsv("Layer, M, N, K,\nT,8,4,2,\n", "gemm").layers;
    const ds = diagnosticsOf(() => simulateSystolic({ ...cfg, ifmap_sram_kb: 1, word_size_bytes: 16 }, layers, { semantics: "corrected" }));
    expect(ds[0]).toMatchObject({ code: "E_RANGE", path: "architecture_presets.IfmapSramSzkB" });
    expect(ds[0]!.message).toMatch(/holds 64 words/);
  });

  it("a layer SCALE-Sim finishes in cycle 0 (it divides by zero there)", () => {
    const layers = parseTopologyCsv("Layer, M, N, K,\nT,1,1,1,\n", "gemm").layers;
    const one = { ...cfg, array_rows: 1, array_cols: 1 };
    expect(diagnosticsOf(() => simulateSystolic(one, layers, { semantics: "scalesim" }))[0]!.code).toBe("E_UNSUPPORTED");
    const [r] = simulateSystolic(one, layers, { semantics: "corrected" });
    expect(r!.total_cycles).toBe(2); // 2R + C + T − 2 = 2 cycles: load the MAC, then drain the result
  });

  it("a reuse window that turns over twice in one cycle (SCALE-Sim: ZeroDivisionError)", () => {
    // 1×600 OS array, 1 KiB filter SRAM: a 500-word window, and up to 600 filter reads per cycle.
    const layers = parseTopologyCsv("Layer, M, N, K,\nWide,1,1200,600,\n", "gemm").layers;
    const [d] = diagnosticsOf(() => simulateSystolic({ ...cfg, array_rows: 1, array_cols: 600, filter_sram_kb: 1 }, layers, { semantics: "scalesim" }));
    expect(d).toMatchObject({ code: "E_UNSUPPORTED", path: "architecture_presets.FilterSramSzkB" });
    expect(d!.message).toMatch(/^layer 0 "Wide" \(topology line 2\): the filter buffer's reuse window turns over twice in cycle 521/);
    const [r] = simulateSystolic({ ...cfg, array_rows: 1, array_cols: 600, filter_sram_kb: 1 }, layers, { semantics: "corrected" });
    expect(r!.dram_filter_reads).toBe(1200 * 600); // every filter word read once: no reuse in OS
  });

  it("objects built in code with zero sizes or unknown modes", () => {
    const layers = parseTopologyCsv("Layer, M, N, K,\nT,8,4,2,\n", "gemm").layers;
    const ds = diagnosticsOf(() =>
      simulateSystolic({ ...cfg, array_rows: 0, dataflow: "rs" as never }, [...layers, { kind: "gemm", name: "z", M: 4, N: -1, K: 2.5 }], { semantics: "scalesim" }),
    );
    expect(ds.map((d) => d.path)).toEqual(["array_rows", "dataflow", "layers[1].N", "layers[1].K"]);
  });

  it("groups that do not divide the channels", () => {
    const layers = parseTopologyCsv(`${CONV_HEADER.replace("Strides,", "Stride h, Stride w, Groups,")}G,8,8,3,3,6,8,1,1,4,\n`, "conv").layers;
    expect(diagnosticsOf(() => simulateSystolic(cfg, layers, { semantics: "corrected" }))[0]!.message).toMatch(/divisible by groups \(4\)/);
  });
});
