/**
 * Writes catalog/models/<id>.yaml for every entry of the reference table
 * (../shared/reference/models.json): the architecture fields the graph builders read, the sources
 * and the published figures as printed. CNN layer lists are written in the papers' compact form
 * (ResNet stages, MobileNetV2 t/c/n/s rows) or copied row by row (AlexNet, VGG-16).
 *
 *   npx tsx scripts/generate-model-catalog.ts [path/to/models.json]
 *
 * The YAML files are the reviewed data; this script only saves retyping. After running it, the
 * workload tests check every recomputed parameter count against the table.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Document, isMap, isSeq, YAMLMap } from "yaml";
import { modelParams } from "../src/core/workload/model-params.js";
import { parseModelSpec } from "../src/core/spec/model-spec.js";

type J = Record<string, any>;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = process.argv[2] ?? join(root, "..", "shared", "reference", "models.json");
const entries = JSON.parse(readFileSync(src, "utf8")) as J[];

const FFN: Record<string, string> = { gelu_mlp: "gelu", relu_mlp: "relu", swiglu: "swiglu", geglu: "geglu" };

function common(m: J, category: string): J {
  const published: J = {};
  if (m.params_total_published) published.params_total = String(m.params_total_published);
  if (m.params_active_published) published.params_active = String(m.params_active_published);
  if (m.macs_published) published.macs = String(m.macs_published);
  for (const [k, v] of Object.entries((m.published_other ?? {}) as J)) published[k] = typeof v === "string" ? v : JSON.stringify(v);
  const o: J = { id: m.id, name: m.name, category };
  // Hugging Face repository names are aliases ("meta-llama/Meta-Llama-3.1-8B").
  const aliases = ((m.sources ?? []) as J[])
    .filter((s) => s.kind === "hf-config")
    .map((s) => /huggingface\.co\/([\w.\-]+\/[\w.\-]+)/.exec(String(s.ref))?.[1])
    .filter((a): a is string => Boolean(a));
  if (aliases.length) o.aliases = aliases;
  if (m.family) o.family = m.family;
  if (m.year) o.year = m.year;
  if (Object.keys(published).length) o.published = published;
  if (m.derivation) o.derivation = m.derivation;
  if (m.notes) o.notes = m.notes;
  return o;
}

function transformerParts(m: J): { attention: J; ffn: J; norm: J } {
  const lb = m.linear_bias ?? {};
  const attention: J = { heads: m.attention_heads };
  if (!m.mla) attention.kv_heads = m.kv_heads;
  attention.head_dim = m.head_dim;
  if (lb.qkv) attention.qkv_bias = true;
  if (lb.o) attention.o_bias = true;
  if (m.sliding_window) {
    attention.sliding_window = { window: m.sliding_window.window, layers: m.sliding_window.layers === "all" ? "all" : "alternating" };
    if (m.sliding_window.note) attention.sliding_window.note = m.sliding_window.note;
  }
  if (m.mla) {
    const { q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim, v_head_dim } = m.mla;
    attention.mla = { q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim, v_head_dim };
  }
  if (m.special_attention) attention.note = m.special_attention;
  const ffn: J = { type: FFN[m.ffn_type], intermediate_size: m.ffn_intermediate_size };
  if (lb.mlp) ffn.bias = true;
  const placement = String(m.norm_placement ?? "pre");
  const norm: J = {
    type: m.norm_type,
    placement: placement.startsWith("post") ? "post" : m.norms_per_layer === 4 ? "sandwich" : "pre",
    per_layer: m.norms_per_layer,
  };
  // PaLM: "no biases anywhere", its LayerNorms included (models.md §10.5).
  if (m.id === "palm-540b") norm.bias = false;
  return { attention, ffn, norm };
}

function learnedRows(m: J, extra = 0): number {
  const rows = (m.params_embedding_input - m.vocab_size * m.hidden_size - extra) / m.hidden_size;
  if (!Number.isInteger(rows)) throw new Error(`${m.id}: learned position rows not integral`);
  return rows;
}

function decoder(m: J): J {
  const o = common(m, "decoder-llm");
  const { attention, ffn, norm } = transformerParts(m);
  const pe = String(m.position_embedding);
  const position: J = pe.startsWith("learned") ? { type: "learned", learned_rows: learnedRows(m) } : { type: "rope" };
  if (m.rope_theta) position.rope_theta = m.rope_theta;
  const scaling = pe.replace(/^RoPE\s*/, "").replace(/^\+\s*/, "").replace(/^\((.*)\)$/, "$1");
  if (position.type === "rope" && scaling && scaling !== pe) position.scaling = scaling;
  if (position.type === "rope" && pe !== "RoPE" && !position.scaling) position.scaling = pe;
  Object.assign(o, {
    layers: m.layers, hidden_size: m.hidden_size, vocab_size: m.vocab_size, max_context: m.max_context,
    tied_embeddings: m.tied_embeddings,
  });
  if (m.parallel_attn_mlp) o.parallel_attn_mlp = true;
  Object.assign(o, { position, attention, ffn });
  if (m.moe) {
    const moe: J = { experts: m.moe.num_experts, top_k: m.moe.top_k };
    if (m.moe.shared_experts) moe.shared_experts = m.moe.shared_experts;
    moe.expert_intermediate_size = m.moe.expert_ffn_size;
    if (m.moe.dense_layers?.length) moe.first_dense_layers = m.moe.dense_layers.length;
    if (/aux-loss-free bias/.test(m.moe.router ?? "")) moe.router_bias = true;
    if (m.moe.router) moe.router = m.moe.router;
    o.moe = moe;
  }
  o.norm = norm;
  if (m.mtp) o.mtp = { modules: m.mtp.num_modules, counted_in_params_total: false, note: m.mtp.note };
  if (m.training_tokens) o.training_tokens = m.training_tokens;
  return o;
}

