import { describe, expect, it } from 'vitest';
import { formatGateTable } from '../../ci/format/gate-table.js';
import { formatGateMarkdown } from '../../ci/format/markdown.js';
import type { GateReport, MetricGateResult } from '../../ci/gate/types.js';

const MACHINE_NOTE = 'the baseline was recorded on machine "a", this machine is machine "b": latency is not comparable across machines';

function metric(metricName: string, verdict: MetricGateResult['verdict'], note: string | null): MetricGateResult {
  return {
    scenario: 'slow-db',
    metric: metricName,
    unit: 'ms',
    direction: 'lower-is-better',
    allowed: '+10%',
    baselineValue: null,
    currentValue: null,
    changePercent: null,
    intervalPercent: null,
    verdict,
    pWorseAdjusted: null,
    trialsNeededPerSide: null,
    baselineTrials: 0,
    currentTrials: 0,
    note,
  };
}

const report: GateReport = {
  mode: 'baseline',
  reference: 'ci/baselines',
  referenceCommit: null,
  machineMatches: false,
  machineNote: MACHINE_NOTE,
  alpha: 0.05,
  metrics: [
    metric('p95_ms', 'skipped', MACHINE_NOTE),
    metric('p99_ms', 'skipped', MACHINE_NOTE),
    metric('error_ratio', 'inconclusive', 'one trial per side'),
  ],
  correctness: [],
  looks: [],
  confirmedByRerun: [],
  summary: { outcome: 'pass', regressions: 0, improvements: 0, inconclusive: 1, invalid: 0, skipped: 2, passed: 0, correctnessFailures: 0 },
};

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('gate notes', () => {
  it('say "another machine" once above the terminal table, not once per skipped metric', () => {
    const table = formatGateTable(report);
    expect(occurrences(table, MACHINE_NOTE)).toBe(1);
    expect(table).toContain(`  note: ${MACHINE_NOTE}`);
    expect(table).toContain('  slow-db error_ratio: one trial per side');
  });

  it('count the comparisons skipped for another machine instead of tabulating rows of dashes', () => {
    const table = formatGateTable(report);
    expect(table).toContain('  2 latency comparison(s) skipped: the baseline is from another machine (answers are still compared)');
    expect(table).not.toMatch(/slow-db +p95_ms/);
    expect(table).toMatch(/slow-db +error_ratio .* inconclusive/);
    const allSkipped = formatGateTable({ ...report, metrics: report.metrics.slice(0, 2) });
    expect(allSkipped).not.toContain('scenario');
    const markdown = formatGateMarkdown({ ...report, metrics: report.metrics.slice(0, 2) }, 'run-1');
    expect(markdown).toContain('2 latency comparison(s) skipped: the baseline is from another machine (answers are still compared).');
    expect(markdown).not.toContain('| scenario |');
  });

  it('do the same in the Markdown summary', () => {
    const markdown = formatGateMarkdown(report, 'run-1');
    expect(occurrences(markdown, MACHINE_NOTE)).toBe(1);
    expect(markdown).toContain('- slow-db `error_ratio`: one trial per side');
  });
});
