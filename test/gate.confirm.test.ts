import { describe, expect, it } from 'vitest';
import { mergeConfirmation, scenariosToConfirm } from '../ci/gate/confirm.js';
import type { MetricGateResult } from '../ci/gate/types.js';

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
    expect(scenariosToConfirm([result('a', 'p95_ms', 'pass'), result('b', 'p95_ms', 'regression'), result('b', 'p99_ms', 'regression')])).toEqual(['b']);
  });

  it('keeps a regression both runs flag', () => {
    const [merged] = mergeConfirmation([result('b', 'p95_ms', 'regression')], [result('b', 'p95_ms', 'regression', 14)]);
    expect(merged).toMatchObject({ verdict: 'regression', changePercent: 14, note: 'confirmed on re-run' });
  });

  it('drops a regression the re-run does not reproduce, saying so', () => {
    const [merged] = mergeConfirmation([result('b', 'p95_ms', 'regression')], [result('b', 'p95_ms', 'pass', 1)]);
    expect(merged).toMatchObject({ verdict: 'pass', note: 'suspected regression (+12.0%) not confirmed on re-run' });
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