function encoder(m: J): J {
  const o = common(m, "encoder");
  const { attention, ffn, norm } = transformerParts(m);
  const typeRows = 2;
  const lnParams = 2 * m.hidden_size;
  Object.assign(o, {
    layers: m.layers, hidden_size: m.hidden_size, vocab_size: m.vocab_size, max_context: m.max_context, type_vocab_size: typeRows,
    position: { type: "learned", learned_rows: learnedRows(m, typeRows * m.hidden_size + lnParams) },
    attention, ffn, norm: { ...norm, final: false }, embedding_norm: true, pooler: true,
  });
  return o;
}

function vit(m: J): J {
  const o = common(m, "vision-transformer");
  const { attention, ffn, norm } = transformerParts(m);
  const d = m.hidden_size;
  const classes = m.params_lm_head_untied / (d + 1);
  Object.assign(o, { image_size: 224, patch_size: 16, channels: 3, layers: m.layers, hidden_size: d, attention, ffn, norm, class_token: true, num_classes: classes });
  return o;
}

const conv = (name: string, out: number, kernel: number, stride: number, pad: number, x: J = {}): J => ({ type: "conv", name, out, kernel, stride, pad, ...x });

function cnnLayers(m: J): J[] {
  const table = (m.layers_table ?? []) as J[];
  switch (m.id) {
    case "resnet-50":
      return [
        conv("conv1", 64, 7, 2, 3, { bn: true, act: "relu" }),
        { type: "maxpool", name: "maxpool", kernel: 3, stride: 2, pad: 1 },
        { type: "bottleneck", name: "layer1", blocks: 3, width: 64, stride: 1 },
        { type: "bottleneck", name: "layer2", blocks: 4, width: 128, stride: 2 },
        { type: "bottleneck", name: "layer3", blocks: 6, width: 256, stride: 2 },
        { type: "bottleneck", name: "layer4", blocks: 3, width: 512, stride: 2 },
        { type: "adaptive_avgpool", name: "avgpool", out: 1 },
        { type: "linear", name: "fc", out: 1000 },
      ];
    case "mobilenet-v2": {
      const rows: J[] = [conv("features.0", 32, 3, 2, 1, { bn: true, act: "relu6" })];
      let index = 1;
      for (const [t, c, n, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]] as const) {
        rows.push({ type: "inverted_residual", name: "features", index_from: index, expansion: t, out: c, repeat: n, stride: s });
        index += n;
      }
      rows.push(conv(`features.${index}`, 1280, 1, 1, 0, { bn: true, act: "relu6" }));
      rows.push({ type: "adaptive_avgpool", name: "avgpool", out: 1 });
      rows.push({ type: "linear", name: "classifier.1", out: 1000 });
      return rows;
    }
    case "alexnet":
    case "vgg-16": {
      const rows: J[] = [];
      const linears = table.filter((r) => r.type === "linear");
      for (const r of table) {
        if (r.type === "conv") rows.push(conv(r.name, r.out_ch, r.kernel, r.stride, r.pad, { bias: true, act: "relu" }));
        else if (r.type === "maxpool") rows.push({ type: "maxpool", name: r.name, kernel: r.kernel, stride: r.stride, pad: r.pad });
        else if (r.type === "linear") {
          if (r === linears[0]) rows.push({ type: "adaptive_avgpool", name: "avgpool", out: m.id === "alexnet" ? 6 : 7 });
          rows.push({ type: "linear", name: r.name, in: r.in_ch, out: r.out_ch, act: r === linears[linears.length - 1] ? "none" : "relu" });
        }
      }
      return rows;
    }
    default:
      throw new Error(`no layer list for ${m.id}`);
  }
}

