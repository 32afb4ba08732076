import type { ChartSpec } from './chart-data.js';
import { html, inlineJson, inlineScript, raw, type SafeHtml } from './html.js';
import { REPORT_CSS } from './styles.js';

/** What every page inlines so it opens offline, from file://: the chart library and our script. */
export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
  clientJs: string;
}

/**
 * A complete, self-contained HTML document. Charts are drawn from `charts` by the page script;
 * a page without charts needs no assets and carries no script.
 */
export function renderPage(options: { title: string; assets: ReportAssets | null; body: SafeHtml; charts: readonly ChartSpec[] }): string {
  const { title, assets, body, charts } = options;
  const scripts =
    charts.length > 0 && assets
      ? html`<script type="application/json" id="report-data">${inlineJson({ charts })}</script>
<script>${inlineScript(assets.uplotJs)}</script>
<script>${inlineScript(assets.clientJs)}</script>`
      : '';
  return `${html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="metric-lab bench report">
<title>${title}</title>
${assets && charts.length > 0 ? html`<style>${raw(assets.uplotCss)}</style>` : ''}
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
${body}
${scripts}
</body>
</html>`}\n`;
}

/** A chart's place in the page: a labelled figure whose numbers are also in the table that follows. */
export function chartFigure(spec: ChartSpec, caption: string, note: string | null, dataTable: SafeHtml | null): SafeHtml {
  return html`<figure>
<figcaption>${caption}${note ? html` <span class="muted">— ${note}</span>` : ''}</figcaption>
<div class="chart" id="${spec.id}" role="img" aria-label="${`${spec.title}. ${caption}. x axis: ${spec.xLabel}; y axis: ${spec.yLabel}. The numbers are in the table below the chart.`}"></div>
${dataTable ? html`<details><summary>${caption}: data table</summary><div class="table-wrap">${dataTable}</div></details>` : ''}
</figure>`;
}
