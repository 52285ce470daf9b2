import { parseUnit } from "../units/quantity.js";
import { num } from "./point-config.js";
import type { FpgaPrediction, PointContext, ValidationResult } from "./validation-result.js";

/** What each FPGA metric reads from the design's evaluation (SI units). */
const FPGA_METRICS: Record<string, (f: FpgaPrediction) => number> = {
  throughput: (f) => f.ops_per_s,
  ops_per_s: (f) => f.ops_per_s,
  peak_throughput: (f) => f.peak_ops_per_s,
  peak_ops_per_s: (f) => f.peak_ops_per_s,
  images_per_s: (f) => f.throughput_per_s,
  latency: (f) => f.latency_s,
  dsp_efficiency: (f) => f.dsp_efficiency,
  power: (f) => f.power_w,
};

/** The FPGA job request keys a point's config may carry, as the job reads them. */
const PASSED = ["model", "layers", "scope", "dtype", "tm", "tn", "tp", "tr", "tc", "dsp_budget", "dsp_clock_ratio", "batch", "image_size", "pipeline_depth"] as const;

/**
 * A published FPGA accelerator result (category `fpga`): the point's design runs through the FPGA model
 * (src/core/fpga, the roofline method of Zhang FPGA'15), injected by the application layer (validate does
 * not depend on core/fpga). config: model or layers ("conv:M=…,N=…,R=…,C=…,K=…,S=…,repeats=…"), scope
 * (conv | all), dtype, clock ("100 MHz"), an explicit design (tm, tn) or a search limited to the published
 * DSP count (dsp_budget), dsp_clock_ratio (2 for a double-pumped DPU), batch. Metrics: throughput (GOP/s or
 * img/s by unit), peak_throughput, latency, dsp_efficiency, power.
 */
export function validateFpgaPoint(pc: PointContext): ValidationResult {
  const { p, cfg } = pc;
  if (!pc.chip.fpga) return pc.unsupported(`field "hardware": ${pc.chip.id} has no fpga: resource section`);
  const unit = parseUnit(p.unit);
  const metric = p.metric === "throughput" && unit?.dimension === "samples_per_s" ? "images_per_s" : p.metric;
  const read = FPGA_METRICS[metric];
  if (!read) return pc.unsupported(`metric "${p.metric}" is not understood for fpga: use one of ${Object.keys(FPGA_METRICS).join(", ")}`);
  if (!pc.r.fpga) return pc.unsupported("this front end gives the harness no FPGA model (run it through `xpusim validate`, the validation job)");
  const request: Record<string, unknown> = { chip: pc.chip.id };
  for (const k of PASSED) if (cfg[k] !== undefined) request[k] = cfg[k];
  const clock = typeof cfg.clock === "string" ? parseClock(cfg.clock) : num(cfg.clock_mhz) !== undefined ? num(cfg.clock_mhz)! * 1e6 : undefined;
  if (typeof cfg.clock === "string" && clock === undefined) return pc.unsupported(`field "config.clock": "${cfg.clock}" is not a frequency (write "100 MHz")`);
  if (clock !== undefined) request.clock_hz = clock;
  const f = pc.r.fpga(request);
  for (const n of f.notes) pc.assumptions.push(n);
  if (!f.feasible) return pc.unsupported(`the design does not fit ${pc.chip.id}: ${f.reason ?? "infeasible"}`);
  return pc.ok(read(f));
}

function parseClock(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([kMG]?Hz)\s*$/.exec(text);
  if (!m) return undefined;
  const u = parseUnit(m[2]!);
  return u?.dimension === "hz" ? Number(m[1]) * u.factor : undefined;
}
