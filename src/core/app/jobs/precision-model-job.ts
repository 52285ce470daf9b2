import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { FORMATS, type FormatId } from "../../numerics/formats.js";
import type { Accumulate } from "../../numerics/gemm.js";
import { emulateSampledGemm } from "../../numerics/sampled-gemm.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import type { DType } from "../../units/dtype.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import type { FormatSpeed, GemmShape } from "../precision-speed.js";
import { checkAccumulate, chipSpeed, resolveFormats } from "./precision-gemm-job.js";

/**
 * One transformer layer's GEMMs of a catalog model (QKV, attention output, FFN up(+gate), FFN
 * down; sizes from the model spec) in each numeric format, on seeded activations: the inputs of QKV
 * and FFN-up (the normalised hidden state) carry outlier channels (LLM.int8() §4), the others are
 * N(0, 1). Per format: SNR of each GEMM, the worst, and the layer's speed-up on a chip.
 */
export interface PrecisionModelRequest {
  model: SpecRef;
  chip?: SpecRef;
  formats?: readonly string[];
  /** Tokens in flight (rows of every GEMM); default 1024. */
  tokens?: number;
  seed?: number;
  accumulate?: Accumulate;
}

export interface LayerGemm extends GemmShape {
  name: "qkv" | "attn_out" | "ffn_up" | "ffn_down";
  input: "activations with outliers" | "normal";
  emulated: GemmShape;
}

export type PrecisionModelRow = {
  format: FormatId;
  bits_per_value: number;
  snr_db_by_gemm: Record<string, number | null>;
  /** The lowest SNR among the layer's GEMMs. */
  worst_snr_db: number | null;
} & FormatSpeed;

export interface PrecisionModelResult {
  model: string;
  tokens: number;
  seed: number;
  accumulate: Accumulate;
  chip: string | null;
  baseline_dtype: DType | null;
  baseline_latency_s: number | null;
  gemms: LayerGemm[];
  rows: PrecisionModelRow[];
  notes: string[];
}

export const PRECISION_MODEL_DEFAULTS = {
  tokens: 1024,
  seed: 1,
  formats: ["bf16", "fp16", "fp8-e4m3", "fp8-e5m2", "mxfp8-e4m3", "mxfp6-e2m3", "mxfp4", "nvfp4", "int8", "int4"],
} as const;

/** The layer's GEMM shapes from the spec (transformer categories only). */
export function layerGemms(model: ModelSpec, tokens: number, notes: string[]): Array<Omit<LayerGemm, "emulated">> {
  if (model.category !== "decoder-llm" && model.category !== "encoder" && model.category !== "vision-transformer") {
    throw new XpusimError(error("E_UNSUPPORTED", "model", `${model.id} is a ${model.category} model: precision model takes transformer layers (decoder-llm, encoder, vision-transformer)`, { hint: "use `xpusim precision gemm --m --n --k` for other shapes" }));
  }
  const d = model.hidden_size;
  const att = model.attention;
  const kvHeads = att.kv_heads ?? att.heads;
  let qkvN = (att.heads + 2 * kvHeads) * att.head_dim;
  let oK = att.heads * att.head_dim;
  if (att.mla) {
    const mla = att.mla;
    const query = mla.q_lora_rank > 0 ? mla.q_lora_rank : att.heads * att.head_dim;
    qkvN = query + mla.kv_lora_rank + mla.qk_rope_head_dim;
    oK = att.heads * mla.v_head_dim;
    notes.push(
      `MLA: QKV is the GEMM on the hidden state — ${mla.q_lora_rank > 0 ? `the query down-projection (${mla.q_lora_rank})` : "the query projection"} fused with the KV down-projection (latent ${mla.kv_lora_rank} + rope ${mla.qk_rope_head_dim}); the up-projections are not included`,
    );
  }
  const moe = model.category === "decoder-llm" ? model.moe : undefined;
  const inter = moe ? moe.expert_intermediate_size : model.ffn.intermediate_size;
  if (moe) notes.push(`MoE: the FFN is one routed expert (intermediate ${inter}); every token is priced through it`);
  const gated = model.ffn.type === "swiglu" || model.ffn.type === "geglu";
  return [
    { name: "qkv", m: tokens, n: qkvN, k: d, input: "activations with outliers" },
    { name: "attn_out", m: tokens, n: d, k: oK, input: "normal" },
    { name: "ffn_up", m: tokens, n: (gated ? 2 : 1) * inter, k: d, input: "activations with outliers" },
    { name: "ffn_down", m: tokens, n: d, k: inter, input: "normal" },
  ];
}

export const precisionModelJob = defineJob<PrecisionModelRequest, PrecisionModelResult>({
  id: "precision-model",
  summary: "one transformer layer of a catalog model in each numeric format: GEMM SNR on activations with outliers, and the layer speed-up on a chip",
  supports: "decoder-llm, encoder and vision-transformer models (dense, GQA/MQA, MLA, MoE as one expert); every numerics format",
  run(req, catalog) {
    const model = catalog.model(req.model);
    const formats = resolveFormats(req.formats ?? PRECISION_MODEL_DEFAULTS.formats);
    const tokens = req.tokens ?? PRECISION_MODEL_DEFAULTS.tokens;
    if (!Number.isInteger(tokens) || tokens < 1) throw new XpusimError(error("E_RANGE", "tokens", "tokens must be a positive integer", { got: String(req.tokens) }));
    const seed = req.seed ?? PRECISION_MODEL_DEFAULTS.seed;
    const accumulate = checkAccumulate(req.accumulate);
    const notes: string[] = [];
    const shapes = layerGemms(model, tokens, notes);
    const snr: Array<Record<string, number | null>> = formats.map(() => ({}));
    const gemms: LayerGemm[] = shapes.map((g, gi) => {
      const s = emulateSampledGemm({ m: g.m, n: g.n, k: g.k, seed: seed + gi, activations: g.input === "normal" ? "normal" : "llm", budget_macs: 2 ** 22 }, formats, { accumulate });
      s.results.forEach((r, fi) => (snr[fi]![g.name] = r.errors.snr_db));
      return { ...g, emulated: s.emulated };
    });
    const speed = chipSpeed(req.chip, catalog, formats, shapes, notes);
    const rows = formats.map((format, i) => {
      const values = Object.values(snr[i]!);
      const worst = values.some((v) => v === null) ? null : Math.min(...(values as number[]));
      return { format, bits_per_value: FORMATS[format].bits_per_value, snr_db_by_gemm: snr[i]!, worst_snr_db: worst, ...speed.rows[i]! };
    });
    notes.push("errors from a sample of each GEMM's output (all of K); speed-ups for the full shapes; weights N(0, 1/K), activations seeded");
    return { model: model.id, tokens, seed, accumulate, chip: speed.chip, baseline_dtype: speed.baseline?.dtype ?? null, baseline_latency_s: speed.baseline?.latency_s ?? null, gemms, rows, notes };
  },
});
