import { describe, expect, it } from 'vitest';
import { pairedShift, signedRankTest, signFlipDistribution } from '../../ci/stats/signed-rank.js';

/** P(W+ ≥ w) by enumerating every sign assignment of the given ranks (brute force). */
function bruteGreater(ranks: readonly number[], w: number): number {
  let hits = 0;
  const n = ranks.length;
  for (let mask = 0; mask < 2 ** n; mask++) {
    let sum = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) sum += ranks[i] as number;
    if (sum >= w - 1e-9) hits++;
  }
  return hits / 2 ** n;
}

// Hollander & Wolfe's depression scores (R's ?wilcox.test example).
const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
const d = x.map((v, i) => v - (y[i] as number));

describe('the Wilcoxon signed-rank test', () => {
  it("matches R's wilcox.test(x, y, paired = TRUE, alternative = 'greater'): V = 40, p = 0.01953", () => {
    const result = signedRankTest(d);
    expect(result.wPlus).toBe(40);
    expect(result.pGreater).toBeCloseTo(10 / 512, 12);
    expect(result.pLess).toBeCloseTo(1 - bruteGreater([1, 2, 3, 4, 5, 6, 7, 8, 9], 41), 12);
    expect(result.method).toBe('exact');
  });

  it('is 1/2^n when every difference is positive', () => {
    expect(signedRankTest([0.1, 0.2, 0.3, 0.4, 0.5]).pGreater).toBeCloseTo(1 / 32, 12);
    expect(signedRankTest([0.1, 0.2, 0.3, 0.4, 0.5]).pLess).toBe(1);
  });

  it('handles ties exactly (mid-ranks, sign-flip distribution) and drops zero differences', () => {
    // |d| = 1, 1, 1, 2: mid-ranks 2, 2, 2, 4; W+ = 2 + 2 + 4 = 8.
    const tied = signedRankTest([1, 1, -1, 2, 0]);
    expect(tied).toMatchObject({ wPlus: 8, nonZero: 4 });
    expect(tied.pGreater).toBeCloseTo(bruteGreater([2, 2, 2, 4], 8), 12);
    expect(tied.pGreater).toBeCloseTo(0.25, 12);
    expect(signedRankTest([0, 0, 0])).toMatchObject({ nonZero: 0, pGreater: 1, pLess: 1 });
  });

  it('agrees with brute force on random tied data, and the normal approximation is close for many pairs', () => {
    const sample = [0.3, -0.1, 0.3, 0.7, -0.2, 0.1, 0.7, 0.3, -0.3, 0.5, 0.2, -0.1];
    const ranksDoubled = signFlipDistribution([2, 4]);
    expect(ranksDoubled).toEqual([0.25, 0, 0.25, 0, 0.25, 0, 0.25]);
    const exact = signedRankTest(sample);
    // Brute force with mid-ranks of |sample|.
    const abs = sample.map(Math.abs);
    const rank = (v: number) => {
      const below = abs.filter((a) => a < v).length;
      const equal = abs.filter((a) => a === v).length;
      return below + (equal + 1) / 2;
    };
    const ranks = abs.map(rank);
    const w = sample.reduce((s, v, i) => (v > 0 ? s + (ranks[i] as number) : s), 0);
    expect(exact.wPlus).toBeCloseTo(w, 12);
    expect(exact.pGreater).toBeCloseTo(bruteGreater(ranks, w), 12);

    const many = Array.from({ length: 90 }, (_, i) => Math.sin(i * 1.7) + 0.15);
    const approx = signedRankTest(many, { exactMaxPairs: 0 });
    expect(approx.method).toBe('normal');
    expect(Math.abs(approx.pGreater - signedRankTest(many).pGreater)).toBeLessThan(0.002);
  });
});

describe('the paired Hodges–Lehmann shift', () => {
  it('is the median of the Walsh averages, with the interval cut at the signed-rank critical value', () => {
    const walsh: number[] = [];
    for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) walsh.push(((d[i] as number) + (d[j] as number)) / 2);
    walsh.sort((a, b) => a - b);
    const result = pairedShift(d, { confidenceLevel: 0.95 });
    expect(result.shift).toBeCloseTo(walsh[22] as number, 12); // 45 averages: the 23rd
    // n = 9: P(W+ ≤ 5) = 10/512 ≤ 0.025 < P(W+ ≤ 6) = 14/512, so k = 6: [W(6), W(40)], coverage 1 − 20/512.
    expect(result.low).toBeCloseTo(walsh[5] as number, 12);
    expect(result.high).toBeCloseTo(walsh[39] as number, 12);
    expect(result.achievedConfidence).toBeCloseTo(1 - 20 / 512, 12);
    expect(result.shift).toBeCloseTo(0.46, 2); // R: (pseudo)median 0.46
  });

  it('cannot bound the shift with too few pairs at 95%', () => {
    const few = pairedShift([0.1, 0.2, 0.3, 0.4, 0.5], { confidenceLevel: 0.95 });
    expect(few.low).toBe(Number.NEGATIVE_INFINITY);
    expect(few.high).toBe(Number.POSITIVE_INFINITY);
    const six = pairedShift([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], { confidenceLevel: 0.95 });
    expect(six.low).toBeCloseTo(0.1, 12); // P(W+ = 0) = 1/64 ≤ 0.025: k = 1
    expect(six.high).toBeCloseTo(0.6, 12);
    expect(six.achievedConfidence).toBeCloseTo(1 - 2 / 64, 12);
  });
});
