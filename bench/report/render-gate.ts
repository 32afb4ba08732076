import type { CalibrationReport } from '../../ci/gate/calibration.js';
import type { GateReport, MetricGateResult } from '../../ci/gate/types.js';
import { correctnessSentence, modeTitle, outcomeWords } from '../../ci/format/gate-table.js';
import {
  formatFractionPercent,
  formatChange,
  formatInterval,
  formatValue,
  looksSentence,
  machineSkipSentence,
  methodSentence,
  tabulatedMetrics,
  verdictLabel,
} from '../../ci/format/values.js';
import { anchorId, html, raw, type SafeHtml } from './html.js';

/** The gate's verdicts: baseline vs current per metric, with the change's interval drawn against the allowance. */
export function renderGate(gate: GateReport): SafeHtml {
  const s = gate.summary;
  const correctness = gate.correctness.filter((c) => c.status !== 'same');
  const same = gate.correctness.length - correctness.length;
  return html`<section id="gate" aria-labelledby="gate-title">
<h2 id="gate-title">Regression gate</h2>
<p>Compared ${modeTitle(gate)}. ${methodSentence(gate)}</p>
${gate.machineNote ? html`<p class="note">${gate.machineNote}</p>` : ''}
${machineSkipSentence(gate) ? html`<p>${machineSkipSentence(gate)}.</p>` : ''}
<p class="status ${s.outcome === 'pass' ? 'pass' : 'fail'}">Gate ${outcomeWords(s.outcome)} — ${s.regressions} regression(s), ${s.correctnessFailures} correctness failure(s), ${s.improvements} improvement(s), ${s.inconclusive} inconclusive, ${s.passed} pass, ${s.skipped} skipped, ${s.invalid} invalid.</p>
${looksSentence(gate) ? html`<p>${capitalise(looksSentence(gate) ?? '')}.</p>` : ''}
${gate.confirmedByRerun.length > 0 ? html`<p>Suspected regressions were re-run once to confirm: ${gate.confirmedByRerun.join(', ')}.</p>` : ''}
<div class="table-wrap"><table>
<caption>Baseline against current, per scenario and metric (medians of trial values; change = Hodges–Lehmann estimate with its 95% interval)</caption>
<thead><tr><th scope="col">Scenario</th><th scope="col">Metric</th><th scope="col" class="num">Baseline</th><th scope="col" class="num">Current</th><th scope="col" class="num">Change</th><th scope="col">95% interval (bar) vs allowed (red line)</th><th scope="col" class="num">Allowed</th><th scope="col">Verdict</th><th scope="col" class="num">p (Holm)</th><th scope="col" class="num">Trials</th></tr></thead>
<tbody>
${tabulatedMetrics(gate).map(
  (m) => html`<tr>
<td><a href="#${anchorId('scenario', m.scenario)}">${m.scenario}</a></td><td><code class="name">${m.metric}</code></td>
<td class="num">${formatValue(m.baselineValue, m.unit)}</td><td class="num">${formatValue(m.currentValue, m.unit)}</td>
<td class="num">${formatChange(m)}</td>
<td class="interval">${intervalGraphic(m)}<span class="muted">${formatInterval(m)}</span></td>
<td class="num">${m.allowed}</td>
<td><span class="status ${m.verdict}">${verdictLabel(m)}</span>${m.note && m.verdict !== 'pass' ? html`<br><span class="muted">${m.note}</span>` : ''}</td>
<td class="num">${m.pWorseAdjusted === null ? '–' : m.pWorseAdjusted < 0.0001 ? '< 0.0001' : m.pWorseAdjusted.toFixed(4)}</td>
<td class="num">${m.baselineTrials} / ${m.currentTrials}</td>
</tr>`,
)}
</tbody></table></div>
${
  correctness.length > 0
    ? html`<div class="table-wrap"><table><caption>Answers (checksums, digests, statuses) against the baseline</caption>
<thead><tr><th scope="col">Scenario</th><th scope="col">Variant</th><th scope="col">Status</th><th scope="col">Detail</th></tr></thead>
<tbody>${correctness.map(
        (c) =>
          html`<tr><td>${c.scenario}</td><td>${c.variant}</td><td><span class="status ${c.status}">${c.status}</span></td><td>${correctnessSentence(c)}${c.fasterButWrong ? html` — <strong>faster, but wrong</strong>` : ''}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
${same > 0 ? html`<p>${same} variant(s) gave the same answers as the baseline.</p>` : ''}
</section>`;
}

/**
 * The change's 95% interval as a bar on a signed-percent axis, with zero and the allowed change
 * marked; an unbounded end runs to the edge. Text beside it carries the same numbers.
 */
export function intervalGraphic(m: MetricGateResult): SafeHtml | '' {
  const interval = m.intervalPercent;
  if (!interval || m.changePercent === null) return '';
  const allowed = allowedPercent(m.allowed);
  const ends = [interval.low, interval.high, m.changePercent, allowed, allowed === null ? null : -allowed].filter(
    (v): v is number => v !== null,
  );
  const span = Math.min(200, Math.max(5, ...ends.map((v) => Math.abs(v) * 1.15)));
  const width = 180;
  const height = 26;
  const xOf = (percent: number) => Math.round(((Math.max(-span, Math.min(span, percent)) + span) / (2 * span)) * (width - 10) + 5);
  const low = xOf(interval.low ?? -span);
  const high = xOf(interval.high ?? span);
  const label = `change ${formatChange(m)}, 95% interval ${formatInterval(m)}${allowed !== null ? `, allowed ${m.allowed}` : ''}; axis ±${span.toFixed(0)}%`;
  const color = m.verdict === 'regression' ? '#a3161c' : m.verdict === 'improvement' ? '#1e6b30' : '#0f5499';
  return raw(
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label.replace(/"/g, '&quot;')}">` +
      `<line x1="5" y1="13" x2="${width - 5}" y2="13" stroke="#8c959f" stroke-width="1"/>` +
      `<line x1="${xOf(0)}" y1="4" x2="${xOf(0)}" y2="22" stroke="#1b1f24" stroke-width="1"/>` +
      (allowed !== null
        ? `<line x1="${xOf(allowed)}" y1="2" x2="${xOf(allowed)}" y2="24" stroke="#a3161c" stroke-width="2" stroke-dasharray="3 2"/>`
        : '') +
      `<line x1="${low}" y1="13" x2="${high}" y2="13" stroke="${color}" stroke-width="6" stroke-linecap="butt" opacity="0.75"/>` +
      `<circle cx="${xOf(m.changePercent)}" cy="13" r="4.5" fill="#fff" stroke="${color}" stroke-width="2.5"/>` +
      `</svg>`,
  );
}

/** "+10%" -> 10, "-5%" -> -5; absolute allowances ("+0.01") have no percent: null. */
export function allowedPercent(allowed: string): number | null {
  const match = /^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$/.exec(allowed);
  return match ? Number(match[1]) : null;
}

export function renderCalibration(calibration: CalibrationReport): SafeHtml {
  return html`<section id="calibration" aria-labelledby="calibration-title">
<h2 id="calibration-title">Noise calibration (A/A)</h2>
<p>The same code on both sides: how much this machine's trials vary, and the smallest regression the gate can detect with these trials (α = ${calibration.alpha} over a family of ${calibration.familySize} comparisons, 80% power).</p>
<div class="table-wrap"><table><caption>Noise per scenario and gated metric</caption>
<thead><tr><th scope="col">Scenario</th><th scope="col">Metric</th><th scope="col" class="num">Noise (CV)</th><th scope="col" class="num">Trials per side</th><th scope="col" class="num">Smallest detectable regression</th><th scope="col" class="num">Allowed</th><th scope="col" class="num">Trials per side to detect the allowed change</th><th scope="col" class="num">Margin that passes this code in 95% of runs</th><th scope="col" class="num">Change that margin catches in 95%</th></tr></thead>
<tbody>${calibration.rows.map(
    (
      r,
    ) => html`<tr><td>${r.scenario}</td><td><code class="name">${r.metric}</code></td><td class="num">${(r.sigmaLog * 100).toFixed(1)}%</td><td class="num">${r.trialsPerSide}</td>
<td class="num">${r.minimumDetectableRegression === null ? 'none with these trials' : `+${(r.minimumDetectableRegression * 100).toFixed(1)}%`}</td><td class="num">${formatFractionPercent(r.allowedRegression)}</td><td class="num">${r.trialsNeededForAllowed}</td>
<td class="num">${r.proposedMargin === null ? 'paired trials only' : formatFractionPercent(r.proposedMargin)}</td><td class="num">${formatFractionPercent(r.caughtWithProposed)}</td></tr>`,
  )}</tbody></table></div>
</section>`;
}

/** The worst verdict a scenario got, for the summary table. */
export function scenarioVerdict(gate: GateReport | null, scenario: string): string | null {
  if (!gate) return null;
  if (
    gate.correctness.some(
      (c) => c.scenario === scenario && (c.status === 'changed' || c.status === 'inconsistent' || c.status === 'missing'),
    )
  )
    return 'answers changed';
  const verdicts = new Set(gate.metrics.filter((m) => m.scenario === scenario).map((m) => m.verdict));
  for (const verdict of ['regression', 'invalid', 'inconclusive', 'improvement', 'pass', 'skipped'] as const)
    if (verdicts.has(verdict)) return verdict;
  return null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
