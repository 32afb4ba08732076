import { describe, expect, it } from 'vitest';
import { compareMetric } from '../../ci/stats/comparison.js';
import { decideVerdicts } from '../../ci/stats/verdict.js';

const lowerIsBetter = { allowedRegression: 0.05, direction: 'lower-is-better' } as const;

describe('ties everywhere', () => {
  it('two values shared by both sides: exact tied test, ratio 1, not decided by 6 trials', () => {
    const comparison = compareMetric({ baseline: [10, 10, 10, 11, 11, 11], current: [10, 10, 11, 11, 11, 11], ...lowerIsBetter });
    if (comparison.status !== 'ok') throw new Error(comparison.reason);
    // Pairwise log differences: 6 × −ln 1.1, 18 × 0, 12 × +ln 1.1 → median 0.
    expect(comparison.ratio).toBe(1);
    expect(comparison.method).toBe('exact');
    expect(comparison.pWorse).toBeGreaterThan(0.2);
    expect(comparison.pBetter).toBeGreaterThan(0.2);
    const [verdict] = decideVerdicts([comparison]);
    expect(verdict?.verdict).toBe('inconclusive');
    expect(verdict?.verdict === 'inconclusive' && verdict.trialsNeededPerSide).toBeGreaterThan(6);
  });

  it('a clear shift made of tied values is still detected', () => {
    const comparison = compareMetric({
      baseline: [10, 10, 10, 10, 11, 11, 11, 11],
      current: [12, 12, 12, 12, 13, 13, 13, 13],
      ...lowerIsBetter,
    });
    expect(decideVerdicts([comparison])[0]).toMatchObject({ verdict: 'regression', basis: 'significant-beyond-margin' });
  });

  it('every value identical on both sides (exact and normal ranges): pass at ratio 1', () => {
    for (const trials of [5, 40]) {
      const comparison = compareMetric({ baseline: Array(trials).fill(7), current: Array(trials).fill(7), ...lowerIsBetter });
      if (comparison.status !== 'ok') throw new Error(comparison.reason);
      expect(comparison.method).toBe(trials === 5 ? 'exact' : 'normal');
      expect([comparison.pWorse, comparison.pBetter]).toEqual([1, 1]);
      expect(decideVerdicts([comparison])[0]).toMatchObject({ verdict: 'pass', ratio: 1 });
    }
  });
});
