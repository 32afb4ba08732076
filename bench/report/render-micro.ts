import type { GateReport } from '../../ci/gate/types.js';
import { microKey } from '../results/metrics.js';
import { microSummaryMetrics, type MicroOutcome } from '../results/micro-outcome.js';
import { anchorId, html, type SafeHtml } from './html.js';
import { scenarioVerdict } from './render-gate.js';

/** One side of a micro scenario: this checkout, or the reference (baseline / A). */
export interface MicroSideView {
  label: string;
  outcome: MicroOutcome;
}

const formatNs = (ns: number | undefined) =>
  ns === undefined
    ? '–'
    : ns < 1_000
      ? `${ns.toFixed(0)} ns`
      : ns < 1_000_000
        ? `${(ns / 1_000).toFixed(1)} µs`
        : `${(ns / 1e6).toFixed(2)} ms`;
const formatCount = (n: number | undefined) => (n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));

/**
 * A micro scenario's section: per task and side, wall time per operation (median over trials, and
 * the trials' range), instructions per operation, the answer; then where the instructions went
 * when a count regressed.
 */
export function renderMicro(sides: readonly MicroSideView[], gate: GateReport | null): SafeHtml {
  const main = sides[sides.length - 1] as MicroSideView;
  const { outcome } = main;
  const { spec } = outcome;
  const verdict = scenarioVerdict(gate, outcome.name);
  const summaries = sides.map((s) => microSummaryMetrics(s.outcome.trials, s.outcome.instructions));
  const problems = sides.flatMap((s) => [
    ...(s.outcome.status === 'errored' ? [`${s.label}: ${s.outcome.error}`] : []),
    ...s.outcome.instructions.flatMap((c) =>
      c.status === 'skipped'
        ? [`${s.label}: instruction counts skipped: ${c.reason}`]
        : c.status === 'errored'
          ? [`${s.label}: ${c.task}: ${c.error}`]
          : [],
    ),
  ]);
  return html`<section id="${anchorId('scenario', outcome.name)}" aria-labelledby="${anchorId('scenario', outcome.name)}-title">
<h2 id="${anchorId('scenario', outcome.name)}-title">${outcome.name} <span class="muted">micro-benchmarks</span>${verdict ? html` <span class="status ${verdict === 'answers changed' ? 'fail' : verdict}">${verdict}</span>` : ''}</h2>
<p>${spec.description}</p>
<p class="muted">${outcome.trials.length} timing trial(s) per side, ${spec.timing.secondsPerTrial} s per task each (tinybench, one sample per operation, each trial in a fresh process, trials of the sides interleaved)${spec.instructions.enabled ? '; instructions per operation counted by callgrind with deterministic V8 flags, start-up and warm-up cut off by markers' : ''}.</p>
${problems.length > 0 ? html`<div class="note" role="note"><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
<div class="table-wrap"><table><caption>Per task and side: wall time per operation (median of the trials' medians, and their range), instructions per operation, and the answer one operation returned</caption>
<thead><tr><th scope="col">Task</th><th scope="col">Size</th>${sides.map((s) => html`<th scope="col" class="num">${s.label} time/op</th><th scope="col" class="num">${s.label} trial range</th><th scope="col" class="num">${s.label} instructions/op</th><th scope="col">${s.label} answer</th>`)}</tr></thead>
<tbody>${spec.tasks.map(({ task, size }) => {
    const key = microKey(task, 'ns_per_op');
    return html`<tr><th scope="row">${task}</th><td><code>${Object.entries(size)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}</code></td>${sides.map((s, i) => {
      const times = s.outcome.trials.flatMap((t) => (t.metrics[key] !== undefined ? [t.metrics[key] as number] : []));
      const answer = s.outcome.answers.find((a) => a.task === task)?.digest ?? null;
      return html`<td class="num">${formatNs(summaries[i]?.[key])}</td><td class="num">${times.length > 1 ? `${formatNs(Math.min(...times))} – ${formatNs(Math.max(...times))}` : '–'}</td><td class="num">${formatCount(summaries[i]?.[microKey(task, 'instructions_per_op')])}</td><td>${answer === null ? html`<span class="muted">none</span>` : html`<code>${answer.slice(0, 19)}</code>`}</td>`;
    })}</tr>`;
  })}</tbody></table></div>
${renderTops(sides)}
${outcome.thresholds.length > 0 ? html`<h3>Thresholds</h3><ul>${outcome.thresholds.map((t) => html`<li><code>${t.metric} ${t.expression}</code>: ${t.actual === null ? 'no data' : String(Number(t.actual.toPrecision(6)))} <span class="status ${t.pass ? 'pass' : 'fail'}">${t.pass ? 'pass' : 'FAIL'}</span></li>`)}</ul>` : ''}
</section>`;
}

function renderTops(sides: readonly MicroSideView[]): SafeHtml | string {
  const tasks = [...new Set(sides.flatMap((s) => s.outcome.topFunctions.map((t) => t.task)))];
  if (tasks.length === 0) return '';
  return html`<h3>Where the instructions went</h3>
<p class="muted">For each task whose count regressed: the costliest functions of its measured operations, by self instructions (a separate callgrind run with V8's perf map, so JIT code has names).</p>
${tasks.map(
  (
    task,
  ) => html`<h4>${task}</h4><div class="table-wrap"><table><thead><tr><th scope="col">Side</th><th scope="col">Function</th><th scope="col" class="num">Self instructions</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>${sides.flatMap((s) => {
    const entry = s.outcome.topFunctions.find((t) => t.task === task);
    if (entry === undefined) return [];
    if (entry.top.length === 0)
      return [html`<tr><th scope="row">${s.label}</th><td colspan="3" class="muted">${entry.note ?? 'not measured'}</td></tr>`];
    return entry.top.map(
      (f) =>
        html`<tr><th scope="row">${s.label}</th><td><code class="name">${f.name}</code></td><td class="num">${formatCount(f.selfIr)}</td><td class="num">${(f.share * 100).toFixed(1)}%</td></tr>`,
    );
  })}</tbody></table></div>`,
)}`;
}
