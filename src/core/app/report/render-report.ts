import type { ReportData, RenderedReport } from "./report-data.js";
import { drawReportFigures } from "./report-figures.js";
import { reportHtml } from "./report-html.js";
import { reportMarkdown } from "./report-markdown.js";

/**
 * Renders a report: the charts of its data (SVG), one self-contained HTML page with them inline,
 * and Markdown linking each SVG by file name (`svgPrefix` + name: where the caller writes them).
 * Same data → identical bytes.
 */
export async function renderReport(data: ReportData, options: { svgPrefix?: string } = {}): Promise<RenderedReport> {
  const figures = await drawReportFigures(data);
  return {
    html: reportHtml(data, figures),
    markdown: reportMarkdown(data, figures, options.svgPrefix ?? ""),
    svgs: Object.fromEntries(figures.map((f) => [f.file, f.svg])),
  };
}
