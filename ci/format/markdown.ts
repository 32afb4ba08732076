import type { DifferentialProfile } from '../../bench/profile/types.js';
import type { GateReport } from '../gate/types.js';
import { correctnessSentence, modeTitle } from './gate-table.js';
import {
  formatChange,
  formatInterval,
  formatValue,
  machineSkipSentence,
  notableMetricNotes,
  tabulatedMetrics,
  verdictLabel,
} from './values.js';

/**
 * The gate as Markdown: for $GITHUB_STEP_SUMMARY and PR comments. `differentials` (profiles of
 * regressed scenarios, bench/profile) add a "where the time went" section.
 */
export function formatGateMarkdown(report: GateReport, runId: string, differentials: readonly DifferentialProfile[] = []): string {
  const s = report.summary;
  const headline =
    s.outcome === 'pass'
      ? `### Performance gate passed`
      : s.outcome === 'correctness-regression'
        ? `### Performance gate FAILED: answers changed`
        : `### Performance gate FAILED: ${s.regressions} regression(s)`;
  const lines = [headline, '', `Run \`${runId}\`, ${modeTitle(report)}.`];
  if (report.machineNote) lines.push('', `> ${report.machineNote}`);
  const failures = report.correctness.filter((c) => c.status === 'changed' || c.status === 'inconsistent' || c.status === 'missing');
  if (failures.length > 0) {
    lines.push('', '#### Correctness', '');
    for (const c of failures)
      lines.push(`- **${c.scenario} / ${c.variant}**: ${correctnessSentence(c)}${c.fasterButWrong ? ' — **faster, but wrong**' : ''}`);
  }
  const machineSkips = machineSkipSentence(report);
  if (machineSkips) lines.push('', `${machineSkips}.`);
  const rows = tabulatedMetrics(report);
  if (rows.length > 0)
    lines.push(
      '',
      '| scenario | metric | baseline | current | change | 95% interval | allowed | verdict |',
      '|---|---|---:|---:|---:|---|---:|---|',
    );
  for (const m of rows) {
    const verdict = m.verdict === 'regression' ? '**REGRESSION**' : verdictLabel(m);
    lines.push(
      `| ${m.scenario} | \`${m.metric}\` | ${formatValue(m.baselineValue, m.unit)} | ${formatValue(m.currentValue, m.unit)} | ${formatChange(m)} | ${formatInterval(m)} | ${m.allowed} | ${verdict} |`,
    );
  }
  const notes = notableMetricNotes(report);
  if (notes.length > 0) {
    lines.push('', '<details><summary>Notes</summary>', '');
    for (const m of notes) lines.push(`- ${m.scenario} \`${m.metric}\`: ${m.note}`);
    lines.push('', '</details>');
  }
  lines.push(
    '',
    `${s.regressions} regression(s) · ${s.correctnessFailures} correctness failure(s) · ${s.improvements} improvement(s) · ${s.inconclusive} inconclusive · ${s.passed} pass · ${s.skipped} skipped. ` +
      `Verdicts: one-sided Mann–Whitney on trial values, Holm-corrected at α = ${report.alpha}; a regression also needs its Hodges–Lehmann estimate beyond the allowed change.`,
  );
  if (differentials.length > 0) lines.push('', ...formatDifferentials(differentials));
  return `${lines.join('\n')}\n`;
}

const DIFFERENTIAL_ROWS = 5;

/** The functions whose share of CPU samples grew most in each regressed scenario. */
function formatDifferentials(differentials: readonly DifferentialProfile[]): string[] {
  const lines = ['#### Where the time went (differential CPU profiles)', ''];
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const points = (change: number) => `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)} pp`;
  for (const d of differentials) {
    if (d.status === 'unavailable') {
      lines.push(`- **${d.scenario}**: no differential profile: ${d.reason}`, '');
      continue;
    }
    const side = (s: typeof d.baseline) => `${s.label}${s.commit ? ` \`${s.commit.slice(0, 12)}\`` : ''}`;
    const page = d.files.find((f) => f.kind === 'differential-html')?.path;
    lines.push(`**${d.scenario}**: ${side(d.baseline)} → ${side(d.current)}${page ? ` (in the run's folder: \`${page}\`)` : ''}`, '');
    for (const note of d.notes) lines.push(`> ${note}`, '');
    if (d.bySelf.length === 0) {
      lines.push('No function gained self time.', '');
      continue;
    }
    lines.push('| function | location | self share | change | total share | change |', '|---|---|---:|---:|---:|---:|');
    for (const r of d.bySelf.slice(0, DIFFERENTIAL_ROWS)) {
      lines.push(
        `| \`${r.functionName}\` | \`${r.location || '(native)'}\` | ${percent(r.baseline.selfShare)} → ${percent(r.current.selfShare)} | ${points(r.selfShareChange)} | ${percent(r.baseline.totalShare)} → ${percent(r.current.totalShare)} | ${points(r.totalShareChange)} |`,
      );
    }
    lines.push('');
  }
  lines.push('Shares are of busy (non-idle) CPU samples, from separate profiled runs (never timed) with `--no-turbo-inlining`.');
  return lines;
}
