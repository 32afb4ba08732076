import { describe, expect, it } from 'vitest';
import { formatGateTable, outcomeWords } from '../../ci/format/gate-table.js';
import { summarise } from '../../ci/gate/evaluate.js';
import type { GateReport, MetricGateResult } from '../../ci/gate/types.js';

const metric = (verdict: MetricGateResult['verdict']): MetricGateResult => ({
  scenario: 's',
  metric: 'p95_ms',
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
  note: null,
});

describe("the gate's verdict line agrees with the exit code", () => {
  it('is incomplete, not passed, when a comparison could not be made (exit 3)', () => {
    expect(summarise([metric('pass'), metric('invalid')], []).outcome).toBe('incomplete');
    // Untrusted outranks a regression, as in exitCodeFor (3 before 1).
    expect(summarise([metric('regression'), metric('invalid')], []).outcome).toBe('incomplete');
    expect(summarise([metric('regression'), metric('pass')], []).outcome).toBe('performance-regression');
  });

  it('prints INCOMPLETE or INTERRUPTED instead of PASSED', () => {
    const report = (outcome: GateReport['summary']['outcome']): GateReport => ({
      mode: 'against',
      reference: 'git ref main (abc)',
      referenceCommit: 'abc',
      machineMatches: true,
      machineNote: null,
      alpha: 0.05,
      metrics: [metric('invalid')],
      correctness: [],
      looks: [],
      confirmedByRerun: [],
      summary: { ...summarise([metric('invalid')], []), outcome },
    });
    expect(formatGateTable(report('incomplete')).trimEnd().split('\n').at(-1)).toMatch(
      /^gate INCOMPLETE \(a side's run could not be trusted\): /,
    );
    expect(formatGateTable(report('interrupted')).trimEnd().split('\n').at(-1)).toMatch(
      /^gate INTERRUPTED \(partial results, nothing decided\): /,
    );
    expect(outcomeWords('pass')).toBe('PASSED');
  });
});
