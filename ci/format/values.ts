import type { GateReport, MetricGateResult } from '../gate/types.js';

/** A metric value in its unit, for tables. */
export function formatValue(value: number | null, unit: MetricGateResult['unit']): string {
  if (value === null || !Number.isFinite(value)) return '-';
  if (unit === 'ratio') return `${(value * 100).toFixed(2)}%`;
  if (unit === 'rps') return value.toFixed(1);
  if (unit === 'instructions') return Math.round(value).toLocaleString('en-US');
  if (unit === 'ns') return value < 1e4 ? `${value.toFixed(1)} ns` : `${(value / 1e6).toFixed(3)} ms`;
  if (value < 1) return `${value.toFixed(3)} ms`;
  if (value < 100) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(0)} ms`;
}

export function formatChange(result: MetricGateResult): string {
  if (result.changePercent === null) return '-';
  // Counts move by fractions of a percent and their margins are that small too.
  const digits = result.unit === 'instructions' ? 3 : 1;
  return `${result.changePercent >= 0 ? '+' : ''}${result.changePercent.toFixed(digits)}%`;
}

export function formatInterval(result: MetricGateResult): string {
  const interval = result.intervalPercent;
  if (!interval) return '-';
  const end = (v: number | null, unbounded: string) => (v === null ? unbounded : `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`);
  return `[${end(interval.low, '-inf')}, ${end(interval.high, '+inf')}]`;
}

export function verdictLabel(result: MetricGateResult): string {
  switch (result.verdict) {
    case 'regression':
      return 'REGRESSION';
    case 'inconclusive':
      return result.trialsNeededPerSide === null ? 'inconclusive' : `inconclusive (~${result.trialsNeededPerSide} trials/side)`;
    default:
      return result.verdict;
  }
}

/** Per-metric notes worth listing: not on passes, and not the machine note already shown once above the table. */
export function notableMetricNotes(report: GateReport): MetricGateResult[] {
  return report.metrics.filter((m) => m.note && m.verdict !== 'pass' && m.note !== report.machineNote);
}

/** Comparisons skipped only because the baseline is from another machine: said once, not tabulated. */
export function isSkippedForMachine(report: GateReport, m: MetricGateResult): boolean {
  return m.verdict === 'skipped' && report.machineNote !== null && m.note === report.machineNote;
}

/** The metrics worth a table row. */
export function tabulatedMetrics(report: GateReport): MetricGateResult[] {
  return report.metrics.filter((m) => !isSkippedForMachine(report, m));
}

export function machineSkipSentence(report: GateReport): string | null {
  const skipped = report.metrics.filter((m) => isSkippedForMachine(report, m)).length;
  return skipped === 0
    ? null
    : `${skipped} latency comparison(s) skipped: the baseline is from another machine (answers are still compared)`;
}

/** How the verdicts were reached, in one sentence for every format. */
export function methodSentence(report: GateReport): string {
  const test =
    report.mode === 'baseline'
      ? 'one-sided Mann–Whitney on trial values against the committed ones'
      : report.mode === 'report'
        ? "one-sided Mann–Whitney on trial values against the other run's (two independent samples)"
        : 'one-sided Wilcoxon signed-rank on the log ratios of paired trials (trial k of each side ran next to each other)';
  const looks =
    report.looks.length > 1
      ? `; ${report.looks.length} looks (α ${report.looks.map((l) => Number(l.alpha.toPrecision(3))).join(', ')}: more trials only where a metric was undecided, a verdict once reached kept)`
      : '';
  const counts = report.metrics.some((m) => m.unit === 'instructions')
    ? ' Instruction counts are deterministic: compared directly, a regression is a count beyond the allowed change.'
    : '';
  return `Verdicts: ${test}, Holm-corrected at α = ${report.alpha}${looks}; a regression also needs its Hodges–Lehmann estimate beyond the allowed change.${counts}`;
}

/** The looks after the first, for a line of text; null when the gate looked once. */
export function looksSentence(report: GateReport): string | null {
  const later = report.looks.slice(1);
  if (later.length === 0) return null;
  return `more trials at ${later.map((l, i) => `look ${i + 2} (α ${Number(l.alpha.toPrecision(3))}): ${l.scenarios.join(', ')}`).join('; ')}`;
}

/** A fraction as a signed percentage with at most one decimal: 0.015 → "+1.5%", 0.1 → "+10%". */
export function formatFractionPercent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '-';
  return `+${Number((fraction * 100).toFixed(1))}%`;
}
