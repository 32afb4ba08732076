import { aggregateTrials, type ScenarioAggregate } from '../results/aggregate.js';
import { targetNoun } from '../target/target-spec.js';
import type { LatencySummary } from '../load/types.js';
import { metricInfo } from '../results/metrics.js';
import type { ProfiledRun } from '../profile/types.js';
import type { ScenarioOutcome } from '../results/results.js';
import type { ServerHistogram } from '../results/server-metrics.js';
import type { TrialResult } from '../results/trial.js';
import { formatValue } from '../../ci/format/values.js';
import { BASELINE_DASH, COLORS, distributionChart, percentileChart, trialsChart, type ChartSpec, type LatencySide } from './chart-data.js';
import { formatMs, formatRatio, formatSeconds } from './format.js';
import { anchorId, html, type SafeHtml } from './html.js';
import { chartFigure } from './page.js';
import { renderScenarioProfiles } from './render-profiles.js';

/** One measured side of a scenario: this checkout, or the reference (baseline / A). */
export interface ScenarioSide {
  label: string;
  outcome: ScenarioOutcome;
  isReference: boolean;
}

/**
 * The trials a side's pooled numbers come from: its valid trials, or — when none was valid — all
 * of them, so an invalid run can still be diagnosed (and the page says so).
 */
interface PooledSide extends ScenarioSide {
  counted: TrialResult[];
  aggregate: ScenarioAggregate | null;
  fromInvalid: boolean;
}

function pooled(side: ScenarioSide): PooledSide {
  const valid = side.outcome.trials.filter((t) => t.validity.valid);
  if (valid.length > 0 || side.outcome.trials.length === 0)
    return { ...side, counted: valid, aggregate: side.outcome.aggregate, fromInvalid: false };
  const all = side.outcome.trials;
  return { ...side, counted: all, aggregate: aggregateTrials(all.map((t) => ({ ...t, validity: { valid: true } }))), fromInvalid: true };
}

