/**
 * Parser of SCALE-Sim `.cfg` text (Python configparser INI: `[section]`, `key: value` or
 * `key = value`, case-insensitive keys, `#`/`;` comment lines). Reads the fields SCALE-Sim v2's
 * `scale_config.read_conf_file` reads, with the same meaning, and turns what SCALE-Sim would
 * crash on or silently misread into diagnostics that name the line and the field.
 * Pure: takes text, never touches the file system.
 */
import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { BandwidthMode, Dataflow, SystolicConfig } from "./types.js";

interface IniEntry {
  section: string;
  key: string;
  value: string;
  line: number;
}

/** The INI subset configparser accepts with its defaults (no interpolation is used by SCALE-Sim's files). */
function parseIni(text: string): Map<string, Map<string, IniEntry>> {
  const sections = new Map<string, Map<string, IniEntry>>();
  let current: Map<string, IniEntry> | undefined;
  let currentName = "";
  let last: IniEntry | undefined;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) {
      if (trimmed === "") last = undefined;
      continue;
    }
    // A continuation line (indented, right after an option) extends that option's value.
    if (/^\s/.test(raw) && last) {
      last.value = `${last.value}\n${trimmed}`;
      continue;
    }
    const header = /^\[(.+)\]/.exec(trimmed);
    if (header) {
      currentName = header[1]!;
      if (sections.has(currentName)) {
        throw new XpusimError(error("E_PARSE", currentName, `line ${lineNo}: section [${currentName}] appears twice`, { hint: "merge the two sections" }));
      }
      current = new Map();
      sections.set(currentName, current);
      last = undefined;
      continue;
    }
    if (!current) {
      throw new XpusimError(
        error("E_PARSE", "", `line ${lineNo}: option outside any section`, {
          got: trimmed,
          expected: "a [section] header first, e.g. [architecture_presets]",
        }),
      );
    }
    const m = /^([^:=]*?)\s*[:=]\s*(.*)$/.exec(trimmed);
    if (!m || m[1] === "") {
      throw new XpusimError(
        error("E_PARSE", currentName, `line ${lineNo}: expected "key: value" or "key = value"`, { got: trimmed }),
      );
    }
    const key = m[1]!.toLowerCase();
    if (current.has(key)) {
      throw new XpusimError(error("E_PARSE", `${currentName}.${m[1]}`, `line ${lineNo}: option "${m[1]}" appears twice in [${currentName}]`));
    }
    last = { section: currentName, key, value: m[2]!, line: lineNo };
    current.set(key, last);
  }
  return sections;
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  general: ["run_name"],
  architecture_presets: [
    "arrayheight",
    "arraywidth",
    "ifmapsramszkb",
    "filtersramszkb",
    "ofmapsramszkb",
    "ifmapoffset",
    "filteroffset",
    "ofmapoffset",
    "dataflow",
    "bandwidth",
    "memorybanks",
    "wordsizebytes",
    "arraycount",
    "vectorlanes",
    "vectoropsperlane",
    "vectorpipelinecycles",
    "topologycsvloc",
  ],
  run_presets: ["interfacebandwidth"],
  network_presets: ["topologycsvloc"],
};

export interface ParsedSystolicConfig {
  config: SystolicConfig;
  warnings: Diagnostic[];
}

