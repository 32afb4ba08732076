import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from '../../ci/stats/normal.js';

// Φ⁻¹ at the levels the gate uses (R's qnorm / scipy's norm.ppf, 16 digits).
const QUANTILES: ReadonlyArray<[p: number, z: number]> = [
  [0.5, 0],
  [0.8, 0.8416212335729143],
  [0.95, 1.6448536269514722],
  [0.975, 1.959963984540054],
  [0.9975, 2.807033768343811],
  [0.999999, 4.753424308817087],
  [0.025, -1.959963984540054],
  [0.02425, -1.972961051311885], // Acklam's region boundary
  [1e-10, -6.361340902404056],
  [1e-300, -37.0470962993612],
];

describe('standard normal quantile', () => {
  it.each(QUANTILES)('Φ⁻¹(%d) = %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 12);
  });

  it('gives the textbook 1.959963985 for 0.975', () => {
    expect(normalQuantile(0.975).toFixed(9)).toBe('1.959963985');
  });

  it('inverts the CDF across the range', () => {
    for (let p = 0.001; p < 1; p += 0.0173) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
  });

  it('returns ∓Infinity at 0 and 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});
