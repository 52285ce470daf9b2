/**
 * `xpusim calibrate <measured.json> [--out file.yaml] [--folds k] [--json]`: fits the family
 * efficiency parameters a measured-results file exercises and reports held-out error before and
 * after per category; `--out` writes the overlay any command applies with `--calibration`
 * (docs/calibrate.md). The built-in catalog is never changed.
 */
import type { Command } from "commander";
import type { CalibrationJobRequest, CalibrationJobResult } from "../../core/app/index.js";
import { overlayYaml } from "../../core/app/index.js";
import { JOBS } from "../../core/app/registry.js";
import { fmtPct, renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { emit, formatOf, json, positiveInt, UsageError } from "../output.js";

export function registerCalibrateCommand(program: Command): void {
  program
    .command("calibrate")
    .description("fit family efficiency parameters to measured results; held-out error before/after; write an overlay for --calibration")
    .argument("<measured>", "measured-results JSON file (the shape `validate` reads)")
    .option("--out <file>", "write the calibration overlay (YAML) to this file")
    .option("--folds <k>", "k-fold cross-validation instead of leave-one-out (default: leave-one-out up to 200 fitted points, else 10 folds)", positiveInt("--folds"))
    .option("--json", "print the result (with the overlay) as JSON")
    .action((file: string, o: { out?: string; folds?: number; json?: boolean }) => {
      const format = formatOf(o);
      if (o.folds !== undefined && o.folds < 2) throw new UsageError(`--folds must be at least 2, got ${o.folds}`);
      const request: CalibrationJobRequest = { measured: readDocument(file), file, ...(o.folds !== undefined ? { folds: o.folds } : {}) };
      const result = JOBS.calibration.run(request, nodeCatalog());
      if (o.out) emit(overlayYaml(result.overlay), o.out);
      emit(format === "json" ? json(result) : renderCalibration(result, o.out));
    });
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
const sig = (x: number) => (Math.abs(x) < 1e-3 ? x.toExponential(3) : x.toPrecision(4));

function renderCalibration(r: CalibrationJobResult, out: string | undefined): string {
  const cv = r.cross_validation;
  const lines = [
    `${r.points.predicted} of ${r.points.total} points predicted; ${r.points.used} exercise a fittable parameter`,
    "",
    "fitted parameters (bounds: the family file's range, else physical):",
    r.parameters.length === 0
      ? "  (none)"
      : renderTable(r.parameters, [
          { header: "family", value: (p) => p.family, align: "left" },
          { header: "parameter", value: (p) => p.key, align: "left" },
          { header: "catalog", value: (p) => sig(p.catalog) },
          { header: "calibrated", value: (p) => sig(p.calibrated) },
          { header: "change", value: (p) => pct(p.change) },
          { header: "bounds", value: (p) => `[${sig(p.bounds[0])}, ${sig(p.bounds[1])}] ${p.bound_source}`, align: "left" },
          { header: "points", value: (p) => p.points },
        ]),
    ...(r.dropped.length ? ["", "dropped from the fit:", ...r.dropped.map((d) => `  ${d.parameter}: ${d.reason}`)] : []),
    "",
    `held-out |error| (${cv.method}${cv.method === "k-fold" ? `, ${cv.folds} folds` : ""}) by category:`,
    renderTable(cv.by_category, [
      { header: "category", value: (c) => c.category, align: "left" },
      { header: "points", value: (c) => c.points },
      { header: "median before", value: (c) => fmtPct(c.before.median_abs_error) },
      { header: "median after", value: (c) => fmtPct(c.after.median_abs_error) },
      { header: "p90 before", value: (c) => fmtPct(c.before.p90_abs_error) },
      { header: "p90 after", value: (c) => fmtPct(c.after.p90_abs_error) },
      { header: "noise", value: (c) => fmtPct(c.noise) },
      { header: "", value: (c) => (c.worsened ? "worse than noise" : ""), align: "left" },
    ]),
    "",
    `overall held-out |error|: median ${fmtPct(cv.overall.before?.median_abs_error)} → ${fmtPct(cv.overall.after?.median_abs_error)}, p90 ${fmtPct(cv.overall.before?.p90_abs_error)} → ${fmtPct(cv.overall.after?.p90_abs_error)}`,
    out ? `overlay written to ${out}: use it with xpusim --calibration ${out} <command>` : "no overlay written (add --out my-calibration.yaml)",
  ];
  return lines.join("\n");
}
