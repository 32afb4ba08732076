import { describe, expect, it } from 'vitest';
import { normalCdf, normalSurvival } from '../../ci/stats/normal.js';

// Reference values from R's pnorm / scipy.stats.norm (they agree to 16 significant digits;
// the leading digits match Abramowitz & Stegun table 26.1).
const CDF: ReadonlyArray<[x: number, phi: number]> = [
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [1.96, 0.9750021048517795],
  [-1, 0.15865525393145707],
  [-1.96, 0.024997895148220435],
];
const UPPER_TAIL: ReadonlyArray<[x: number, q: number]> = [
  [2, 0.022750131948179195],
  [3, 0.0013498980316300933],
  [4, 3.167124183311986e-5],
  [5, 2.866515718791933e-7],
  [8, 6.22096057427174e-16],
  [10, 7.61985302416047e-24],
  [20, 2.7536241186061556e-89],
];

describe('standard normal CDF', () => {
  it.each(CDF)('Φ(%d) = %d', (x, phi) => {
    expect(normalCdf(x)).toBeCloseTo(phi, 14);
  });

  it.each(UPPER_TAIL)('1 − Φ(%d) = %d to 12 significant digits, far into the tail', (x, q) => {
    expect(Math.abs(normalSurvival(x) - q) / q).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(-x) - q) / q).toBeLessThan(1e-12);
  });

  it('is continuous where the series hands over to the continued fraction (x = 3)', () => {
    const below = normalSurvival(3 - 1e-9);
    const above = normalSurvival(3 + 1e-9);
    const slope = 0.0044318484119380075; // φ(3)
    expect((below - above) / 2e-9).toBeCloseTo(slope, 6);
  });

  it('is symmetric: Φ(x) + Φ(−x) = 1', () => {
    for (const x of [0.1, 0.7, 1.3, 2.2, 2.9, 3.1, 4.5]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });

  it('maps the infinities and NaN', () => {
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});
