/**
 * `xpusim models [id|file] [--category decoder-llm] [--search llama]`: the model catalog, or one
 * model (catalog id, spec file or Hugging Face config.json) with its parameter counts, KV cache per
 * token and FLOPs per token, and any fields the importer did not understand.
 */
import { type Command, Option } from "commander";
import { catalogJob, MODEL_CATEGORIES, type ModelCategory, modelSummary } from "../../core/app/jobs/catalog-job.js";
import { formatDiagnostic } from "../../core/diagnostics/diagnostic.js";
import { fmtBytes, fmtSi, renderCsv, renderTable } from "../../core/report/table.js";
import { loadModelDetailed } from "../../node/model-catalog.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, json } from "../output.js";

export function registerModelsCommand(program: Command): void {
  program
    .command("models")
    .description("list the model catalog, or show one model (id, spec file or Hugging Face config.json)")
    .argument("[model]", "a model id, spec file or config.json to show")
    .addOption(new Option("--category <c>", "filter by category").choices([...MODEL_CATEGORIES]))
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
      const { rows } = catalogJob.run({ list: "models", category: o.category as ModelCategory | undefined, search: o.search }, nodeCatalog());
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
