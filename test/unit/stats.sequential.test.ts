import { describe, expect, it } from 'vitest';
import { comparePairedMetric, decideAtLook, decideVerdicts, lookLevels, simulateSequentialGate } from '../../ci/stats/index.js';

describe('adaptive trials with error control across looks', () => {
  it('spend half of α on the first look and split the rest evenly', () => {
    expect(lookLevels(1, 0.05)).toEqual([0.05]);
    expect(lookLevels(3, 0.05)).toEqual([0.025, 0.0125, 0.0125]);
    const five = lookLevels(5, 0.05);
    expect(five.reduce((a, b) => a + b, 0)).toBeCloseTo(0.05, 15);
    expect(() => lookLevels(0)).toThrow(RangeError);
  });

  it('keep a verdict once reached: a later look cannot undo it', () => {
    const up = {
      baseline: [10, 10, 10, 10, 10, 10, 10, 10],
      current: [11, 11.2, 11.1, 10.9, 11, 11.3, 11.1, 11.2],
      allowedRegression: 0.05,
      direction: 'lower-is-better' as const,
    };
    const first = decideVerdicts([comparePairedMetric(up)], 0.025);
    expect(first[0]?.verdict).toBe('regression');
    const flat = { ...up, current: up.baseline.map((v) => v * 1.0) };
    const [kept] = decideAtLook([comparePairedMetric(flat)], first, 0.0125);
    expect(kept?.verdict).toBe('regression');
    const [fresh] = decideAtLook([comparePairedMetric(flat)], [null], 0.0125);
    expect(fresh?.verdict).toBe('pass');
  });

  // 12 comparisons per run, looks at 12, 18 and 24 pairs, noisy pairs (σ 10%) with noisy neighbours
  // on either side: the regime where looking again matters.
  const aa = { trialsAtLooks: [12, 18, 24], runs: 300, seed: 20_261_202, familySize: 12, pairSigmaLog: 0.1 };

  it('keep family-wise false alarms over all looks within α (simulated, fixed seed)', () => {
    const result = simulateSequentialGate(aa);
    // 300 runs: the Monte Carlo error of a 5% rate is ±1.3%; the union bound makes the true rate ≤ 5%.
    expect(result.falseAlarmRate).toBeLessThanOrEqual(0.05);
    expect(result.meanLooks).toBeGreaterThan(2);
  });

  it('would not without the spending: testing each look at the full α raises far more false alarms', () => {
    const naive = simulateSequentialGate({ ...aa, alphaAtLooks: [0.05, 0.05, 0.05] });
    const spent = simulateSequentialGate(aa);
    expect(naive.falseAlarmRate).toBeGreaterThan(spent.falseAlarmRate);
    expect(naive.falseAlarmRate).toBeGreaterThan(0.05);
  });

  it('catch a +10% change with quiet pairs at the first look', () => {
    const result = simulateSequentialGate({ ...aa, runs: 100, pairSigmaLog: 0.03, shiftRatio: 1.1 });
    expect(result.detectionRate).toBeGreaterThanOrEqual(0.95);
  });
});
