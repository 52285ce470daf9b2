/**
 * Model names as papers and benchmark tables write them ("LLaMA-65B", "PaLM 540B", "Llama 2 70B
 * (chat)", "meta-llama/Llama-3.3-70B-Instruct") matched to catalog models: the name is reduced to a
 * loose key (lower case, organisation prefix, parenthesised remarks and fine-tune suffixes dropped,
 * separators removed) and compared with the keys of every catalog id, name and alias (Hugging Face
 * names), and of the names in catalog/validation/model-names.yaml. A fine-tuned variant (chat,
 * instruct) has its base model's architecture, so it is read as the base, and the result says so.
 */

/** Fine-tune and packaging suffixes that leave the architecture unchanged. */
const VARIANT = /[\s_-]+(instruct|chat|hf|base|it|sft|rlhf|dpo|fp16|bf16)$/i;

export interface ModelKey {
  key: string;
  /** What was dropped to reach the key ("(chat)", "-Instruct"), for the assumption. */
  dropped: string[];
}

/** "meta-llama/Llama-2-70b-chat-hf" → { key: "llama270b", dropped: ["-hf", "-chat"] }. */
export function modelKey(text: string): ModelKey {
  const dropped: string[] = [];
  let t = text.trim().replace(/^[\w.-]+\/(?=[^/]+$)/, "");
  t = t.replace(/\s*\(([^)]*)\)/g, (m) => {
    dropped.push(m.trim());
    return "";
  });
  let m: RegExpMatchArray | null;
  while ((m = t.match(VARIANT))) {
    dropped.push(m[0].trim());
    t = t.slice(0, m.index);
  }
  return { key: t.toLowerCase().replace(/[^a-z0-9.]+/g, ""), dropped };
}

export interface NamedModel {
  /** The catalog id the name resolves to. */
  id: string;
  /** Names that mean it: the id, its display name, aliases, or a model-names.yaml key. */
  names: readonly string[];
}

export type NameMatch = { id: string; assumption?: string } | { reason: string };

/** The catalog model a written name means, with the assumption made; else the reason and the fix. */
export function matchModelName(text: string, models: readonly NamedModel[]): NameMatch {
  const { key, dropped } = modelKey(text);
  if (key) {
    for (const m of models) {
      if (m.names.some((n) => modelKey(n).key === key)) {
        const exact = m.names.includes(text) || m.id === text;
        if (exact) return { id: m.id };
        const why = dropped.length ? `; ${dropped.join(", ")} dropped: a fine-tuned or packaged variant has its base model's architecture` : "";
        return { id: m.id, assumption: `model "${text}" read as catalog model ${m.id}${why}` };
      }
    }
  }
  const family = key.match(/^[a-z]+/)?.[0] ?? "";
  const near = family.length >= 3 ? models.map((m) => m.id).filter((id) => modelKey(id).key.startsWith(family)).slice(0, 6) : [];
  const slug = text.toLowerCase().replace(/\s*\([^)]*\)/g, "").replace(/^[\w.-]+\//, "").replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "");
  return {
    reason:
      `field "model": "${text}" is not in the catalog${near.length ? ` (its family there: ${near.join(", ")})` : ""}; ` +
      `add catalog/models/${slug}.yaml, map the name to a same-shape model in catalog/validation/model-names.yaml, ` +
      `or give the architecture in the point's config: model_config (a Hugging Face config.json object or an xpusim model spec) or model_dims ("h=…,L=…,heads=…,ffn=…")`,
  };
}
