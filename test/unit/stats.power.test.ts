import { describe, expect, it } from 'vitest';
import { detectableShift, minimumTrialsForSignificance, trialsPerSideToDetect } from '../../ci/stats/power.js';

describe('trials per side and detectable shift', () => {
  it('textbook d = 0.5, two-sided 5%, 80% power: t-test 64 per group, Mann–Whitney 67', () => {
    // Normal theory 2·(1.95996 + 0.84162)²/0.5² = 62.79; + z²/4 = 0.96 gives 63.75 → 64, the
    // exact t-test answer; at Mann–Whitney's efficiency 3/π: 62.79 / 0.9549 + 0.96 = 66.71 → 67.
    expect(trialsPerSideToDetect({ sigma: 1, shift: 0.5, alphaOneSided: 0.025, power: 0.8 })).toBe(67);
  });

  it('the gate case: σ = 0.05, margin +5%, α = 0.05 / 20 → 32 trials per side', () => {
    // 2·0.05²·(2.80703 + 0.84162)² / (ln 1.05)² / (3/π) + 2.80703²/4 = 29.28 + 1.97 = 31.25
    expect(trialsPerSideToDetect({ sigma: 0.05, shift: Math.log(1.05), alphaOneSided: 0.0025 })).toBe(32);
  });

  it('detectableShift inverts trialsPerSideToDetect', () => {
    const input = { sigma: 0.08, alphaOneSided: 0.005, power: 0.9 } as const;
    const n = trialsPerSideToDetect({ ...input, shift: 0.07 });
    expect(detectableShift({ ...input, trialsPerSide: n })).toBeLessThanOrEqual(0.07);
    expect(detectableShift({ ...input, trialsPerSide: n - 1 })).toBeGreaterThan(0.07);
  });

  it('σ = 0.05, α = 0.0025, 20 per side: detectable log shift 0.0622 (+6.4%)', () => {
    expect(detectableShift({ sigma: 0.05, alphaOneSided: 0.0025, trialsPerSide: 20 })).toBeCloseTo(0.0621774, 6);
  });

  it('reports Infinity when the trials are too few for the formula', () => {
    expect(detectableShift({ sigma: 0.05, alphaOneSided: 0.0025, trialsPerSide: 1 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('minimum trials for significance: 1/C(2n, n) must reach α', () => {
    expect(minimumTrialsForSignificance(0.05)).toBe(3); // 1/20
    expect(minimumTrialsForSignificance(0.01)).toBe(5); // 1/70 > 0.01 ≥ 1/252
    expect(minimumTrialsForSignificance(0.0025)).toBe(6); // 1/252 > 0.0025 ≥ 1/924
    expect(minimumTrialsForSignificance(0.6)).toBe(1); // 1/2
  });

  it('rejects meaningless inputs', () => {
    expect(() => trialsPerSideToDetect({ sigma: 0.05, shift: 0, alphaOneSided: 0.05 })).toThrow(/shift/);
    expect(() => trialsPerSideToDetect({ sigma: 0.05, shift: 0.1, alphaOneSided: 0 })).toThrow(/alpha/);
    expect(() => detectableShift({ sigma: 0.05, trialsPerSide: 0, alphaOneSided: 0.05 })).toThrow(/trialsPerSide/);
  });
});