/** Parses the text of a SCALE-Sim `.cfg` file. Throws XpusimError (with line and field) on bad input. */
export function parseScaleSimConfig(text: string): ParsedSystolicConfig {
  const ini = parseIni(text);
  const warnings: Diagnostic[] = [];
  const errors: Diagnostic[] = [];

  const entry = (section: string, key: string, display: string, required = true): IniEntry | undefined => {
    const sec = ini.get(section);
    const e = sec?.get(key.toLowerCase());
    if (!e && required) {
      errors.push(
        error("E_SCHEMA", `${section}.${display}`, sec ? `missing option "${display}" in [${section}]` : `missing section [${section}] (needed for ${display})`, {
          expected: `${display}: <value> under [${section}]`,
          hint: "SCALE-Sim's shipped configs (configs/scale.cfg) list every required option",
        }),
      );
    }
    return e;
  };

  const int = (section: string, display: string, min: number, what: string): number => {
    const e = entry(section, display.toLowerCase(), display);
    if (!e) return Number.NaN;
    const v = e.value.trim().replace(/_/g, "");
    if (!/^[+-]?\d+$/.test(v)) {
      errors.push(error("E_SCHEMA", `${section}.${display}`, `line ${e.line}: ${display} must be an integer`, { got: e.value, expected: what }));
      return Number.NaN;
    }
    const n = Number(v);
    if (n < min || !Number.isSafeInteger(n)) {
      errors.push(
        error("E_RANGE", `${section}.${display}`, `line ${e.line}: ${display} must be ${min === 1 ? "at least 1" : `>= ${min}`}`, {
          got: e.value,
          expected: what,
        }),
      );
      return Number.NaN;
    }
    return n;
  };

  const runName = entry("general", "run_name", "run_name")?.value.trim() ?? "";

  const modeEntry = entry("run_presets", "interfacebandwidth", "InterfaceBandwidth");
  let mode: BandwidthMode = "CALC";
  if (modeEntry) {
    const v = modeEntry.value.trim();
    if (v === "USER" || v === "CALC") mode = v;
    else
      errors.push(
        error("E_SCHEMA", "run_presets.InterfaceBandwidth", `line ${modeEntry.line}: InterfaceBandwidth must be USER or CALC`, {
          got: v,
          expected: "CALC (estimate the DRAM bandwidth needed) or USER (use Bandwidth words/cycle)",
          hint: "SCALE-Sim compares case-sensitively: write it in capitals",
        }),
      );
  }

  const arch = "architecture_presets";
  const rows = int(arch, "ArrayHeight", 1, "number of PE rows, a positive integer");
  const cols = int(arch, "ArrayWidth", 1, "number of PE columns, a positive integer");
  const ifmapKb = int(arch, "IfmapSramSzkB", 1, "IFMAP SRAM size in KiB, a positive integer");
  const filterKb = int(arch, "FilterSramSzkB", 1, "filter SRAM size in KiB, a positive integer");
  const ofmapKb = int(arch, "OfmapSramSzkB", 1, "OFMAP SRAM size in KiB, a positive integer");
  const ifmapOffset = int(arch, "IfmapOffset", 0, "a non-negative word address");
  const filterOffset = int(arch, "FilterOffset", 0, "a non-negative word address");
  const ofmapOffset = int(arch, "OfmapOffset", 0, "a non-negative word address");

  let dataflow: Dataflow = "os";
  const dfEntry = entry(arch, "dataflow", "Dataflow");
  if (dfEntry) {
    const v = dfEntry.value.trim();
    if (v === "os" || v === "ws" || v === "is") dataflow = v;
    else
      errors.push(
        error("E_SCHEMA", `${arch}.Dataflow`, `line ${dfEntry.line}: unknown dataflow`, {
          got: v,
          expected: "os (output stationary), ws (weight stationary) or is (input stationary), in lower case",
          hint: "SCALE-Sim only warns here and silently runs output stationary",
        }),
      );
  }

  let bandwidths: number[] | null = null;
  const bwEntry = entry(arch, "bandwidth", "Bandwidth", mode === "USER");
  if (bwEntry) {
    const parts = bwEntry.value
      .trim()
      .split(",")
      .map((p) => p.trim());
    const parsed: number[] = [];
    for (const p of parts) {
      if (!/^[+-]?\d+$/.test(p) || Number(p) < 1) {
        if (mode === "USER")
          errors.push(
            error("E_SCHEMA", `${arch}.Bandwidth`, `line ${bwEntry.line}: Bandwidth must be a comma-separated list of positive integers (words/cycle)`, {
              got: bwEntry.value,
              expected: "e.g. 10",
            }),
          );
        parsed.length = 0;
        break;
      }
      parsed.push(Number(p));
    }
    if (parsed.length > 0) bandwidths = parsed;
    if (mode === "USER" && parsed.length > 1)
      warnings.push({
        code: "W_UNKNOWN_FIELD",
        severity: "warning",
        path: `${arch}.Bandwidth`,
        message: `line ${bwEntry.line}: only the first Bandwidth value (${parsed[0]}) is used, for all three operands`,
      });
  }

  let wordSize = 1;
  const wsEntry = entry(arch, "wordsizebytes", "WordSizeBytes", false);
  if (wsEntry) {
    const v = wsEntry.value.trim();
    if (!/^\d+$/.test(v) || Number(v) < 1)
      errors.push(error("E_RANGE", `${arch}.WordSizeBytes`, `line ${wsEntry.line}: WordSizeBytes must be a positive integer`, { got: v }));
    else wordSize = Number(v);
  }

  // xpusim extensions (corrected semantics only; SCALE-Sim does not read them).
  const optionalInt = (display: string, min: number): number | undefined => {
    const e = entry(arch, display.toLowerCase(), display, false);
    if (!e) return undefined;
    const v = e.value.trim();
    if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      errors.push(error("E_RANGE", `${arch}.${display}`, `line ${e.line}: ${display} must be an integer ≥ ${min}`, { got: v }));
      return undefined;
    }
    return Number(v);
  };
  const arrayCount = optionalInt("ArrayCount", 1);
  const vectorLanes = optionalInt("VectorLanes", 1);
  const vectorOps = optionalInt("VectorOpsPerLane", 1);
  const vectorFill = optionalInt("VectorPipelineCycles", 0);

  let topologyPath: string | undefined;
  const topo = entry("network_presets", "topologycsvloc", "TopologyCsvLoc", false) ?? entry(arch, "topologycsvloc", "TopologyCsvLoc", false);
  if (topo) {
    const v = topo.value.trim();
    const quoted = /"([^"]*)"/.exec(v);
    topologyPath = quoted ? quoted[1] : v;
  }

  for (const [section, entries] of ini) {
    const known = KNOWN_KEYS[section];
    for (const e of entries.values()) {
      if (!known || !known.includes(e.key))
        warnings.push({
          code: "W_UNKNOWN_FIELD",
          severity: "warning",
          path: `${section}.${e.key}`,
          message: `line ${e.line}: option not read by SCALE-Sim v2 or xpusim; ignored`,
        });
    }
  }

  if (errors.length > 0) throw new XpusimError(errors);
  const config: SystolicConfig = {
    run_name: runName,
    array_rows: rows,
    array_cols: cols,
    dataflow,
    ifmap_sram_kb: ifmapKb,
    filter_sram_kb: filterKb,
    ofmap_sram_kb: ofmapKb,
    ifmap_offset: ifmapOffset,
    filter_offset: filterOffset,
    ofmap_offset: ofmapOffset,
    interface_bandwidth_mode: mode,
    user_bandwidth_words_per_cycle: bandwidths,
    word_size_bytes: wordSize,
  };
  if (topologyPath !== undefined) config.topology_path = topologyPath;
  if (arrayCount !== undefined) config.array_count = arrayCount;
  if (vectorLanes !== undefined) config.vector_lanes = vectorLanes;
  if (vectorOps !== undefined) config.vector_ops_per_lane = vectorOps;
  if (vectorFill !== undefined) config.vector_pipeline_cycles = vectorFill;
  return { config, warnings };
}
