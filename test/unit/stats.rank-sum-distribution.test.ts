import { describe, expect, it } from 'vitest';
import { doubledMidRanks } from '../../ci/stats/mann-whitney.js';
import {
  doubledRankSumDistribution,
  probabilityAtLeast,
  probabilityAtMost,
  untiedDoubledRankSumDistribution,
  type RankSumDistribution,
} from '../../ci/stats/rank-sum-distribution.js';

function moments(distribution: RankSumDistribution): { total: number; mean: number; variance: number } {
  let total = 0;
  let mean = 0;
  let second = 0;
  distribution.probability.forEach((p, i) => {
    const s = distribution.minDoubledSum + i;
    total += p;
    mean += p * s;
    second += p * s * s;
  });
  return { total, mean, variance: second - mean * mean };
}

describe('exact rank-sum distribution by dynamic programming', () => {
  it('30 of 60 untied (counts beyond 2^53): sums to 1, mean m(N+1), var 4·nm(N+1)/12', () => {
    const distribution = untiedDoubledRankSumDistribution(60, 30);
    const { total, mean, variance } = moments(distribution);
    expect(total).toBeCloseTo(1, 12);
    expect(mean).toBeCloseTo(30 * 61, 8); // of 2W
    expect(variance / ((4 * 30 * 30 * 61) / 12)).toBeCloseTo(1, 10);
  });

  it('the most extreme sum has probability 1 / C(60, 30)', () => {
    const distribution = untiedDoubledRankSumDistribution(60, 30);
    const oneOverBinomial = 1 / 118_264_581_564_861_424;
    expect(probabilityAtMost(distribution, distribution.minDoubledSum) / oneOverBinomial).toBeCloseTo(1, 12);
    expect(probabilityAtLeast(distribution, distribution.maxDoubledSum) / oneOverBinomial).toBeCloseTo(1, 12);
  });

  it('with ties, its variance equals the tie-corrected formula nm/12·(N + 1 − Σ(t³ − t)/(N(N − 1)))', () => {
    const pooled = [1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 5, 6, 6, 7, 8, 8, 8, 9, 9, 9, 9, 9];
    const { doubledRanks, tieSizes } = doubledMidRanks(pooled);
    const n = 10;
    const m = pooled.length - n;
    const N = pooled.length;
    const { total, mean, variance } = moments(doubledRankSumDistribution(doubledRanks, m));
    const tieTerm = tieSizes.reduce((sum, t) => sum + t ** 3 - t, 0) / (N * (N - 1));
    expect(total).toBeCloseTo(1, 12);
    expect(mean / 2).toBeCloseTo((m * (N + 1)) / 2, 9);
    expect(variance / 4).toBeCloseTo(((n * m) / 12) * (N + 1 - tieTerm), 8);
  });

  it('tails: P(S ≤ s) + P(S ≥ s + 1) = 1, and out-of-range sums give 0 or 1', () => {
    const distribution = untiedDoubledRankSumDistribution(12, 5);
    for (let s = distribution.minDoubledSum; s < distribution.maxDoubledSum; s++) {
      expect(probabilityAtMost(distribution, s) + probabilityAtLeast(distribution, s + 1)).toBeCloseTo(1, 14);
    }
    expect(probabilityAtMost(distribution, distribution.minDoubledSum - 1)).toBe(0);
    expect(probabilityAtLeast(distribution, distribution.maxDoubledSum + 1)).toBe(0);
    expect(probabilityAtLeast(distribution, 0)).toBe(1);
  });

  it('rejects scores that are not non-negative integers', () => {
    expect(() => doubledRankSumDistribution([1.5, 2], 1)).toThrow(RangeError);
    expect(() => doubledRankSumDistribution([2, 4], 3)).toThrow(/chosen/);
  });
});
