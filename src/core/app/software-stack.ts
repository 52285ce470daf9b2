import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import { isPlainObject } from "../spec/merge.js";
import type { SoftwareKind, SoftwareSpec, SoftwareUsed as BaseSoftwareUsed } from "../spec/software-spec.js";
import type { Catalog } from "./catalog.js";
import type { ExecutionMode } from "../cost/contract.js";

/**
 * The software stack an estimate runs on: a preset of catalog/software (docs/software.md) with the
 * scenario's overrides. `software:` in a scenario is a preset id or alias, or `{ id, ...overrides }`;
 * absent, the modern stack for the kind, chip and model ({@link defaultSoftwareId}). Every result
 * states the stack it used ({@link SoftwareUsed}).
 */

/** A scenario's `software`: a preset id or alias, or `{ id?, ...settings }` (serving also takes `engine` for `id`). */
export type SoftwareRef = string | Record<string, unknown>;

/** The flat settings an estimate reads (each undefined when neither the preset nor an override sets it). */
export interface EffectiveSoftwareSettings {
  execution?: ExecutionMode;
  flash_attention?: boolean;
  fused_kernels?: boolean;
  dropout?: boolean;
  overlap_grad_reduce?: boolean;
  tp_comm_overlap?: boolean;
  pipeline_schedule?: "1f1b" | "interleaved";
  zero?: number;
  zero_prefetch_layers?: number;
}

/** What every training / inference / serving result says about its stack. */
export type SoftwareUsed = BaseSoftwareUsed & { settings: EffectiveSoftwareSettings & Record<string, unknown> };

export const SOFTWARE_SETTING_KEYS = ["execution", "flash_attention", "fused_kernels", "dropout", "overlap_grad_reduce", "tp_comm_overlap", "pipeline_schedule", "zero", "zero_prefetch_layers"] as const;

/** What decides the default stack. */
export interface SoftwareContext {
  kind: SoftwareKind;
  chip: Pick<Chip, "vendor" | "kind">;
  /** The model's category (decoder-llm, cnn, ...); undefined for op workloads. */
  category?: string;
}

/**
 * The modern stack a typical user runs, by kind, chip and model:
 * - training: TPU → jax-maxtext; CNNs and diffusion U-Nets → pytorch-eager (DeepLearningExamples-style
 *   loops); transformers on NVIDIA/AMD GPUs → megatron-core (NeMo/Megatron-Bridge); Apple → mlx; else deepspeed-zero.
 * - inference and serving: TPU → jax-maxtext; decoder LLMs on GPUs → vllm, on CPUs and Apple chips → llama-cpp;
 *   other models on NVIDIA → tensorrt, on Intel → openvino, else onnxruntime.
 */
export function defaultSoftwareId(c: SoftwareContext): { id: string; why: string } {
  const vendor = c.chip.vendor.toLowerCase();
  const llm = c.category === "decoder-llm";
  const conv = c.category === "cnn" || c.category === "diffusion-unet";
  if (c.chip.kind === "tpu") return { id: "jax-maxtext", why: "default on TPUs (XLA programs)" };
  if (c.kind === "training") {
    if (conv) return { id: "pytorch-eager", why: "default for CNN training (eager PyTorch with AMP, as NVIDIA DeepLearningExamples)" };
    if (c.chip.kind === "gpu" && /nvidia|amd/.test(vendor)) return { id: "megatron-core", why: "default for transformer training on NVIDIA/AMD GPUs (Megatron-Core / NeMo with Transformer Engine)" };
    if (/apple/.test(vendor)) return { id: "mlx", why: "default on Apple chips" };
    return { id: "deepspeed-zero", why: "default for transformer training off NVIDIA/AMD GPUs and TPUs (Hugging Face + DeepSpeed, as Optimum-Habana and vendor plugins run it)" };
  }
  if (llm) {
    if (c.chip.kind === "gpu") return { id: "vllm", why: "default for LLM inference and serving on GPUs" };
    if (c.chip.kind === "cpu" || c.chip.kind === "edge-soc" || /apple/.test(vendor)) return { id: "llama-cpp", why: "default for local LLM inference on CPUs and SoCs" };
    return { id: "vllm", why: "default for LLM inference and serving" };
  }
  if (/nvidia/.test(vendor)) return { id: "tensorrt", why: "default for non-LLM inference on NVIDIA chips" };
  if (/intel/.test(vendor)) return { id: "openvino", why: "default for non-LLM inference on Intel chips" };
  return { id: "onnxruntime", why: "default for non-LLM inference" };
}

/** The setting's value whether written bare or `{ value }`. */
function valueOf(v: unknown): unknown {
  return isPlainObject(v) && "value" in (v as Record<string, unknown>) ? (v as { value: unknown }).value : v;
}

/** The preset's settings as flat values (serving knobs included, under `serving`). */
export function presetSettings(spec: SoftwareSpec): EffectiveSoftwareSettings & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SOFTWARE_SETTING_KEYS) {
    const v = valueOf(spec.settings[k]);
    if (v !== undefined) out[k] = v;
  }
  if (spec.settings.serving) out.serving = Object.fromEntries(Object.entries(spec.settings.serving).map(([k, v]) => [k, valueOf(v)]));
  return out as EffectiveSoftwareSettings & Record<string, unknown>;
}

