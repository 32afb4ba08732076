import type { GateReport } from '../gate/types.js';
import { correctnessSentence, modeTitle } from './gate-table.js';
import {
  formatChange,
  formatInterval,
  formatValue,
  machineSkipSentence,
  methodSentence,
  notableMetricNotes,
  tabulatedMetrics,
  verdictLabel,
} from './values.js';

/** The gate as Markdown: for $GITHUB_STEP_SUMMARY and PR comments. */
export function formatGateMarkdown(report: GateReport, runId: string): string {
  const s = report.summary;
  const headline = {
    pass: '### Performance gate passed',
    'correctness-regression': '### Performance gate FAILED: answers changed',
    'performance-regression': `### Performance gate FAILED: ${s.regressions} regression(s)`,
    incomplete: `### Performance gate INCOMPLETE: ${s.invalid} comparison(s) could not be made (a side's run could not be trusted)`,
    interrupted: '### Performance gate INTERRUPTED: partial results, nothing decided',
  }[s.outcome];
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
      methodSentence(report),
  );
  return `${lines.join('\n')}\n`;
}
