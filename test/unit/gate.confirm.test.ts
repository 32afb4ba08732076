import { describe, expect, it } from 'vitest';
import { mergeConfirmation, poolRerun, scenariosToConfirm } from '../../ci/gate/confirm.js';
import type { MetricGateResult } from '../../ci/gate/types.js';

const result = (scenario: string, metric: string, verdict: MetricGateResult['verdict'], changePercent = 12): MetricGateResult => ({
  scenario,
  metric,
  unit: 'ms',
  direction: 'lower-is-better',
  allowed: '+10%',
  baselineValue: 10,
  currentValue: 11.2,
  changePercent,
  intervalPercent: null,
  verdict,
  pWorseAdjusted: 0.01,
  trialsNeededPerSide: null,
  baselineTrials: 20,
  currentTrials: 20,
  note: null,
});

describe('confirming a suspected regression by re-running', () => {
  it('re-runs only scenarios with a regression', () => {
    expect(
      scenariosToConfirm([result('a', 'p95_ms', 'pass'), result('b', 'p95_ms', 'regression'), result('b', 'p99_ms', 'regression')]),
    ).toEqual(['b']);
  });

  it('keeps a regression both runs flag', () => {
    const [merged] = mergeConfirmation([result('b', 'p95_ms', 'regression')], [result('b', 'p95_ms', 'regression', 14)]);
    expect(merged).toMatchObject({ verdict: 'regression', changePercent: 14, note: 'confirmed by a re-run (trials pooled)' });
  });

  it('drops a regression the re-run does not reproduce, saying so', () => {
    const [merged] = mergeConfirmation([result('b', 'p95_ms', 'regression')], [result('b', 'p95_ms', 'pass', 1)]);
    expect(merged).toMatchObject({ verdict: 'pass', note: 'suspected regression (+12.0%) not confirmed by a re-run' });
  });

  it('does not fail on a regression that only the re-run saw', () => {
    const [merged] = mergeConfirmation([result('b', 'p99_ms', 'pass')], [result('b', 'p99_ms', 'regression')]);
    expect(merged?.verdict).toBe('inconclusive');
  });

  it('leaves scenarios that were not re-run untouched', () => {
    const first = [result('a', 'p95_ms', 'pass'), result('b', 'p95_ms', 'regression')];
    const merged = mergeConfirmation(first, [result('b', 'p95_ms', 'regression')]);
    expect(merged[0]).toBe(first[0]);
  });
});

describe('pooling a re-run with the first run', () => {
  const side = (values: number[]) => ({ trials: values.map((p95_ms) => ({ p95_ms })), trialIndices: null, correctness: [], usable: true });
  const pair = (scenario: string, baseline: number[], current: number[]) => ({
    scenario,
    design: 'independent' as const,
    gate: [],
    baseline: side(baseline),
    current: side(current),
    incomparable: null,
    correctnessIncomparable: null,
  });

  it('pools both sides of re-run scenarios and leaves the others as they were', () => {
    const first = [pair('a', [1, 2], [3, 4]), pair('b', [5], [6])];
    const pooled = poolRerun(first, [pair('a', [10], [20])], { baselineRerun: true });
    expect(pooled[0]?.baseline?.trials.map((t) => t.p95_ms)).toEqual([1, 2, 10]);
    expect(pooled[0]?.current.trials.map((t) => t.p95_ms)).toEqual([3, 4, 20]);
    expect(pooled[1]).toBe(first[1]);
  });

  it('keeps a committed baseline as it is: only the current side was re-run', () => {
    const first = pair('a', [1, 2], [3, 4]);
    const pooled = poolRerun([first], [pair('a', [1, 2], [5])], { baselineRerun: false });
    expect(pooled[0]?.baseline?.trials.map((t) => t.p95_ms)).toEqual([1, 2]);
    expect(pooled[0]?.current.trials.map((t) => t.p95_ms)).toEqual([3, 4, 5]);
  });
});
