/** Pure helpers of the Chip designer: field path → YAML line, and the variant check on the Node catalog. */
import { describe, expect, it } from "vitest";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { checkVariant } from "../../src/ui/views/designer/check-variant.js";
import { quickCheckDtype } from "../../src/ui/views/designer/quick-check.js";
import { diagnosticPath, lineOfPath, parseYamlWithLines, splitPath } from "../../src/ui/views/designer/yaml-lines.js";

const TEXT = ["extends: nvidia-h100-sxm", "name: H100 faster HBM", "memory:", "  main:", "    capacity: 80 GiB", "    bandwidth: fast", "  on_chip:", "    - name: L2", "      capacity: big", ""].join("\n");

describe("field path → YAML line", () => {
  it("splits dotted paths with list indices", () => {
    expect(splitPath("memory.on_chip[0].capacity")).toEqual(["memory", "on_chip", 0, "capacity"]);
    expect(splitPath("")).toEqual([]);
  });
  it("finds the line of a nested field, of a list item's field, and of the deepest existing parent", () => {
    const p = parseYamlWithLines(TEXT);
    expect(lineOfPath(p, "memory.main.bandwidth")).toBe(6);
    expect(lineOfPath(p, "memory.main.capacity")).toBe(5);
    expect(lineOfPath(p, "memory.on_chip[0].capacity")).toBe(9);
    expect(lineOfPath(p, "memory.on_chip[0]")).toBe(8);
    expect(lineOfPath(p, "memory.main.latency")).toBe(4); // absent: its parent `main:`
    expect(lineOfPath(p, "name")).toBe(2);
    expect(lineOfPath(p, "")).toBeUndefined();
  });
  it("an unknown field reported on its parent points at the key itself", () => {
    expect(diagnosticPath("", 'unknown field "foo"')).toBe("foo");
    expect(diagnosticPath("memory.main", 'unknown field "bw"')).toBe("memory.main.bw");
    expect(diagnosticPath("memory.main.bandwidth", "must be greater than zero")).toBe("memory.main.bandwidth");
  });
});

describe("checkVariant on the Node catalog", () => {
  const catalog = nodeCatalog();
  it("places each engine diagnostic on its field's line", () => {
    const r = checkVariant(catalog, "v", TEXT);
    expect(r.chip).toBeUndefined();
    const byPath = Object.fromEntries(r.diagnostics.map((d) => [d.path, d.line]));
    expect(byPath).toEqual({ "memory.main.bandwidth": 6, "memory.on_chip[0].capacity": 9 });
  });
  it("a negative bandwidth is a range error on its line", () => {
    const r = checkVariant(catalog, "v", "extends: nvidia-h100-sxm\nmemory: { main: { bandwidth: -3 } }\n");
    expect(r.diagnostics).toEqual([expect.objectContaining({ kind: "spec", path: "memory.main.bandwidth", line: 2 })]);
  });
  it("a YAML syntax error carries its line", () => {
    const r = checkVariant(catalog, "v", "extends: nvidia-h100-sxm\nmemory:\n  main: { bandwidth: 4 TB/s\n");
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0]).toEqual(expect.objectContaining({ kind: "syntax" }));
    expect(r.diagnostics[0]!.line).toBeGreaterThanOrEqual(3);
  });
  it("a valid variant gives the chip with the override applied and the base's other figures", () => {
    const base = catalog.chip("nvidia-h100-sxm");
    const r = checkVariant(catalog, "h100-fast", "extends: nvidia-h100-sxm\nmemory: { main: { bandwidth: 4.8 TB/s } }\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.chip!.id).toBe("h100-fast");
    expect(r.chip!.memory.main.bandwidth_bytes_per_s).toBe(4.8e12);
    expect(r.chip!.matrix.peak_flops_per_s.bf16).toBe(base.matrix.peak_flops_per_s.bf16);
  });
  it("an unknown field points at its key's line", () => {
    const r = checkVariant(catalog, "v", "extends: nvidia-h100-sxm\nfoo: 1\n");
    expect(r.diagnostics).toEqual([expect.objectContaining({ path: "foo", line: 2 })]);
  });
});

describe("the quick check's dtype", () => {
  it("is bf16 where the matrix engine runs it, else the chip's own (int8 on an int8-only FPGA), else none", () => {
    const catalog = nodeCatalog();
    expect(quickCheckDtype(catalog.chip("nvidia-h100-sxm"))).toBe("bf16");
    expect(catalog.chip("amd-alveo-u280").matrix.peak_flops_per_s.bf16).toBeUndefined();
    expect(quickCheckDtype(catalog.chip("amd-alveo-u280"))).toBe("int8");
    expect(catalog.chip("cerebras-wse2").matrix.peak_flops_per_s).toEqual({});
    expect(quickCheckDtype(catalog.chip("cerebras-wse2"))).toBeUndefined();
  });
});
