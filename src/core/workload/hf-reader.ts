import { type Diagnostic, error } from "../diagnostics/diagnostic.js";
import type { ModelSpecInput } from "../spec/model-spec.js";

/** Typed field access to a Hugging Face config.json, shared by the importer's family modules. */

export type Json = Record<string, unknown>;

/** A decoder spec being assembled by the importer. */
export type DecoderInput = ModelSpecInput & { category: "decoder-llm" };

export const MEANING: Record<string, string> = {
  hidden_size: "the model width d", n_embd: "the model width d",
  intermediate_size: "the FFN intermediate size per matrix", n_inner: "the FFN intermediate size",
  num_hidden_layers: "the number of layers", n_layer: "the number of layers",
  num_attention_heads: "the number of query heads", n_head: "the number of heads",
  vocab_size: "the vocabulary size (embedding rows)",
  max_position_embeddings: "the context length (rows of a learned position table)", n_positions: "the rows of the learned position table",
  image_size: "the input image size in pixels", patch_size: "the patch size in pixels",
  q_lora_rank: "the MLA query rank", kv_lora_rank: "the MLA KV latent rank", qk_nope_head_dim: "the MLA no-RoPE head dim",
  qk_rope_head_dim: "the MLA RoPE head dim", v_head_dim: "the MLA value head dim",
  n_routed_experts: "the number of routed experts", num_local_experts: "the number of experts",
  num_experts_per_tok: "the experts each token is routed to", moe_intermediate_size: "the expert FFN size",
};

/** Reads fields with type checks, collecting errors instead of stopping at the first. */
export class Reader {
  readonly errors: Diagnostic[] = [];
  constructor(private readonly cfg: Json, private readonly family: string, private readonly file?: string) {}

  private fail(path: string, message: string, got: unknown, expected: string): void {
    const meaning = MEANING[path];
    this.errors.push(
      error("E_SCHEMA", path, message, {
        expected,
        got: got === undefined ? "nothing" : JSON.stringify(got),
        hint: `${this.family} configs state ${meaning ?? `"${path}"`} here${got === undefined ? "; add it to the config" : ""}`,
        ...(this.file ? { file: this.file } : {}),
      }),
    );
  }

  has(key: string): boolean {
    return this.cfg[key] !== undefined && this.cfg[key] !== null;
  }

  /** A positive integer; required unless a default is given. */
  int(key: string, fallback?: number): number {
    const v = this.cfg[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      this.fail(key, "required field is missing", undefined, "a positive integer");
      return 1;
    }
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
      this.fail(key, "expected a positive integer", v, "a positive integer");
      return 1;
    }
    return v;
  }

  /** A non-negative integer (0 allowed), with a default. */
  count(key: string, fallback: number): number {
    const v = this.cfg[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      this.fail(key, "expected a non-negative integer", v, "an integer ≥ 0");
      return fallback;
    }
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.cfg[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") {
      this.fail(key, "expected true or false", v, "a boolean");
      return fallback;
    }
    return v;
  }

  str(key: string): string | undefined {
    const v = this.cfg[key];
    return typeof v === "string" ? v : undefined;
  }

  num(key: string): number | undefined {
    const v = this.cfg[key];
    return typeof v === "number" ? v : undefined;
  }
}

export function estimated(path: string, message: string, at: { file?: string }): Diagnostic {
  return { code: "W_ESTIMATED", severity: "warning", path, message, ...at };
}

/** transformers activation names → the activation of the MLP. */
export function hfAct(name: string): "silu" | "gelu" | "relu" {
  if (name === "silu" || name === "swish") return "silu";
  if (name === "relu") return "relu";
  return "gelu";
}

