import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, planningSigmaLog, pooledRobustSigma } from '../../ci/stats/noise.js';

describe('trial-to-trial noise of log values', () => {
  it('1.4826·MAD ignores one wild trial', () => {
    // median 3, absolute deviations 2 1 0 1 97 → MAD 1
    expect(pooledRobustSigma([[1, 2, 3, 4, 100]])).toBeCloseTo(MAD_TO_SIGMA, 15);
  });

  it('pools groups by size − 1, each around its own median', () => {
    // Group A: MAD 1 (4 degrees of freedom); group B: values 10 12 14 → MAD 2 (2 degrees).
    const expected = MAD_TO_SIGMA * Math.sqrt((4 * 1 + 2 * 4) / 6);
    expect(
      pooledRobustSigma([
        [1, 2, 3, 4, 100],
        [10, 12, 14],
      ]),
    ).toBeCloseTo(expected, 14);
  });

  it('skips single-value groups and is null when nothing has two values', () => {
    expect(pooledRobustSigma([[5], [1, 2, 3, 4, 100]])).toBeCloseTo(MAD_TO_SIGMA, 15);
    expect(pooledRobustSigma([[5], [7]])).toBeNull();
  });

  it('falls back to the standard deviation when over half the values tie (MAD = 0)', () => {
    const sigma = planningSigmaLog([0, 0, 0, 0.1], [0, 0, 0, 0.1]);
    expect(sigma).toBeCloseTo(0.05, 15); // sample SD of 0 0 0 0.1
  });

  it('with one trial per side, uses |difference| / √2', () => {
    expect(planningSigmaLog([0.1], [0.3])).toBeCloseTo(0.2 / Math.SQRT2, 15);
  });

  it('is 0 when no dispersion is visible', () => {
    expect(planningSigmaLog([0.2, 0.2], [0.2, 0.2])).toBe(0);
    expect(planningSigmaLog([0.2], [0.2])).toBe(0);
  });
});
