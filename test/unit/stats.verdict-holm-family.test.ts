import { describe, expect, it } from 'vitest';
import { compareMetric, type MetricComparison } from '../../ci/stats/comparison.js';
import { decideVerdicts } from '../../ci/stats/verdict.js';

// 5 vs 5 with complete separation and +20%: exact one-sided p = 1/C(10, 5) = 1/252 = 0.00397.
const separated = compareMetric({
  baseline: [10, 10.1, 10.2, 10.3, 10.4],
  current: [12, 12.1, 12.2, 12.3, 12.4],
  allowedRegression: 0.05,
  direction: 'lower-is-better',
});
// Interleaved, unchanged: p ≈ 0.5.
const unchanged = (offset: number): MetricComparison =>
  compareMetric({
    baseline: [10, 10.2, 10.4, 10.6, 10.8].map((v) => v + offset),
    current: [10.1, 10.3, 10.5, 10.7, 10.9].map((v) => v + offset),
    allowedRegression: 0.05,
    direction: 'lower-is-better',
  });

describe('Holm across the run', () => {
  it('p = 1/252 is a regression on its own', () => {
    expect(separated.status === 'ok' && separated.pWorse).toBeCloseTo(1 / 252, 15);
    expect(decideVerdicts([separated])[0]?.verdict).toBe('regression');
  });

  it('the same p among 20 comparisons is adjusted to 20/252 = 0.079 and no longer a regression', () => {
    const family = [separated, ...Array.from({ length: 19 }, (_, i) => unchanged(i * 0.01))];
    const [first] = decideVerdicts(family);
    if (first === undefined || first.verdict === 'invalid') throw new Error('unexpected');
    expect(first.pWorseAdjusted).toBeCloseTo(20 / 252, 14);
    expect(first.verdict).not.toBe('regression');
  });

  it('with 12 comparisons (12/252 = 0.048) it is still a regression at α = 0.05, not at α = 0.01', () => {
    const family = [separated, ...Array.from({ length: 11 }, (_, i) => unchanged(i * 0.01))];
    expect(decideVerdicts(family, 0.05)[0]?.verdict).toBe('regression');
    expect(decideVerdicts(family, 0.01)[0]?.verdict).not.toBe('regression');
  });

  it('invalid comparisons keep their place, become `invalid` and do not enlarge the family', () => {
    const broken = compareMetric({ baseline: [], current: [1], allowedRegression: 0.05, direction: 'lower-is-better' });
    const verdicts = decideVerdicts([broken, separated, broken]);
    expect(verdicts.map((v) => v.verdict)).toEqual(['invalid', 'regression', 'invalid']);
    const middle = verdicts[1];
    expect(middle?.verdict !== 'invalid' && middle?.pWorseAdjusted).toBeCloseTo(1 / 252, 15);
  });

  it('improvements are adjusted as their own family', () => {
    const faster = compareMetric({
      baseline: [12, 12.1, 12.2, 12.3, 12.4],
      current: [10, 10.1, 10.2, 10.3, 10.4],
      allowedRegression: 0.05,
      direction: 'lower-is-better',
    });
    const [a, b] = decideVerdicts([separated, faster]);
    expect(a?.verdict !== 'invalid' && a?.pWorseAdjusted).toBeCloseTo(2 / 252, 15);
    expect(b?.verdict !== 'invalid' && b?.pBetterAdjusted).toBeCloseTo(2 / 252, 15);
    expect([a?.verdict, b?.verdict]).toEqual(['regression', 'improvement']);
  });

  it('rejects α outside (0, 1) as a programming error', () => {
    expect(() => decideVerdicts([separated], 0)).toThrow(/alpha/);
  });
});
