import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALPHA, DEFAULT_TRIALS } from '../../ci/stats/defaults.js';
import { simulateGate, type GateSimulationResult } from '../../ci/stats/simulation.js';

// σ_log = 0.05 lognormal trials, each ×1.3 with probability 0.05, 20 comparisons per run,
// allowed regression 5%, α = 0.05 family-wise (the simulation's defaults).
describe('the gate on synthetic runs (fixed seed)', () => {
  let result: GateSimulationResult;
  beforeAll(() => {
    result = simulateGate({ trialsPerSide: DEFAULT_TRIALS, runs: 1000, seed: 20_240_501 });
  });

  it('uses 20 trials per side and α = 0.05 by default', () => {
    expect([DEFAULT_TRIALS, DEFAULT_ALPHA]).toEqual([20, 0.05]);
  });

  it('flags a +10% shift as a regression in at least 95% of runs', () => {
    expect(result.detectionRate).toBeGreaterThanOrEqual(0.95);
  });

  it('raises a false regression anywhere in an unchanged family in at most 5% of runs', () => {
    expect(result.falseAlarmRate).toBeLessThanOrEqual(0.05);
  });

  it('never calls the +10% shift an improvement or a pass', () => {
    expect(result.shiftedVerdicts.improvement + result.shiftedVerdicts.pass).toBeLessThanOrEqual(0.005 * result.runs);
  });
});