function cnn(m: J): J {
  const o = common(m, "cnn");
  o.input = { channels: 3, image_size: 224 };
  o.layers = cnnLayers(m);
  return o;
}

function unet(m: J): J {
  const c = m.config;
  const o = common(m, "diffusion-unet");
  Object.assign(o, {
    in_channels: c.in_channels, out_channels: c.out_channels, sample_size: c.sample_size, vae_scale_factor: 8,
    block_out_channels: c.block_out_channels, layers_per_block: c.layers_per_block,
    down_block_types: c.down_block_types, up_block_types: c.up_block_types,
    attention_heads: c.attention_heads_effective, cross_attention_dim: c.cross_attention_dim, text_tokens: c.text_tokens,
    norm_num_groups: c.norm_num_groups, ff_mult: 4,
  });
  if (m.per_image_cost_note) o.notes = [o.notes, m.per_image_cost_note].filter(Boolean).join(" ");
  return o;
}

const FLOW_KEYS = new Set(["position", "ffn", "norm", "mla", "sliding_window", "input", "mirror", "block_out_channels", "down_block_types", "up_block_types"]);

function toYaml(o: J, header: string): string {
  const doc = new Document(o);
  doc.commentBefore = header;
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = String((pair.key as { value?: unknown }).value ?? pair.key);
      const v = pair.value;
      if (FLOW_KEYS.has(key) && (isMap(v) || isSeq(v))) v.flow = true;
      if (key === "layers" && isSeq(v)) for (const it of v.items) if (isMap(it)) it.flow = true;
      if (key === "attention" && isMap(v)) for (const p of v.items) if (FLOW_KEYS.has(String((p.key as { value?: unknown }).value)) && isMap(p.value)) (p.value as YAMLMap).flow = true;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

let written = 0;
for (const m of entries) {
  let o: J;
  if (m.category === "decoder-llm" || m.category === "decoder-llm-moe") o = decoder(m);
  else if (m.category === "encoder") o = encoder(m);
  else if (m.category === "encoder-vision") o = vit(m);
  else if (m.category === "cnn") o = cnn(m);
  else if (m.category === "diffusion-unet") o = unet(m);
  else throw new Error(`unknown category ${m.category}`);
  o.sources = m.sources;
  const spec = parseModelSpec(o, m.id);
  const p = modelParams(spec);
  if (p.params_total !== m.params_total) throw new Error(`${m.id}: params_total ${p.params_total} != ${m.params_total}`);
  const header =
    ` ${m.name}. Generated from shared/reference/models.json by scripts/generate-model-catalog.ts.\n` +
    ` Recomputed from these fields: params_total ${p.params_total.toLocaleString("en-US")}` +
    (p.params_active !== p.params_total ? `, params_active ${p.params_active.toLocaleString("en-US")}` : "") + ".";
  writeFileSync(join(root, "catalog", "models", `${m.id}.yaml`), toYaml(o, header));
  written++;
}
console.log(`wrote ${written} model files to catalog/models/`);
