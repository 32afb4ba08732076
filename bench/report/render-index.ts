import { exitCodeFor } from '../results/exit-codes.js';
import type { BenchResults } from '../results/results.js';
import { trendChart, type ChartSpec } from './chart-data.js';
import { formatMs, formatSeconds, formatTimestamp } from './format.js';
import { anchorId, html } from './html.js';
import { chartFigure, renderPage, type ReportAssets } from './page.js';

/** What the across-runs page needs from one run. */
export interface RunDigest {
  /** Folder name under reports/ (the run id). */
  dir: string;
  runId: string;
  startedAt: string;
  durationSeconds: number;
  mode: string;
  exitCode: number;
  exitReason: string;
  commit: string | null;
  dirty: boolean | null;
  scenarios: Array<{ name: string; hash: string; status: string; p95Ms: number | null; p99Ms: number | null }>;
}

export type RunEntry = { status: 'ok'; digest: RunDigest } | { status: 'unreadable'; dir: string; reason: string };

export function digestRun(results: BenchResults, dir: string): RunDigest {
  const exit = exitCodeFor(results);
  return {
    dir,
    runId: results.runId,
    startedAt: results.startedAt,
    durationSeconds: results.durationSeconds,
    mode: results.gate
      ? {
          against: `A/B vs ${results.reference?.ref ?? 'ref'}`,
          calibrate: 'A/A calibration',
          baseline: 'vs baselines',
          report: `imported, vs ${results.reference?.ref ?? 'another report'}`,
        }[results.gate.mode]
      : 'plain',
    exitCode: exit.code,
    exitReason: exit.reason,
    commit: results.environment.git.commit,
    dirty: results.environment.git.dirty,
    scenarios: results.scenarios.map((s) => ({
      name: s.name,
      hash: s.hash,
      status: s.status,
      p95Ms: s.aggregate?.latency.p95Ms ?? null,
      p99Ms: s.aggregate?.latency.p99Ms ?? null,
    })),
  };
}

/** `reports/index.html`: every run, newest first, and each scenario's p95/p99 over time (pure). */
export function renderRunsIndex(entries: readonly RunEntry[], assets: ReportAssets): string {
  const digests = entries.flatMap((e) => (e.status === 'ok' ? [e.digest] : [])).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const unreadable = entries.filter((e): e is Extract<RunEntry, { status: 'unreadable' }> => e.status === 'unreadable');
  const names = [...new Set(digests.flatMap((d) => d.scenarios.map((s) => s.name)))].sort();
  const charts: ChartSpec[] = [];

  const trends = names.map((name) => {
    const points = digests.flatMap((d) => {
      const s = d.scenarios.find((x) => x.name === name);
      return s ? [{ digest: d, scenario: s, startedAtSeconds: Date.parse(d.startedAt) / 1000, p95Ms: s.p95Ms, p99Ms: s.p99Ms }] : [];
    });
    const chart = trendChart(anchorId('trend', name), name, points);
    if (!chart) return '';
    charts.push(chart);
    const hashes = new Set(points.map((p) => p.scenario.hash));
    const table = html`<table><caption>${name}: pooled client latency per run</caption>
<thead><tr><th scope="col">Run</th><th scope="col">Started</th><th scope="col" class="num">p95</th><th scope="col" class="num">p99</th><th scope="col">Scenario hash</th></tr></thead>
<tbody>${points.map((p) => html`<tr><td><a href="${p.digest.dir}/index.html">${p.digest.runId}</a></td><td>${formatTimestamp(p.digest.startedAt)}</td><td class="num">${formatMs(p.p95Ms)}</td><td class="num">${formatMs(p.p99Ms)}</td><td><code>${p.scenario.hash.slice(0, 12)}</code></td></tr>`)}</tbody></table>`;
    return html`<section aria-labelledby="${anchorId('trend', name)}-title"><h3 id="${anchorId('trend', name)}-title">${name}</h3>
${chartFigure(chart, `${name}: client p95 and p99 per run`, hashes.size > 1 ? `the scenario's definition changed between runs (${hashes.size} different hashes): compare like with like` : `${points.length} run(s)`, table)}</section>`;
  });

  const body = html`<header class="page">
<h1>metric-lab bench runs</h1>
<p class="muted">${digests.length} run(s) in this folder. Each run's own report has the details; latency compares only between runs on the same machine.</p>
</header>
<main>
<section id="runs" aria-labelledby="runs-title">
<h2 id="runs-title">Runs, newest first</h2>
<div class="table-wrap"><table><caption>Every run with a results.json</caption>
<thead><tr><th scope="col">Run</th><th scope="col">Started</th><th scope="col" class="num">Took</th><th scope="col">Mode</th><th scope="col">Outcome</th><th scope="col">Commit</th><th scope="col">Scenarios (client p95)</th></tr></thead>
<tbody>${[...digests].reverse().map(
    (
      d,
    ) => html`<tr><th scope="row"><a href="${d.dir}/index.html">${d.runId}</a></th><td>${formatTimestamp(d.startedAt)}</td><td class="num">${formatSeconds(d.durationSeconds)}</td><td>${d.mode}</td>
<td><span class="status ${d.exitCode === 0 ? 'pass' : 'fail'}">exit ${d.exitCode}</span> <span class="muted">${d.exitReason}</span></td>
<td>${d.commit ? html`<code>${d.commit.slice(0, 10)}</code>${d.dirty ? ' (dirty)' : ''}` : '–'}</td>
<td>${d.scenarios.map((s, i) => html`${i > 0 ? ', ' : ''}${s.name} ${s.status === 'ok' ? formatMs(s.p95Ms) : html`<span class="status ${s.status}">${s.status}</span>`}`)}</td></tr>`,
  )}</tbody></table></div>
${unreadable.length > 0 ? html`<p class="note">Skipped ${unreadable.length} folder(s) without a readable results.json: ${unreadable.map((u, i) => html`${i > 0 ? '; ' : ''}<code>${u.dir}</code> (${u.reason})`)}</p>` : ''}
</section>
<section id="trends" aria-labelledby="trends-title">
<h2 id="trends-title">Trends: client p95 and p99 per scenario</h2>
${names.length === 0 ? html`<p>No runs yet: run <code>npm run bench</code>.</p>` : trends}
</section>
</main>
<footer class="page">Generated by metric-lab. Self-contained: charts by uPlot, inlined; works offline.</footer>`;
  return renderPage({ title: 'metric-lab bench runs', assets, body, charts });
}
