import type { AssessResult } from "../../assess/factor.js";
import type { ArchitectureInput, BreakdownInput, CostBreakdownInput, PrecisionChartInput, RooflineInput, ScalingChartInput, TimelineInput } from "../../charts/index.js";

/**
 * What a report shows: an assessment and the data of its charts, as plain JSON (what
 * `xpusim report --json` prints and what `renderReport` draws). Every chart section is optional;
 * a section left out is simply not drawn (the report's notes say why, e.g. a chip without a TDP).
 * The report job fills every one from the engine's models (jobs/report-job.ts).
 */
export interface ReportCharts {
  /** One diagram per chip (the slice of the normalised chip the diagram reads). */
  architectures?: ArchitectureInput[];
  /** One roofline per chip with the workload's ops placed on it. */
  rooflines?: RooflineInput[];
  /** Time of one pass per chip, stacked by op kind. */
  time_breakdown?: BreakdownInput;
  /** Memory per chip, stacked by component (weights, KV cache, activations, …). */
  memory_breakdown?: BreakdownInput;
  /** Energy per chip, stacked by phase or component. */
  energy_breakdown?: BreakdownInput;
  /** Scaling efficiency against chip count, one series per chip (training: the scalability factor's weak-scaling curve). */
  scaling?: ScalingChartInput;
  /** Power and junction temperature over time, burst → sustained, one chart per chip (power model on the assessment's estimate and conditions). */
  power_timelines?: TimelineInput[];
  /** Numeric error against speed-up per format, one colour per chip (precision-gemm job on the model's largest layer GEMM). */
  precision?: PrecisionChartInput;
  /** Cost of the unit of work per chip by component, summing to the cost factor's value (money model). */
  cost?: CostBreakdownInput;
}

export interface ReportData {
  /** The report's heading. */
  title: string;
  assessment: AssessResult;
  charts: ReportCharts;
  /** Lines the reader should know (a chart that could not be drawn and why). */
  notes: string[];
}

/** A rendered report: the HTML page (charts inline), the Markdown (charts referenced as files) and each chart's SVG by file name. */
export interface RenderedReport {
  html: string;
  markdown: string;
  /** File name (e.g. "roofline-nvidia-h100-sxm.svg") → SVG; the Markdown links these names. */
  svgs: Record<string, string>;
}

/** The slice of a chip the architecture diagram draws (kept small in the JSON). */
export function architectureOf(chip: ArchitectureInput): ArchitectureInput {
  const { id, name, vendor, kind, clock_hz, compute_units, unit_name, matrix, vector, memory, interconnect, power } = chip;
  return {
    id,
    name,
    vendor,
    kind,
    ...(clock_hz !== undefined ? { clock_hz } : {}),
    compute_units,
    unit_name,
    matrix,
    vector,
    memory,
    interconnect,
    ...(power?.tdp_w !== undefined ? { power: { tdp_w: power.tdp_w } } : {}),
  };
}
