import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../ci/gate/evaluate.js';
import type { ScenarioPair } from '../../ci/gate/types.js';
import { compareMetric, comparePairedMetric, decideVerdicts } from '../../ci/stats/index.js';
import { createSeededRandom } from '../../ci/stats/random.js';

/** Trials whose machine speed drifts by ±30% (shared by the pair) with 2% noise of their own. */
function driftingPairs(count: number, change: number, seed: number): { baseline: number[]; current: number[] } {
  const random = createSeededRandom(seed);
  const baseline: number[] = [];
  const current: number[] = [];
  for (let k = 0; k < count; k++) {
    const drift = Math.exp(0.3 * random.normal());
    baseline.push(10 * drift * Math.exp(0.02 * random.normal()));
    current.push(10 * drift * (1 + change) * Math.exp(0.02 * random.normal()));
  }
  return { baseline, current };
}

describe('paired comparisons', () => {
  it('see a +8% change through a drift that leaves the independent comparison undecided', () => {
    const { baseline, current } = driftingPairs(12, 0.08, 7);
    const input = { baseline, current, allowedRegression: 0.03, direction: 'lower-is-better' as const };
    const [independent] = decideVerdicts([compareMetric(input)], 0.05);
    const paired = comparePairedMetric(input);
    const [verdict] = decideVerdicts([paired], 0.05);
    expect(independent?.verdict).toBe('inconclusive');
    expect(verdict?.verdict).toBe('regression');
    if (paired.status !== 'ok') throw new Error('expected ok');
    expect(paired.design).toBe('paired');
    expect(paired.ratio).toBeGreaterThan(1.06);
    expect(paired.ratio).toBeLessThan(1.1);
    expect(paired.ratioInterval.low).toBeGreaterThan(1.03);
    expect(paired.pWorse).toBeLessThan(0.001);
  });

  it('pass an unchanged pair series, and refuse unequal lengths', () => {
    const { baseline, current } = driftingPairs(12, 0, 11);
    const [verdict] = decideVerdicts(
      [comparePairedMetric({ baseline, current, allowedRegression: 0.05, direction: 'lower-is-better' })],
      0.05,
    );
    expect(verdict?.verdict).toBe('pass');
    expect(comparePairedMetric({ baseline: [1, 2], current: [1], allowedRegression: 0.05, direction: 'lower-is-better' })).toEqual({
      status: 'error',
      reason: 'paired trials: expected as many baseline as current values, got 2 and 1',
    });
  });

  it('pair trials by their number in the gate, leaving out trials only one side has', () => {
    const { baseline, current } = driftingPairs(12, 0.08, 7);
    const side = (values: number[], indices: number[]) => ({
      trials: values.map((p95_ms) => ({ p95_ms })),
      trialIndices: indices,
      correctness: [],
      usable: true,
    });
    // The current side lists its trials in another order, and lacks trial 12 (invalid); the baseline lacks trial 1.
    const order = [5, 3, 1, 2, 4, 6, 7, 8, 9, 10, 11];
    const pair: ScenarioPair = {
      scenario: 's',
      design: 'paired',
      gate: [
        {
          metric: 'p95_ms',
          unit: 'ms',
          direction: 'lower-is-better',
          allowed: { kind: 'relative', fraction: 0.03, direction: 'increase', source: '+3%' },
        },
      ],
      baseline: side(baseline.slice(1), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
      current: side(
        order.map((i) => current[i - 1] as number),
        order,
      ),
      incomparable: null,
      correctnessIncomparable: null,
    };
    const [result] = evaluateGate([pair], { alpha: 0.05 }).metrics;
    expect(result).toMatchObject({ verdict: 'regression', baselineTrials: 10, currentTrials: 10 });
  });
});
