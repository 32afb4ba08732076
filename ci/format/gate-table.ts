import { renderTable } from '../../lib/text-table.js';
import { formatAnswers } from './answers.js';
import type { CalibrationReport } from '../gate/calibration.js';
import type { GateReport } from '../gate/types.js';
import {
  formatFractionPercent,
  formatChange,
  formatInterval,
  formatValue,
  looksSentence,
  machineSkipSentence,
  notableMetricNotes,
  tabulatedMetrics,
  verdictLabel,
} from './values.js';

/** The gate's verdicts as a terminal table, then correctness, then one summary line. */
export function formatGateTable(report: GateReport): string {
  const lines = [`gate: ${modeTitle(report)}`];
  if (report.machineNote) lines.push(`  note: ${report.machineNote}`);
  const machineSkips = machineSkipSentence(report);
  if (machineSkips) lines.push(`  ${machineSkips}`);
  const rows = tabulatedMetrics(report).map((m) => [
    m.scenario,
    m.metric,
    formatValue(m.baselineValue, m.unit),
    formatValue(m.currentValue, m.unit),
    formatChange(m),
    formatInterval(m),
    m.allowed,
    verdictLabel(m),
  ]);
  if (rows.length > 0)
    lines.push(
      renderTable(['scenario', 'metric', 'baseline', 'current', 'change', '95% interval', 'allowed', 'verdict'], rows, '  ', {
        textColumns: 2,
        lastIsText: true,
      }),
    );
  for (const m of notableMetricNotes(report)) lines.push(`  ${m.scenario} ${m.metric}: ${m.note}`);
  for (const c of report.correctness) {
    if (c.status === 'same' || c.status === 'skipped') continue;
    lines.push(`  CORRECTNESS ${c.scenario}/${c.variant}: ${correctnessSentence(c)}${c.fasterButWrong ? ' — FASTER, BUT WRONG' : ''}`);
  }
  const same = report.correctness.filter((c) => c.status === 'same').length;
  if (same > 0) lines.push(`  answers: ${same} variant(s) gave the same answers (checksums, digests, statuses) as the baseline`);
  const looks = looksSentence(report);
  if (looks) lines.push(`  ${looks}`);
  if (report.confirmedByRerun.length > 0) lines.push(`  re-ran to confirm suspected regressions: ${report.confirmedByRerun.join(', ')}`);
  const s = report.summary;
  lines.push(
    `gate ${outcomeWords(s.outcome)}: ${s.regressions} regression(s), ${s.correctnessFailures} correctness failure(s), ` +
      `${s.improvements} improvement(s), ${s.inconclusive} inconclusive, ${s.passed} pass, ${s.skipped} skipped, ${s.invalid} invalid`,
  );
  return `${lines.join('\n')}\n`;
}

export function correctnessSentence(c: GateReport['correctness'][number]): string {
  const show = (side: typeof c.baseline) => (side ? formatAnswers(side) : 'absent');
  switch (c.status) {
    case 'changed':
      return `answers changed: baseline ${show(c.baseline)}; now ${show(c.current)}`;
    case 'inconsistent':
      return 'responses of this variant disagreed with each other in this run';
    case 'missing':
      return 'the variant is in the baseline but was not measured now';
    case 'added':
      return 'new variant (no baseline to compare)';
    default:
      return c.status;
  }
}

export function modeTitle(report: GateReport): string {
  switch (report.mode) {
    case 'baseline':
      return `against committed baselines, ${report.reference}`;
    case 'against':
      return `same-machine A/B against ${report.reference}`;
    case 'calibrate':
      return 'A/A calibration (the same code on both sides)';
    case 'report':
      return `against another imported run, ${report.reference}`;
  }
}

export function formatCalibrationTable(report: CalibrationReport): string {
  const rows = report.rows.map((r) => [
    r.scenario,
    r.metric,
    `${(r.sigmaLog * 100).toFixed(1)}%`,
    String(r.trialsPerSide),
    r.minimumDetectableRegression === null ? 'none' : `+${(r.minimumDetectableRegression * 100).toFixed(1)}%`,
    formatFractionPercent(r.allowedRegression),
    String(r.trialsNeededForAllowed),
    formatFractionPercent(r.proposedMargin),
    formatFractionPercent(r.caughtWithProposed),
  ]);
  const planned = report.firstLookAlpha === null ? '' : `; margins planned for the first look (alpha ${report.firstLookAlpha})`;
  return [
    `noise calibration (A/A): alpha ${report.alpha} over a family of ${report.familySize} comparisons, 80% power${planned}`,
    renderTable(
      [
        'scenario',
        'metric',
        'noise (CV)',
        'trials/side',
        'detectable',
        'allowed',
        'trials for allowed',
        'margin (95% pass)',
        'caught (95%)',
      ],
      rows,
      '  ',
      { textColumns: 2 },
    ),
    '  margin: the smallest allowance at which this code passes against itself in 95% of runs;',
    '  caught: the worsening that margin catches in 95% of runs. --write-margins puts them in the scenario files.',
    '',
  ].join('\n');
}

/** The verdict line's first words, agreeing with the exit code (the README's table). */
export function outcomeWords(outcome: GateReport['summary']['outcome']): string {
  switch (outcome) {
    case 'pass':
      return 'PASSED';
    case 'interrupted':
      return 'INTERRUPTED (partial results, nothing decided)';
    case 'incomplete':
      return "INCOMPLETE (a side's run could not be trusted)";
    default:
      return `FAILED (${outcome})`;
  }
}
