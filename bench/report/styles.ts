/**
 * The report's stylesheet. Light theme with body text at ~15:1 contrast and muted text at ≥ 7:1;
 * status is always written out as a word, never only a colour.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a525c; --line: #d0d7de; --soft: #f4f6f8;
  --pass: #1e6b30; --fail: #a3161c; --warn: #7a4d00; --accent: #0f5499; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  color: var(--ink); background: #fff; line-height: 1.5; }
header.page, main, footer.page { max-width: 1280px; margin: 0 auto; padding: 0 1.25rem; }
header.page { padding-top: 1.5rem; padding-bottom: 0.5rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.75rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.4rem; margin: 2.25rem 0 0.75rem; padding-top: 0.5rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
p, li, dd { max-width: 80ch; }
a { color: var(--accent); }
a:focus-visible, summary:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
.muted { color: var(--muted); }
.outcome { font-size: 1.1rem; font-weight: 600; padding: 0.5rem 0.75rem; border-left: 6px solid var(--muted); background: var(--soft); }
.outcome.ok { border-color: var(--pass); }
.outcome.bad { border-color: var(--fail); }
nav.toc ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none; padding: 0; margin: 0.75rem 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; color: var(--muted); caption-side: top; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.55rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.status { font-weight: 700; }
span.status { white-space: nowrap; }
.status.pass, .status.ok, .status.same, .status.improvement { color: var(--pass); }
.status.fail, .status.regression, .status.errored, .status.changed, .status.inconsistent, .status.missing, .status.invalid { color: var(--fail); }
.status.inconclusive, .status.skipped, .status.added, .status.unavailable { color: var(--warn); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; overflow-wrap: anywhere; }
code.name { white-space: nowrap; overflow-wrap: normal; }
code.path { overflow-wrap: normal; word-break: normal; }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-weight: 600; margin-bottom: 0.35rem; }
figcaption .muted { font-weight: 400; }
.chart { width: 100%; min-height: 300px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 0 2rem; }
details { margin: 0.5rem 0 1rem; }
summary { cursor: pointer; color: var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.bar { display: inline-block; height: 0.7rem; background: var(--accent); vertical-align: middle; margin-right: 0.4rem; min-width: 1px; }
.bar.baseline { background: #b4440c; }
.note { border-left: 4px solid var(--warn); background: #fff8e6; padding: 0.4rem 0.75rem; }
.error { border-left: 4px solid var(--fail); background: #fdeced; padding: 0.4rem 0.75rem; }
pre { background: var(--soft); padding: 0.5rem 0.75rem; overflow-x: auto; font-size: 0.85rem; }
.interval svg { display: block; }
.uplot { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.uplot .u-legend { font-size: 0.85rem; text-align: left; }
.uplot .u-legend .u-marker { width: 1.1em; height: 0.35em; }
footer.page { margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; }
@media print { nav.toc { display: none; } .chart { break-inside: avoid; } }
`;
