import { wilcoxonRankSum } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { mannWhitney } from '../../ci/stats/mann-whitney.js';

/** Rank sum of `chosen` positions in `pooled`, with mid-ranks for ties. */
function rankSum(pooled: readonly number[], chosen: readonly number[]): number {
  let sum = 0;
  for (const i of chosen) {
    const value = pooled[i] ?? 0;
    const below = pooled.filter((v) => v < value).length;
    const equal = pooled.filter((v) => v === value).length;
    sum += below + (equal + 1) / 2;
  }
  return sum;
}

/** Every way of labelling `m` of the pooled values "current": the exact permutation null. */
function bruteForce(baseline: readonly number[], current: readonly number[]): { larger: number; smaller: number } {
  const pooled = [...baseline, ...current];
  const observed = rankSum(
    pooled,
    current.map((_, j) => baseline.length + j),
  );
  let total = 0;
  let atLeast = 0;
  let atMost = 0;
  const visit = (start: number, chosen: number[]): void => {
    if (chosen.length === current.length) {
      const sum = rankSum(pooled, chosen);
      total++;
      if (sum >= observed - 1e-9) atLeast++;
      if (sum <= observed + 1e-9) atMost++;
      return;
    }
    for (let i = start; i < pooled.length; i++) visit(i + 1, [...chosen, i]);
  };
  visit(0, []);
  return { larger: atLeast / total, smaller: atMost / total };
}

const CASES: ReadonlyArray<[name: string, baseline: number[], current: number[]]> = [
  ['no ties, 4 vs 5', [3.1, 4.7, 2.2, 5.9], [6.3, 4.1, 7.7, 5.2, 8.8]],
  ['no ties, 7 vs 6', [10.2, 11.5, 9.8, 12.1, 10.9, 11.1, 9.5], [11.9, 12.6, 10.4, 13.2, 12.9, 11.7]],
  ['ties across sides', [10, 11, 11, 12, 12, 12, 13, 14], [12, 12, 13, 13, 14, 14, 15, 16]],
  ['heavy ties, two values', [1, 1, 1, 2, 2], [1, 2, 2, 2, 2, 2]],
  ['current smaller with ties', [5, 6, 6, 7, 8, 9], [4, 5, 5, 6, 6]],
  ['unequal sizes 2 vs 9', [3, 8], [1, 2, 4, 5, 6, 7, 9, 10, 11]],
];

describe('exact Mann–Whitney p-values', () => {
  it.each(CASES)('%s: equal the full enumeration of all C(n+m, m) splits', (_name, baseline, current) => {
    const result = mannWhitney(baseline, current);
    const expected = bruteForce(baseline, current);
    expect(result.method).toBe('exact');
    expect(result.pCurrentLarger).toBeCloseTo(expected.larger, 13);
    expect(result.pCurrentSmaller).toBeCloseTo(expected.smaller, 13);
  });

  it.each(CASES)('%s: rank sum agrees with simple-statistics', (_name, baseline, current) => {
    const result = mannWhitney(baseline, current);
    expect(result.rankSumCurrent).toBe(wilcoxonRankSum(current, baseline));
    expect(result.uCurrent).toBe(result.rankSumCurrent - (current.length * (current.length + 1)) / 2);
  });

  it("reproduces R's wilcox.test(x, y, alternative = 'greater'): W = 35, p = 0.1272", () => {
    // Permeability constants, Hollander & Wolfe (1973) p. 69, the example in R's ?wilcox.test.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitney(y, x);
    expect(result.uCurrent).toBe(35);
    expect(result.pCurrentLarger).toBeCloseTo(0.1272061272061272, 14); // 381 / 3003 = 0.1272
  });

  it("with ties, matches scipy's exhaustive permutation test (p = 176/12870)", () => {
    // scipy.stats.mannwhitneyu(c, b, 'greater', method=PermutationMethod(n_resamples=inf))
    const result = mannWhitney([10, 11, 11, 12, 12, 12, 13, 14], [12, 12, 13, 13, 14, 14, 15, 16]);
    expect(result.hasTies).toBe(true);
    expect(result.pCurrentLarger).toBeCloseTo(0.013675213675213675, 14);
  });

  it('matches the published table for n = m = 5: P(U ≤ 4) = 12/252, P(U ≤ 3) = 7/252', () => {
    const u4 = mannWhitney([5, 6, 7, 8, 10], [1, 2, 3, 4, 9]); // 9 beats four baseline values
    const u3 = mannWhitney([5, 6, 7, 9, 10], [1, 2, 3, 4, 8]);
    expect([u4.uCurrent, u3.uCurrent]).toEqual([4, 3]);
    expect(u4.pCurrentSmaller).toBeCloseTo(12 / 252, 14);
    expect(u3.pCurrentSmaller).toBeCloseTo(7 / 252, 14);
  });

  it('puts the one-sided 5% critical value for n = m = 10 at U = 27, as tabulated', () => {
    const baseline = Array.from({ length: 10 }, (_, i) => 10 * (i + 1));
    // Current values (all distinct) that beat 10, 10, 7 and then 0 baseline values: U = 27.
    const withWins = (wins: readonly number[]) =>
      mannWhitney(
        baseline,
        wins.map((k, j) => 10 * k + 5 + j / 100),
      );
    const u27 = withWins([10, 10, 7, 0, 0, 0, 0, 0, 0, 0]);
    const u28 = withWins([10, 10, 8, 0, 0, 0, 0, 0, 0, 0]);
    expect([u27.uCurrent, u28.uCurrent]).toEqual([27, 28]);
    expect(u27.pCurrentSmaller).toBeLessThanOrEqual(0.05);
    expect(u28.pCurrentSmaller).toBeGreaterThan(0.05);
  });

  it('gives the smallest attainable p-value 1/C(n+m, n) for complete separation', () => {
    const result = mannWhitney([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]);
    expect(result.pCurrentLarger).toBeCloseTo(1 / 924, 15);
    expect(result.pCurrentSmaller).toBe(1);
  });
});
