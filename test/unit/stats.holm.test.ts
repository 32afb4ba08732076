import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../ci/stats/holm.js';

describe('Holm step-down adjustment', () => {
  it('textbook example: p = .01 .04 .03 .005 → .03 .06 .06 .02 (R p.adjust "holm")', () => {
    // Holm (1979) as on Wikipedia's "Holm–Bonferroni method": at α = 0.05 only H1 and H4 are rejected.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted[0]).toBeCloseTo(0.03, 15);
    expect(adjusted[1]).toBeCloseTo(0.06, 15);
    expect(adjusted[2]).toBeCloseTo(0.06, 15);
    expect(adjusted[3]).toBeCloseTo(0.02, 15);
    expect(adjusted.map((p) => p <= 0.05)).toEqual([true, false, false, true]);
  });

  it('enforces monotonicity and caps at 1', () => {
    // Sorted: .001·5 = .005, .02·4 = .08, .021·3 = .063 → .08, .5·2 = 1, .9·1 → 1
    const adjusted = holmAdjust([0.9, 0.021, 0.001, 0.5, 0.02]);
    expect(adjusted).toEqual([1, 0.08, 0.005, 1, 0.08]);
  });

  it('is the identity for one comparison and empty for none', () => {
    expect(holmAdjust([0.037])).toEqual([0.037]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('keeps tied p-values equal', () => {
    expect(holmAdjust([0.01, 0.01, 0.01])).toEqual([0.03, 0.03, 0.03]);
  });

  it('rejects values that are not probabilities', () => {
    expect(() => holmAdjust([0.1, Number.NaN])).toThrow(/p-value 1/);
    expect(() => holmAdjust([1.2])).toThrow(RangeError);
  });
});