/** "title (date); title (date)" of the preset's sources. */
export function presetSource(spec: SoftwareSpec): string {
  return Object.values(spec.sources)
    .map((s) => `${s.title} (${s.date})`)
    .join("; ");
}

export interface ResolvedSoftware {
  spec: SoftwareSpec;
  used: SoftwareUsed;
  /** Overrides that are not stack settings (serving engine knobs for kind: serving; otherwise noted). */
  extra: Record<string, unknown>;
  notes: string[];
}

/** The stack of a catalog without software presets: the engine's built-in defaults. */
export const ENGINE_DEFAULTS_STACK: SoftwareSpec = {
  id: "engine-defaults",
  name: "xpusim engine defaults (the catalog has no software presets)",
  aliases: [],
  sources: { "1": { title: "xpusim built-in defaults: graph execution, fused attention, no dropout, overlapped DP reduction", date: "2026" } },
  source: [1],
  applies_to: { kinds: ["training", "inference", "serving"] },
  settings: {},
  not_modelled: [],
};

/**
 * The stack of a request: the preset `ref` names (or the default for `ctx`) with its overrides, and
 * the explicitly stated values of `stated` (the scenario's old booleans and `execution`) on top —
 * stated values always win. An unknown id is E_UNKNOWN_ID at `path` with the closest ids; a preset
 * for another kind is used with a note.
 */
export function resolveSoftware(ref: SoftwareRef | undefined, ctx: SoftwareContext, catalog: Pick<Catalog, "software">, stated: EffectiveSoftwareSettings = {}, path = "software"): ResolvedSoftware {
  const obj: Record<string, unknown> = ref === undefined ? {} : typeof ref === "string" ? { id: ref } : { ...ref };
  const idText = obj.id ?? obj.engine;
  delete obj.id;
  delete obj.engine;
  if (idText !== undefined && typeof idText !== "string") throw new XpusimError(error("E_SCHEMA", `${path}.id`, "a software preset id is a string", { got: JSON.stringify(idText) }));
  const fallback = defaultSoftwareId(ctx);
  const spec = catalog.software ? catalog.software(idText ?? fallback.id, typeof ref === "string" ? path : `${path}.id`) : ENGINE_DEFAULTS_STACK;
  const notes: string[] = [];
  if (!spec.applies_to.kinds.includes(ctx.kind)) notes.push(`software ${spec.id} is a ${spec.applies_to.kinds.join("/")} stack; its settings are applied to this ${ctx.kind} estimate as far as they go`);
  const settings = presetSettings(spec);
  const overridden: string[] = [];
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if ((SOFTWARE_SETTING_KEYS as readonly string[]).includes(k)) {
      settings[k] = v;
      overridden.push(k);
    } else extra[k] = v;
  }
  for (const [k, v] of Object.entries(stated)) {
    if (v === undefined) continue;
    settings[k] = v;
    if (!overridden.includes(k)) overridden.push(k);
  }
  const used: SoftwareUsed = {
    id: spec.id,
    name: spec.name,
    source: presetSource(spec),
    settings,
    why: !catalog.software ? `the catalog has no software presets${idText !== undefined ? ` (${idText} not applied)` : ""}` : idText !== undefined ? "stated" : fallback.why,
    ...(overridden.length ? { overridden } : {}),
    ...(spec.not_modelled.length ? { not_modelled: spec.not_modelled } : {}),
  };
  return { spec, used, extra, notes };
}

/** One line for text output: "software: megatron-core (default for ...; overridden: dropout)". */
export function softwareLine(s: SoftwareUsed): string {
  const set = s.settings;
  const parts = [
    set.execution ? `${set.execution} execution` : undefined,
    set.flash_attention === undefined ? undefined : set.flash_attention ? "fused attention" : "unfused attention",
    set.dropout === undefined ? undefined : `dropout ${set.dropout ? "on" : "off"}`,
    set.overlap_grad_reduce === undefined ? undefined : `DP reduction ${set.overlap_grad_reduce ? "overlapped" : "not overlapped"}`,
  ].filter((x) => x !== undefined);
  return `software: ${s.id} — ${s.name} [${s.why}${s.overridden ? `; overridden: ${s.overridden.join(", ")}` : ""}]${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

/**
 * A serving preset's engine settings for a chip (catalog/software `settings.serving`, with
 * `serving_small_gpu` on chips under `large_gpu_min_bytes` or named in `small_gpu_names`, as vLLM's
 * batch defaults do), plus its execution mode. Undefined when the preset has no serving settings.
 */
export function servingSettingsOf(spec: SoftwareSpec, chip: Pick<Chip, "id" | "name" | "memory"> | undefined): Record<string, unknown> | undefined {
  const st = spec.settings;
  if (!st.serving) return undefined;
  const flat = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, valueOf(v)]));
  const small =
    chip !== undefined &&
    st.serving_small_gpu !== undefined &&
    ((st.large_gpu_min_bytes !== undefined && chip.memory.main.capacity_bytes < st.large_gpu_min_bytes) || (st.small_gpu_names ?? []).some((n) => new RegExp(n, "i").test(`${chip.id} ${chip.name}`)));
  const execution = valueOf(st.execution);
  return { ...flat(st.serving), ...(small ? flat(st.serving_small_gpu!) : {}), ...(execution !== undefined ? { execution } : {}) };
}
