/**
 * What a command says when a calibration overlay is in use (`xpusim --calibration <file> ...`):
 * `--json` results gain a `calibration` field (the file and the error band of the result's
 * category), text output ends with a line naming the overlay and that band.
 */
import { type CalibrationInfo, calibrationInfo } from "../core/app/calibrated-catalog.js";
import { fmtPct } from "../core/report/table.js";
import { activeCalibration, setActiveCalibration } from "../node/calibration-state.js";

/** The measured-results category a command's predictions belong to (where one fits all its results). */
const COMMAND_CATEGORY: Record<string, string> = { op: "gemm", train: "llm_training", scale: "llm_training", serve: "llm_inference", plan: "llm_inference" };

let command: string | undefined;

/** Called before the command runs: loads the overlay named by --calibration (the schemas load only then) and remembers the command. */
export async function startCalibration(file: string | undefined, commandName: string): Promise<void> {
  command = commandName;
  if (file === undefined) return setActiveCalibration(undefined);
  const { useCalibration } = await import("../node/calibration-file.js");
  useCalibration(file);
}

/** Forgets the overlay of an earlier command line (in-process callers run several). */
export function clearCalibration(): void {
  setActiveCalibration(undefined);
  command = undefined;
}

/** Scenario result kinds (`estimate`) and their category. */
const KIND_CATEGORY: Record<string, string> = { training: "llm_training", inference: "llm_inference", serving: "llm_inference" };

/** The category of a result: by command, else by its `kind` or what it holds (a training step or an inference). */
function categoryOf(value: unknown): string | undefined {
  if (command !== undefined && COMMAND_CATEGORY[command]) return COMMAND_CATEGORY[command];
  const kind = value && typeof value === "object" ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind === "string" && KIND_CATEGORY[kind]) return KIND_CATEGORY[kind];
  const op = (value as { op?: unknown }).op;
  if (kind === "op" && typeof op === "string" && op.startsWith("gemm")) return "gemm";
  const keys = value && typeof value === "object" ? Object.keys(value) : [];
  if (keys.some((k) => /^(step_time|mfu|iteration)/.test(k))) return "llm_training";
  if (keys.some((k) => /^(ttft|tpot|time_to_first|decode|prefill|tokens_per_s)/.test(k))) return "llm_inference";
  return undefined;
}

/** The `calibration` field for a result, when an overlay is in use. */
export function calibrationField(value: unknown): CalibrationInfo | undefined {
  const c = activeCalibration();
  return c ? calibrationInfo(c.overlay, c.file, categoryOf(value)) : undefined;
}

/** A JSON result with the `calibration` field added (objects only; arrays and results that have one are left as they are). */
export function withCalibrationField(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value) || "calibration" in value) return value;
  const field = calibrationField(value);
  return field ? { ...value, calibration: field } : value;
}

/** The line text output ends with while an overlay is in use. */
export function calibrationLine(): string | undefined {
  const c = activeCalibration();
  if (!c) return undefined;
  const category = command !== undefined ? COMMAND_CATEGORY[command] : undefined;
  const band = category !== undefined ? c.overlay.error_bands.find((b) => b.category === category) : undefined;
  const from = c.overlay.measured_file ? ` (fitted to ${c.overlay.measured_file})` : "";
  const bands = c.overlay.error_bands.map((b) => `${b.category} ${fmtPct(b.median_abs_error)}`).join(", ");
  const bandText = band ? `; ${band.category} error band: median ${fmtPct(band.median_abs_error)}, p90 ${fmtPct(band.p90_abs_error)}` : bands ? `; median error bands: ${bands}` : "";
  return `calibration in use: ${c.file}${from}${bandText}`;
}
