/**
 * `xpusim models [id|file] [--category decoder-llm] [--search llama]`: the model catalog, or one
 * model (catalog id, spec file or Hugging Face config.json) with its parameter counts, KV cache per
 * token and FLOPs per token, and any fields the importer did not understand.
 */
import { type Command, Option } from "commander";
import { formatDiagnostic } from "../../core/diagnostics/diagnostic.js";
import { fmtBytes, fmtSi, renderCsv, renderTable } from "../../core/report/table.js";
import type { ModelSpec } from "../../core/spec/model-spec.js";
import { attentionFlopsPerContextToken, flopsPerTokenForwardLinear, kvCacheBytesPerToken, modelParams } from "../../core/workload/build-workload.js";
import { loadAllModels, loadModelDetailed } from "../../node/model-catalog.js";
import { emit, formatOf, json } from "../output.js";

export function modelSummary(m: ModelSpec) {
  const p = modelParams(m);
  const llm = m.category === "decoder-llm";
  return {
    id: m.id,
    name: m.name,
    category: m.category,
    family: m.family,
    params_total: p.params_total,
    params_active: p.params_active,
    params_non_embedding: p.params_non_embedding,
    layers: "layers" in m && typeof m.layers === "number" ? m.layers : undefined,
    hidden_size: "hidden_size" in m && typeof m.hidden_size === "number" ? m.hidden_size : undefined,
    max_context: llm ? m.max_context : undefined,
    kv_cache_bytes_per_token_bf16: llm ? kvCacheBytesPerToken(m, "bf16") : undefined,
    flops_per_token_forward_linear: flopsPerTokenForwardLinear(m),
    flops_per_token_forward_attention_per_context_token: attentionFlopsPerContextToken(m),
    weights_bytes_bf16: p.params_total * 2,
  };
}

export function registerModelsCommand(program: Command): void {
  program
    .command("models")
    .description("list the model catalog, or show one model (id, spec file or Hugging Face config.json)")
    .argument("[model]", "a model id, spec file or config.json to show")
    .addOption(new Option("--category <c>", "filter by category").choices(["decoder-llm", "encoder", "vision-transformer", "cnn", "diffusion-unet"]))
    .option("--search <text>", "filter: id or name contains this text")
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action((id: string | undefined, o: { category?: string; search?: string; json?: boolean; csv?: boolean }) => {
      const format = formatOf(o);
      if (id) {
        const loaded = loadModelDetailed(id);
        const summary = modelSummary(loaded.spec);
        if (format === "json") return emit(json({ ...summary, spec: loaded.spec, warnings: loaded.warnings }));
        if (format === "csv") return emit(renderCsv([summary]));
        const lines = [
          `${summary.name}  (${summary.id}, ${summary.category}${loaded.source === "catalog" ? "" : `, from ${loaded.source} ${loaded.file ?? ""}`})`,
          `parameters          ${summary.params_total.toLocaleString("en-US")}${summary.params_active !== summary.params_total ? ` (${summary.params_active.toLocaleString("en-US")} active per token)` : ""}`,
          `non-embedding       ${summary.params_non_embedding.toLocaleString("en-US")}`,
          `weights (bf16)      ${fmtBytes(summary.weights_bytes_bf16)}`,
          ...(summary.kv_cache_bytes_per_token_bf16 !== undefined ? [`KV cache per token  ${fmtBytes(summary.kv_cache_bytes_per_token_bf16)} (bf16, all layers)`] : []),
          ...(summary.flops_per_token_forward_linear !== undefined ? [`forward FLOPs/token ${fmtSi(summary.flops_per_token_forward_linear)} + ${fmtSi(summary.flops_per_token_forward_attention_per_context_token)} per attended token`] : []),
          ...(summary.layers ? [`layers × width      ${summary.layers} × ${summary.hidden_size}`] : []),
          ...(loaded.warnings.length ? ["", ...loaded.warnings.map(formatDiagnostic)] : []),
        ];
        return emit(lines.join("\n"));
      }
      let models = loadAllModels();
      if (o.category) models = models.filter((m) => m.category === o.category);
      if (o.search) {
        const q = o.search.toLowerCase();
        models = models.filter((m) => m.id.includes(q) || m.name.toLowerCase().includes(q));
      }
      const rows = models.map(modelSummary);
      if (format === "json") return emit(json(rows));
      if (format === "csv") return emit(renderCsv(rows));
      emit(
        renderTable(rows, [
          { header: "id", value: (r) => r.id },
          { header: "category", value: (r) => r.category, align: "left" },
          { header: "params", value: (r) => fmtSi(r.params_total) },
          { header: "active", value: (r) => (r.params_active !== r.params_total ? fmtSi(r.params_active) : "") },
          { header: "layers", value: (r) => r.layers },
          { header: "width", value: (r) => r.hidden_size },
          { header: "KV/token", value: (r) => (r.kv_cache_bytes_per_token_bf16 !== undefined ? fmtBytes(r.kv_cache_bytes_per_token_bf16) : "") },
          { header: "context", value: (r) => r.max_context },
        ]) + `\n\n${rows.length} models. \`xpusim models <id>\` for one; a Hugging Face config.json path works too.`,
      );
    });
}
