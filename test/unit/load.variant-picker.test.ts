import { describe, expect, it } from 'vitest';
import { createVariantPicker } from '../../bench/load/variant-picker.js';
import { seededRandom } from '../../server/work/rng.js';

const take = (pick: () => number, n: number) => Array.from({ length: n }, pick);

describe('the seeded variant picker', () => {
  it('gives the same sequence for the same seed', () => {
    expect(take(createVariantPicker([1, 2, 7], 42), 1_000)).toEqual(take(createVariantPicker([1, 2, 7], 42), 1_000));
  });

  it('gives a different sequence for a different seed', () => {
    expect(take(createVariantPicker([1, 1], 1), 64)).not.toEqual(take(createVariantPicker([1, 1], 2), 64));
  });

  it('picks each variant in proportion to its weight (weights need not sum to 1)', () => {
    const picks = take(createVariantPicker([1, 2, 7], 7), 100_000);
    const share = (index: number) => picks.filter((p) => p === index).length / picks.length;
    expect(share(0)).toBeCloseTo(0.1, 2);
    expect(share(1)).toBeCloseTo(0.2, 2);
    expect(share(2)).toBeCloseTo(0.7, 2);
  });

  it('never picks a zero-weight variant, wherever it sits', () => {
    const picks = new Set(take(createVariantPicker([0, 3, 0, 1, 0], 3), 10_000));
    expect([...picks].sort()).toEqual([1, 3]);
  });

  it('always picks the only variant', () => {
    expect(new Set(take(createVariantPicker([5], 9), 100))).toEqual(new Set([0]));
  });

  it('rejects weights that cannot form a mix', () => {
    expect(() => createVariantPicker([0, 0], 1)).toThrow(/must not all be zero/);
    expect(() => createVariantPicker([1, -1], 1)).toThrow(/finite number >= 0, got -1/);
    expect(() => createVariantPicker([], 1)).toThrow(/must not all be zero/);
  });

  it("draws from the lab's seeded mulberry32 stream: uniform in [0, 1), known values", () => {
    const random = seededRandom(1);
    const values = take(random, 10_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(values.slice(0, 2)).toEqual([0.6270739405881613, 0.002735721180215478]);
    expect(values.reduce((a, b) => a + b) / values.length).toBeCloseTo(0.5, 1);
  });
});
