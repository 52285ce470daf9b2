/**
 * `xpusim validate <measured.json>`: predicts every point of a measured-results file (the shape of
 * ../shared/validation/measured-public.json), prints predicted vs measured, the signed error, and
 * the median |error| per category and overall. Unsupported points are listed with the reason.
 */
import type { Command } from "commander";
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import { JOBS } from "../../core/app/registry.js";
import type { ValidationJobRequest, ValidationSummary } from "../../core/app/jobs/validation-job.js";
import { fmtPct, renderCsv, renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { emit, formatOf, json, UsageError } from "../output.js";

export function registerValidateCommand(program: Command): void {
  program
    .command("validate")
    .description("predict measured results and report the error of each point and the median")
    .argument("<measured>", "measured-results JSON file")
    .option("--category <c>", "only points of this category")
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action((file: string, o: { category?: string; json?: boolean; csv?: boolean }) => {
      const format = formatOf(o);
      const request: ValidationJobRequest = { measured: readDocument(file), file, ...(o.category !== undefined ? { category: o.category } : {}) };
      const summary = runValidationJob(request);
      if (format === "json") return emit(json(summary));
      if (format === "csv") return emit(renderCsv(summary.results.map((r) => ({ ...r, ...(r.measured_range ? { measured_range: r.measured_range.join("-") } : {}), assumptions: r.assumptions.join("; ") }))));
      emit(renderValidationTable(summary));
    });
}

/** The job, with an unknown --category reported as a usage error (exit 2) naming the flag. */
function runValidationJob(request: ValidationJobRequest): ValidationSummary {
  try {
    return JOBS.validation.run(request, nodeCatalog());
  } catch (e) {
    const d = e instanceof XpusimError ? e.diagnostics[0] : undefined;
    if (d?.path === "category") throw new UsageError(`--category: ${d.message}`, d.hint);
    throw e;
  }
}

function renderValidationTable(summary: ValidationSummary): string {
  const ok = summary.results.filter((r) => r.status === "ok");
  const notes: string[] = [];
  const noteIndex = (as: string[]) =>
    as
      .map((a) => {
        let i = notes.indexOf(a);
        if (i < 0) i = notes.push(a) - 1;
        return i + 1;
      })
      .join(",");
  const rest = summary.results.filter((r) => r.status !== "ok");
  const lines = [
    renderTable(ok, [
      { header: "id", value: (r) => r.id },
      { header: "category", value: (r) => r.category, align: "left" },
      { header: "metric", value: (r) => `${r.metric} (${r.unit})`, align: "left" },
      { header: "measured", value: (r) => (r.measured_range ? `${r.measured_range[0]}–${r.measured_range[1]}` : r.measured) },
      { header: "predicted", value: (r) => r.predicted },
      { header: "error", value: (r) => `${r.error! >= 0 ? "+" : ""}${(r.error! * 100).toFixed(1)}%` },
      { header: "chip", value: (r) => r.chip, align: "left" },
      { header: "notes", value: (r) => (r.assumptions.length ? `[${noteIndex(r.assumptions)}]` : ""), align: "left" },
    ]),
    ...(notes.length ? ["", "assumptions made to build the scenarios:", ...notes.map((n, i) => `  [${i + 1}] ${n}`)] : []),
    "",
    "median |error| by category:",
    renderTable(summary.by_category, [
      { header: "category", value: (c) => c.category },
      { header: "points", value: (c) => c.points },
      { header: "predicted", value: (c) => c.predicted },
      { header: "median |err|", value: (c) => fmtPct(c.median_abs_error) },
      { header: "p90 |err|", value: (c) => fmtPct(c.p90_abs_error) },
      { header: "max |err|", value: (c) => fmtPct(c.max_abs_error) },
    ]),
    "",
    `overall: ${summary.overall.predicted} of ${summary.overall.points} points predicted, median |error| ${fmtPct(summary.overall.median_abs_error)}, p90 ${fmtPct(summary.overall.p90_abs_error)}`,
  ];
  if (rest.length) {
    lines.push("", `not predicted (${rest.length}):`, ...rest.map((r) => `  ${r.status.padEnd(11)} ${r.id}: ${r.reason}`));
  }
  return lines.join("\n");
}
