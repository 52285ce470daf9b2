import { download, toCsv, toJson } from "./export.js";

export interface ExportSource {
  /** File name stem ("compare-llama-3.1-70b"). */
  name: string;
  json?: () => unknown;
  csv?: () => { header: readonly string[]; rows: ReadonlyArray<ReadonlyArray<unknown>> };
  svg?: () => Promise<string> | string;
}

/** JSON / CSV / SVG download buttons for one result (each shown only when the result has it). */
export function ExportButtons({ source }: { source: ExportSource }) {
  return (
    <div class="exports" role="group" aria-label={`export ${source.name}`}>
      {source.json && (
        <button type="button" data-export="json" onClick={() => download(`${source.name}.json`, toJson(source.json!()), "application/json")}>
          JSON
        </button>
      )}
      {source.csv && (
        <button
          type="button"
          data-export="csv"
          onClick={() => {
            const t = source.csv!();
            download(`${source.name}.csv`, toCsv(t.header, t.rows), "text/csv");
          }}
        >
          CSV
        </button>
      )}
      {source.svg && (
        <button type="button" data-export="svg" onClick={async () => download(`${source.name}.svg`, await source.svg!(), "image/svg+xml")}>
          SVG
        </button>
      )}
    </div>
  );
}
