import { describe, expect, it } from 'vitest';
import { hodgesLehmannShift, pairwiseDifferences } from '../../ci/stats/hodges-lehmann.js';
import { mannWhitney } from '../../ci/stats/mann-whitney.js';

describe('Hodges–Lehmann shift and Moses interval', () => {
  it('3 vs 3 by hand: median of the 9 differences; 90% interval = extreme differences', () => {
    // current − baseline: 2−1, 2−2, 2−3, 4−1, … sorted: −1 0 1 1 2 3 4 5 6
    const baseline = [1, 2, 3];
    const current = [2, 4, 7];
    expect([...pairwiseDifferences(baseline, current)]).toEqual([-1, 0, 1, 1, 2, 3, 4, 5, 6]);
    const estimate = hodgesLehmannShift(baseline, current, { confidenceLevel: 0.9 });
    expect(estimate.shift).toBe(2);
    // P(U = 0) = 1/C(6,3) = 0.05 ≤ 0.05 → k = 1: [D(1), D(9)], coverage 1 − 2·0.05.
    expect([estimate.low, estimate.high]).toEqual([-1, 6]);
    expect(estimate.achievedConfidence).toBeCloseTo(0.9, 14);
  });

  it('3 vs 3 cannot reach 95%: the interval is unbounded', () => {
    const estimate = hodgesLehmannShift([1, 2, 3], [2, 4, 7], { confidenceLevel: 0.95 });
    expect([estimate.low, estimate.high]).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(estimate.achievedConfidence).toBe(1);
  });

  it('5 vs 5 by hand: 95% interval is [D(3), D(23)] with coverage 1 − 2·4/252', () => {
    // Sorted differences: −13 −10 −8 −6 −5 −4 −1 −1 −1 −1 1 2 3 4 4 5 6 8 8 10 11 13 14 17 19
    // P(U ≤ 2) = 4/252 ≤ 0.025 < P(U ≤ 3) = 7/252, so k = 3.
    const estimate = hodgesLehmannShift([1, 3, 6, 10, 15], [2, 5, 9, 14, 20], { confidenceLevel: 0.95 });
    expect(estimate.shift).toBe(3);
    expect([estimate.low, estimate.high]).toEqual([-8, 14]);
    expect(estimate.achievedConfidence).toBeCloseTo(1 - 8 / 252, 14);
    expect(estimate.method).toBe('exact');
  });

  it('takes the mean of the two middle differences when n·m is even', () => {
    // Differences: −1 0 1 2 → median ½.
    expect(hodgesLehmannShift([1, 2], [1, 2], { confidenceLevel: 0.5 }).shift).toBe(0);
    expect(hodgesLehmannShift([1, 2], [1, 3], { confidenceLevel: 0.5 }).shift).toBe(0.5);
  });

  it('ignores a single wild trial that would drag a mean', () => {
    const baseline = [10, 10.2, 9.9, 10.1, 10.05, 9.95];
    const current = [11, 11.2, 10.9, 11.1, 11.05, 50];
    expect(hodgesLehmannShift(baseline, current, { confidenceLevel: 0.95 }).shift).toBeCloseTo(1.05, 10);
  });

  it.each([
    ['exact (12 vs 11)', 12, 11, 0.95],
    ['exact at 90% (9 vs 14)', 9, 14, 0.9],
    ['normal approximation (40 vs 40)', 40, 40, 0.95],
  ])('%s: the interval ends are where the one-sided test at the tail level flips', (_name, n, m, level) => {
    const baseline = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + 0.3) * 5);
    const current = Array.from({ length: m }, (_, j) => 1 + Math.sin(j * 78.233 + 0.7) * 5);
    const estimate = hodgesLehmannShift(baseline, current, { confidenceLevel: level });
    const tail = (1 - level) / 2;
    const epsilon = 1e-9;
    const pLarger = (shift: number) =>
      mannWhitney(
        baseline,
        current.map((y) => y - shift),
      ).pCurrentLarger;
    const pSmaller = (shift: number) =>
      mannWhitney(
        baseline,
        current.map((y) => y - shift),
      ).pCurrentSmaller;
    // Just outside the interval the test rejects at the tail level; just inside it does not.
    expect(pLarger(estimate.low - epsilon)).toBeLessThanOrEqual(tail);
    expect(pLarger(estimate.low + epsilon)).toBeGreaterThan(tail);
    expect(pSmaller(estimate.high + epsilon)).toBeLessThanOrEqual(tail);
    expect(pSmaller(estimate.high - epsilon)).toBeGreaterThan(tail);
  });
});
