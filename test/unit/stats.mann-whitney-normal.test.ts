import { describe, expect, it } from 'vitest';
import { mannWhitney } from '../../ci/stats/mann-whitney.js';

const NORMAL = { exactMaxTotalTrials: 0 } as const;

describe('Mann–Whitney normal approximation (tie and continuity corrected)', () => {
  it('beyond 60 pooled trials it is used by default', () => {
    const baseline = Array.from({ length: 31 }, (_, i) => i + 0.5);
    const current = Array.from({ length: 30 }, (_, i) => i + 0.25);
    expect(mannWhitney(baseline, current).method).toBe('normal');
    expect(mannWhitney(baseline.slice(1), current).method).toBe('exact');
  });

  it('matches R/scipy on the ?wilcox.test example without ties (p = 0.12231)', () => {
    // scipy.stats.mannwhitneyu(x, y, 'greater', method='asymptotic', use_continuity=True)
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    expect(mannWhitney(y, x, NORMAL).pCurrentLarger).toBeCloseTo(0.12231180256349167, 12);
  });

  it('matches scipy with ties, both directions', () => {
    const baseline = [10, 11, 11, 12, 12, 12, 13, 14];
    const current = [12, 12, 13, 13, 14, 14, 15, 16];
    const result = mannWhitney(baseline, current, NORMAL);
    expect(result.pCurrentLarger).toBeCloseTo(0.013890635545560297, 12);
    expect(result.pCurrentSmaller).toBeCloseTo(0.9894919746471937, 12);
  });

  it('matches scipy on a larger tied sample (40 vs 45 trials, U = 1060.5)', () => {
    const baseline = Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 41));
    const current = Array.from({ length: 45 }, (_, i) => 104 + ((i * 17) % 43));
    const result = mannWhitney(baseline, current);
    expect(result.method).toBe('normal');
    expect(result.uCurrent).toBe(1060.5);
    expect(result.pCurrentLarger).toBeCloseTo(0.07941805228859683, 12);
    expect(result.pCurrentSmaller).toBeCloseTo(0.9218758652044156, 12);
  });

  it('agrees with the exact distribution at 30 vs 30 to within 0.002', () => {
    const baseline = Array.from({ length: 30 }, (_, i) => Math.exp(0.05 * Math.sin(i * 12.9898) * 3));
    const current = Array.from({ length: 30 }, (_, i) => 1.03 * Math.exp(0.05 * Math.sin(i * 78.233 + 1) * 3));
    const exact = mannWhitney(baseline, current);
    const approximate = mannWhitney(baseline, current, NORMAL);
    expect(exact.method).toBe('exact');
    expect(exact.pCurrentLarger).toBeGreaterThan(0.001);
    expect(Math.abs(approximate.pCurrentLarger - exact.pCurrentLarger)).toBeLessThan(0.002);
    expect(Math.abs(approximate.pCurrentSmaller - exact.pCurrentSmaller)).toBeLessThan(0.002);
  });

  it('gives p = 1 both ways when every value is tied', () => {
    const result = mannWhitney(Array(40).fill(7), Array(40).fill(7));
    expect(result.method).toBe('normal');
    expect([result.pCurrentLarger, result.pCurrentSmaller]).toEqual([1, 1]);
  });
});
