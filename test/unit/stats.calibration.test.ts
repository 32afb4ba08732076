import { describe, expect, it } from 'vitest';
import { minimumDetectableRegression } from '../../ci/stats/calibration.js';
import { detectableShift } from '../../ci/stats/power.js';

describe('noise calibration: minimum detectable regression', () => {
  it('σ_log = 0.05, 20 trials per side, 20 comparisons: +6.4% latency, −6.0% throughput', () => {
    const latency = minimumDetectableRegression({ noise: { sigmaLog: 0.05 }, trialsPerSide: 20, familySize: 20 });
    const throughput = minimumDetectableRegression({
      noise: { sigmaLog: 0.05 },
      trialsPerSide: 20,
      familySize: 20,
      direction: 'higher-is-better',
    });
    expect(latency.status === 'ok' && latency.minimumDetectableRegression).toBeCloseTo(0.064151, 5);
    expect(throughput.status === 'ok' && throughput.minimumDetectableRegression).toBeCloseTo(0.060284, 5);
    expect(latency.status === 'ok' && latency.alphaOneSided).toBeCloseTo(0.0025, 15);
  });

  it('measures σ from A/A trials (pooled 1.4826·MAD of the logs)', () => {
    // logs 0, ±0.05, ±0.1 on both sides → MAD 0.05 → σ = 0.07413
    const aa = [0, 0.1, -0.1, 0.05, -0.05].map(Math.exp);
    const result = minimumDetectableRegression({ noise: { aaBaseline: aa, aaCurrent: aa }, trialsPerSide: 15, alpha: 0.05 });
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.sigmaLog).toBeCloseTo(0.07413, 12);
    const shift = detectableShift({ sigma: 0.07413, trialsPerSide: 15, alphaOneSided: 0.05 });
    expect(result.minimumDetectableRegression).toBeCloseTo(Math.expm1(shift), 10);
  });

  it('more trials detect smaller regressions', () => {
    const at = (trialsPerSide: number) => {
      const result = minimumDetectableRegression({ noise: { sigmaLog: 0.1 }, trialsPerSide, familySize: 10 });
      return result.status === 'ok' ? result.minimumDetectableRegression : Number.NaN;
    };
    expect(at(10)).toBeGreaterThan(at(20));
    expect(at(20)).toBeGreaterThan(at(40));
  });

  it('says when the trials are too few for any regression to be significant', () => {
    // α / 20 = 0.0025 needs 1/C(2n, n) ≤ 0.0025: n ≥ 6.
    expect(minimumDetectableRegression({ noise: { sigmaLog: 0.05 }, trialsPerSide: 5, familySize: 20 })).toEqual({
      status: 'too-few-trials',
      minimumTrialsPerSide: 6,
      alphaOneSided: 0.0025,
    });
  });

  it('returns an error result, not a throw, for bad input', () => {
    const bad = [
      minimumDetectableRegression({ noise: { aaBaseline: [1, 0, 2], aaCurrent: [1, 2] }, trialsPerSide: 10 }),
      minimumDetectableRegression({ noise: { sigmaLog: Number.NaN }, trialsPerSide: 10 }),
      minimumDetectableRegression({ noise: { sigmaLog: 0.05 }, trialsPerSide: 0 }),
      minimumDetectableRegression({ noise: { sigmaLog: 0.05 }, trialsPerSide: 10, alpha: 1.5 }),
    ];
    expect(bad.map((r) => (r.status === 'error' ? r.reason : r.status))).toEqual([
      'noise: baseline[1]: expected a positive finite number, got 0',
      'noise.sigmaLog: expected a finite number ≥ 0, got NaN',
      'trialsPerSide: expected an integer ≥ 1, got 0',
      'alpha: expected a number in (0, 1), got 1.5',
    ]);
  });
});