/** A scenario's section: latency charts, trials, server sections, answers, thresholds, profiles. */
export function renderScenario(
  measured: readonly ScenarioSide[],
  profiles: readonly ProfiledRun[],
  charts: ChartSpec[],
  /** The load tool of an imported run (results.imported), which measured latency its own way. */
  importedFrom: string | null = null,
): SafeHtml {
  const sides = measured.map(pooled);
  const main = (sides.find((s) => !s.isReference) ?? sides[0]) as PooledSide;
  const { outcome } = main;
  const { spec } = outcome;
  const id = anchorId('scenario', outcome.name);
  const invalidNote = sides.some((s) => s.fromInvalid) ? 'no trial was valid: all trials are pooled here, for diagnosis only' : null;
  const latencySides: LatencySide[] = sides.map((side) => ({
    label: side.label,
    color: side.isReference ? COLORS.baseline : COLORS.current,
    ...(side.isReference ? { dash: BASELINE_DASH } : {}),
    pooled: side.counted.map((t) => t.client.latencyHistogram),
    trials: side.counted.map((t) => t.client.latencyHistogram),
  }));
  const percentile = percentileChart(`${id}-percentiles`, latencySides);
  const distribution = distributionChart(`${id}-distribution`, latencySides);
  const trials = trialsChart(
    `${id}-trials`,
    sides.map((s) => ({ label: s.label, trials: s.outcome.trials, ...(s.isReference ? { dash: BASELINE_DASH } : {}) })),
  );
  for (const chart of [percentile, distribution, trials]) if (chart) charts.push(chart);

  const load =
    importedFrom !== null
      ? `run by ${importedFrom}: ${spec.load.rateRps} arrivals/s; latency from each request's actual send to its first byte, in whole milliseconds (see the note at the top)`
      : spec.load.model === 'open'
        ? `open model: ${spec.load.rateRps} req/s on a fixed schedule, up to ${spec.load.connections} connections; latency from each request's intended send time`
        : `closed model: ${spec.load.connections} connections, each sending as soon as the last answer arrived`;
  return html`<section id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">Scenario ${outcome.name}</h2>
<p>${spec.description}</p>
<dl class="facts">
<dt>Status</dt><dd>${sides.map((s) => html`${sides.length > 1 ? `${s.label}: ` : ''}<span class="status ${s.outcome.status}">${s.outcome.status}</span>${s.outcome.status === 'invalid' ? ` — ${s.outcome.reason}` : ''}${s.outcome.status === 'errored' ? ` — ${s.outcome.error}` : ''} `)}</dd>
<dt>Load</dt><dd>${load}</dd>
<dt>Trials</dt><dd>${outcome.trials.length} per side × ${formatSeconds(spec.load.durationSeconds)}, after ${formatSeconds(spec.load.warmupSeconds)} of warm-up; measured in ${formatSeconds(outcome.durationSeconds)}</dd>
<dt>Requests</dt><dd>${spec.requests.map((r, i) => html`${i > 0 ? ', ' : ''}<code>${r.method ? `${r.method} ` : ''}${r.path}</code> (${r.name}, weight ${r.weight})`)}</dd>
${
  spec.target.kind === 'command'
    ? html`<dt>Target</dt><dd><code>${spec.target.command.join(' ')}</code> in <code>${spec.target.cwd}</code>${spec.target.metrics ? html`, metrics at <code>${spec.target.metrics.path}</code>` : ' (no metrics endpoint)'}</dd>`
    : html`<dt>Lab flags</dt><dd><code>${spec.serverArgs.join(' ') || '(defaults)'}</code></dd>`
}
<dt>Scenario hash</dt><dd><code>${outcome.hash}</code></dd>
</dl>
${sides.map((s) => (s.outcome.status === 'errored' && s.outcome.labOutput.length > 0 ? html`<details open><summary>${s.label}: the ${targetNoun(spec.target)}'s last output</summary><pre>${s.outcome.labOutput.slice(-20).join('\n')}</pre></details>` : ''))}
<h3>Client latency</h3>
<div class="charts">
${invalidNote ? html`<p class="note">${invalidNote}.</p>` : ''}
${percentile ? chartFigure(percentile, `${outcome.name}: latency by percentile`, sides.some((s) => s.counted.length > 1) ? 'thin lines and shading: the fastest and slowest trial at each percentile' : null, latencyTable(sides)) : html`<p>No trial completed a request: nothing to chart.</p>`}
${distribution ? chartFigure(distribution, `${outcome.name}: latency distribution`, 'share of requests per latency bin, trials pooled', distributionTable(distribution)) : ''}
</div>
<h3>Trial by trial</h3>
${trials ? chartFigure(trials, `${outcome.name}: p50, p95 and p99 of each trial`, sides.length > 1 ? 'dashed: the reference side' : null, null) : ''}
${trialTable(sides)}
<h3>Server side: where the time goes</h3>
${serverTable(sides)}
<h3>Answers</h3>
${correctnessTable(sides)}
${outcome.thresholds.length > 0 ? thresholdTable(outcome) : ''}
${renderScenarioProfiles(profiles)}
</section>`;
}

function latencyTable(sides: readonly PooledSide[]): SafeHtml {
  const rows: Array<[string, (l: LatencySummary) => string]> = [
    ['requests', (l) => String(l.count)],
    ['p50', (l) => formatMs(l.p50Ms)],
    ['p90', (l) => formatMs(l.p90Ms)],
    ['p95', (l) => formatMs(l.p95Ms)],
    ['p99', (l) => formatMs(l.p99Ms)],
    ['p99.9', (l) => formatMs(l.p999Ms)],
    ['max', (l) => formatMs(l.maxMs)],
  ];
  return html`<table><caption>Client latency, trials pooled</caption>
<thead><tr><th scope="col">Statistic</th>${sides.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead>
<tbody>${rows.map(([name, value]) => html`<tr><th scope="row">${name}</th>${sides.map((s) => html`<td class="num">${s.aggregate ? value(s.aggregate.latency) : '–'}</td>`)}</tr>`)}</tbody></table>`;
}

function distributionTable(chart: ChartSpec): SafeHtml {
  return html`<table><caption>Share of requests per latency bin (bin lower edge)</caption>
<thead><tr><th scope="col" class="num">From</th>${chart.series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead>
<tbody>${chart.x.map((edge, i) => html`<tr><td class="num">${formatMs(edge)}</td>${chart.series.map((s) => html`<td class="num">${s.values[i] === null ? '–' : `${s.values[i]}%`}</td>`)}</tr>`)}</tbody></table>`;
}

function trialTable(sides: readonly ScenarioSide[]): SafeHtml {
  const rows = sides
    .flatMap((side) => side.outcome.trials.map((trial) => ({ side, trial })))
    .sort((a, b) => a.trial.index - b.trial.index || a.trial.startedAt.localeCompare(b.trial.startedAt));
  if (rows.length === 0) return html`<p>No trial ran.</p>`;
  const anyInvalid = rows.some(({ trial }) => !trial.validity.valid);
  return html`<div class="table-wrap"><table><caption>Every trial, in the order it ran${sides.length > 1 ? ' (sides interleaved A B B A …)' : ''}</caption>
<thead><tr>${sides.length > 1 ? html`<th scope="col">Side</th>` : ''}<th scope="col" class="num">Trial</th><th scope="col">Valid</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Achieved / target</th><th scope="col" class="num">p50</th><th scope="col" class="num">p95</th><th scope="col" class="num">p99</th><th scope="col" class="num">max</th><th scope="col" class="num">Errors</th><th scope="col" class="num">Server mean</th><th scope="col" class="num">CPU per request</th>${anyInvalid ? html`<th scope="col">Why invalid</th>` : ''}</tr></thead>
<tbody>${rows.map(({ side, trial }) => {
    const c = trial.client;
    return html`<tr>${sides.length > 1 ? html`<td>${side.label}</td>` : ''}<td class="num">${trial.index}</td>
<td>${trial.validity.valid ? html`<span class="status pass">valid</span>` : html`<span class="status invalid">invalid</span>`}</td>
<td class="num">${c.sent}</td><td class="num">${c.achievedRps.toFixed(1)}${c.targetRps !== null ? ` / ${c.targetRps}` : ''} req/s</td>
<td class="num">${formatMs(c.latency.p50Ms)}</td><td class="num">${formatMs(c.latency.p95Ms)}</td><td class="num">${formatMs(c.latency.p99Ms)}</td><td class="num">${formatMs(c.latency.maxMs)}</td>
<td class="num">${formatRatio(trial.errorRatio)}</td><td class="num">${formatMs(trial.server.requests?.meanMs)}</td><td class="num">${formatMs(trial.server.cpuMsPerRequest)}</td>
${anyInvalid ? html`<td>${trial.validity.valid ? '' : html`<span class="muted">${trial.validity.reasons.join('; ')}</span>`}</td>` : ''}</tr>`;
  })}</tbody></table></div>`;
}

/** One row of the server table: exact percentiles where the lab's HDR histograms have them, Prometheus' buckets beside. */
interface ServerRow {
  count: number;
  meanMs: number | null;
  exact: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null } | null;
  bucket: ServerHistogram;
}

function serverTable(sides: readonly PooledSide[]): SafeHtml {
  const withData = sides.filter((s) => s.aggregate);
  if (withData.length === 0) return html`<p>No trial: no server-side data.</p>`;
  const rowsOf = (side: PooledSide): Array<[string, ServerRow]> => {
    const server = side.aggregate?.server;
    if (!server) return [];
    const row = (bucket: ServerHistogram, exact: ServerRow['exact']): ServerRow => ({
      count: bucket.count,
      meanMs: bucket.meanMs,
      exact,
      bucket,
    });
    return [
      ...(server.requests ? [['whole request (http_request_duration_seconds)', row(server.requests, null)] as [string, ServerRow]] : []),
      ...Object.entries(server.sections).map(([name, h]): [string, ServerRow] => [name, row(h, server.exactSections[name] ?? null)]),
    ];
  };
  const p95Of = (r: ServerRow) => r.exact?.p95Ms ?? r.bucket.p95Ms ?? 0;
  const maxP95 = Math.max(0.001, ...withData.flatMap((s) => rowsOf(s).map(([, r]) => p95Of(r))));
  const names = [...new Set(withData.flatMap((s) => rowsOf(s).map(([name]) => name)))];
  const anyExact = withData.some((s) => Object.keys(s.aggregate?.server.exactSections ?? {}).length > 0);
  const mark = (r: ServerRow | undefined) => (r && !r.exact ? html`<span class="muted">*</span>` : '');
  return html`<div class="table-wrap"><table><caption>Server-side timings per section, trials pooled: percentiles from the lab's HDR histograms (microseconds), means from Prometheus _sum/_count (exact), and the p95 Prometheus' histogram_quantile interpolates from the bucket deltas, for parity (bars: p95)</caption>
<thead><tr><th scope="col">Section</th>${withData.length > 1 ? html`<th scope="col">Side</th>` : ''}<th scope="col" class="num">Observations</th><th scope="col" class="num">p50</th><th scope="col" class="num">p95</th><th scope="col" class="num">p99</th><th scope="col" class="num">Mean</th><th scope="col" class="num">p95 from buckets</th><th scope="col">p95, relative</th></tr></thead>
<tbody>${names.flatMap((name) =>
    withData.map((side, i) => {
      const r = rowsOf(side).find(([n]) => n === name)?.[1];
      const shown = r?.exact ?? r?.bucket;
      return html`<tr>${i === 0 ? html`<th scope="row"${withData.length > 1 ? html` rowspan="${withData.length}"` : ''}><code>${name}</code></th>` : ''}${withData.length > 1 ? html`<td>${side.label}</td>` : ''}
<td class="num">${r?.count ?? '–'}</td><td class="num">${formatMs(shown?.p50Ms)}${mark(r)}</td><td class="num">${formatMs(shown?.p95Ms)}${mark(r)}</td><td class="num">${formatMs(shown?.p99Ms)}${mark(r)}</td><td class="num">${formatMs(r?.meanMs)}</td><td class="num">${formatMs(r?.bucket.p95Ms)}</td>
<td><span class="bar${side.isReference ? ' baseline' : ''}" style="width:${Math.round(((r ? p95Of(r) : 0) / maxP95) * 180)}px"></span></td></tr>`;
    }),
  )}</tbody></table></div>
<p class="muted">${anyExact ? '* no HDR histogram for this row: percentiles interpolated from Prometheus buckets. ' : 'This target has no HDR histograms: percentiles are interpolated from Prometheus buckets. '}CPU time per request: ${withData.map((s, i) => html`${i > 0 ? '; ' : ''}${withData.length > 1 ? `${s.label} ` : ''}${formatMs(s.aggregate?.server.cpuMsPerRequest)}`)}.</p>`;
}

function correctnessTable(sides: readonly ScenarioSide[]): SafeHtml {
  const rows = sides.flatMap((side) => side.outcome.correctness.map((v) => ({ side, v })));
  if (rows.length === 0) return html`<p>No response was checked.</p>`;
  return html`<div class="table-wrap"><table><caption>Answers of every response, per request variant: the lab's checksum and payload digest, a service's status and body digest</caption>
<thead><tr>${sides.length > 1 ? html`<th scope="col">Side</th>` : ''}<th scope="col">Variant</th><th scope="col">loop_checksum</th><th scope="col">Payload digest</th><th scope="col">Status</th><th scope="col">Body digest</th><th scope="col">Agreed</th><th scope="col" class="num">Responses</th></tr></thead>
<tbody>${rows.map(
    ({
      side,
      v,
    }) => html`<tr>${sides.length > 1 ? html`<td>${side.label}</td>` : ''}<td>${v.name}</td><td><code>${v.checksum ?? (v.consistent ? '–' : Object.keys(v.checksums).join(' / '))}</code></td>
<td><code>${v.payloadDigest ?? (v.consistent ? '–' : Object.keys(v.payloadDigests).join(' / '))}</code></td>
<td><code>${v.status ?? (v.consistent ? '–' : Object.keys(v.statuses).join(' / '))}</code></td>
<td><code>${v.digest ?? (v.consistent ? '–' : Object.keys(v.digests).join(' / '))}</code></td>
<td>${v.consistent ? html`<span class="status pass">yes</span>` : html`<span class="status fail">NO — responses disagreed</span>`}</td>
<td class="num">${Math.max(...[v.checksums, v.statuses, v.digests].map((counts) => Object.values(counts).reduce((a, b) => a + b, 0)))}</td></tr>`,
  )}</tbody></table></div>`;
}

function thresholdTable(outcome: ScenarioOutcome): SafeHtml {
  return html`<h3>Thresholds</h3>
<div class="table-wrap"><table><caption>Thresholds from the scenario file, checked against the pooled valid trials</caption>
<thead><tr><th scope="col">Metric</th><th scope="col">Rule</th><th scope="col" class="num">Actual</th><th scope="col">Result</th></tr></thead>
<tbody>${outcome.thresholds.map(
    (
      t,
    ) => html`<tr><td><code class="name">${t.metric}</code></td><td><code>${t.expression}</code></td><td class="num">${t.actual === null ? 'no data' : formatValue(t.actual, metricInfo(t.metric)?.unit ?? 'ms')}</td>
<td>${t.pass ? html`<span class="status pass">pass</span>` : html`<span class="status fail">FAIL</span>`}</td></tr>`,
  )}</tbody></table></div>`;
}
