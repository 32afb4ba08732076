import { describe, expect, it } from 'vitest';
import { compareMetric } from '../../ci/stats/comparison.js';
import { trialsPerSideToDetect } from '../../ci/stats/power.js';
import { decideVerdicts } from '../../ci/stats/verdict.js';

const compare = (baseline: number[], current: number[]) =>
  compareMetric({ baseline, current, allowedRegression: 0.05, direction: 'lower-is-better' });

describe('one trial per side', () => {
  it('cannot be significant: even a doubling is inconclusive, with an unbounded interval', () => {
    const comparison = compare([10], [20]);
    if (comparison.status !== 'ok') throw new Error(comparison.reason);
    expect([comparison.pWorse, comparison.pBetter]).toEqual([0.5, 1]);
    expect([comparison.ratioInterval.low, comparison.ratioInterval.high]).toEqual([0, Number.POSITIVE_INFINITY]);
    const [verdict] = decideVerdicts([comparison]);
    expect(verdict?.verdict).toBe('inconclusive');
    // σ from the single pair: ln 2 / √2.
    const expected = trialsPerSideToDetect({ sigma: Math.LN2 / Math.SQRT2, shift: Math.log(1.05), alphaOneSided: 0.05 });
    expect(verdict?.verdict === 'inconclusive' && verdict.trialsNeededPerSide).toBe(expected);
  });

  it('identical single values are still inconclusive; the floor is the smallest n that can reach 95%', () => {
    const [verdict] = decideVerdicts([compare([10], [10])]);
    // 1/C(2n, n) ≤ 0.025 first at n = 4 (1/70).
    expect(verdict).toMatchObject({ verdict: 'inconclusive', trialsNeededPerSide: 4 });
  });

  it('one baseline trial against ten current ones is inconclusive too', () => {
    const [verdict] = decideVerdicts([compare([10], [12, 12.1, 12.2, 12.3, 12.4, 12.5, 12.6, 12.7, 12.8, 12.9])]);
    expect(verdict?.verdict).toBe('inconclusive');
    expect(verdict?.verdict === 'inconclusive' && verdict.trialsNeededPerSide).toBeGreaterThanOrEqual(11);
  });
});
