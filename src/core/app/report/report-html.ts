import { factorTableRows } from "./factor-table.js";
import type { ReportData } from "./report-data.js";
import type { ReportFigure } from "./report-figures.js";
import { slug } from "./report-figures.js";

/**
 * The HTML report: one self-contained page (inline CSS and SVG; no script, no CDN, no remote font),
 * readable on a laptop and a phone (fluid width, scrolling tables, scaled charts).
 */
const CSS = `
:root{color-scheme:light}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.2em;margin:1.4em 0 .4em;border-bottom:1px solid #ddd}h3{font-size:1.05em;margin:1em 0 .3em}
.meta{color:#555}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;min-width:100%;background:#fff;font-size:.92em}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}
td.unknown{color:#a33;font-style:italic}
figure{margin:12px 0;background:#fff;border:1px solid #e3e3e3;padding:8px}
figure svg{max-width:100%;height:auto;display:block}
figcaption{color:#555;font-size:.9em;margin-top:4px}
@media (max-width:600px){body{font-size:14px}main{padding:8px}
table.factors,table.factors tbody,table.factors tr,table.factors td{display:block;min-width:0}
table.factors thead{display:none}
table.factors tr{border:1px solid #ddd;margin:0 0 8px;background:#fff}
table.factors td{border:0;border-bottom:1px solid #eee;text-align:left;white-space:normal;display:grid;grid-template-columns:6.5em 1fr;gap:6px}
table.factors td::before{content:attr(data-label);color:#666;font-weight:600}}
`;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * An SVG ready to inline in HTML: namespace declarations dropped (HTML does not need them) and ids
 * prefixed, so two charts' clip paths or markers never collide on one page.
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/ xmlns(:\w+)?="[^"]*"/g, "")
    .replace(/ id="([^"]+)"/g, ` id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

function factorTables(data: ReportData): string {
  const rows = factorTableRows(data.assessment);
  return data.assessment.chips
    .map((c) => {
      const body = rows
        .filter((r) => r.chip === c.chip)
        .map(
          (r) =>
            `<tr><td data-label="factor">${escapeHtml(r.factor)}</td><td data-label="value" class="num${r.known ? "" : " unknown"}">${escapeHtml(r.value)}</td><td data-label="unit">${escapeHtml(r.unit)}</td>` +
            `<td data-label="rank" class="num">${escapeHtml(r.rank)}</td><td data-label="limited by">${escapeHtml(r.limited_by)}</td><td data-label="note">${escapeHtml(r.note)}</td></tr>`,
        )
        .join("\n");
      return `<h3>${escapeHtml(c.name)} <span class="meta">(${escapeHtml(c.chip)})</span></h3>\n<div class="scroll"><table class="factors">\n<thead><tr><th>factor</th><th>value</th><th>unit</th><th>rank</th><th>limited by</th><th>note</th></tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
    })
    .join("\n");
}

export function reportHtml(data: ReportData, figures: readonly ReportFigure[]): string {
  const a = data.assessment;
  const figs = figures.map((f) => `<figure id="${slug(f.file)}">\n${inlineSvg(f.svg, slug(f.file))}\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>`);
  const notes = data.notes.length ? `<h2>Notes</h2>\n<ul>${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : "";
  return [
    "<!doctype html>",
    '<html lang="en">',
    `<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(data.title)}</title>\n<style>${CSS}</style>\n</head>`,
    "<body><main>",
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<p class="meta">Mode: ${escapeHtml(a.mode)} · workload: ${escapeHtml(a.workload)} · chips: ${escapeHtml(a.chips.map((c) => c.chip).join(", "))}</p>`,
    "<h2>Factors</h2>",
    factorTables(data),
    "<h2>Charts</h2>",
    ...figs,
    notes,
    `<p class="meta">Made by xpusim. Values marked unknown lack the data named; they are never taken as zero.</p>`,
    "</main></body>",
    "</html>",
    "",
  ].join("\n");
}
