import { describe, expect, it } from 'vitest';
import { trialValidity } from '../../bench/results/trial.js';
import { fakeLoadResult } from '../support/load-result.js';

const RULES = { minRateRatio: 0.95, maxLateRatio: 0.01, maxErrorRatio: 0.05 };
const latencies = Array.from({ length: 500 }, (_, i) => 10 + (i % 10));

describe('trial validity', () => {
  it('accepts a trial that met its rate, schedule and error budget', () => {
    expect(trialValidity(fakeLoadResult(latencies), RULES)).toEqual({ valid: true });
  });

  it('rejects a missed rate, saying by how much', () => {
    const result = trialValidity(fakeLoadResult(latencies, { achievedRps: 90 }), RULES);
    expect(result).toEqual({ valid: false, reasons: ['achieved 90.0 req/s of the target 100 (90.0% < 95%)'] });
  });

  it('rejects a generator that fell behind its schedule', () => {
    const result = trialValidity(fakeLoadResult(latencies, { lateSends: 4, dropped: 3, maxGeneratorLagMs: 40 }), RULES);
    expect(result.valid).toBe(false);
    if (!result.valid)
      expect(result.reasons[0]).toBe('the load generator fell behind: 4 late and 3 dropped of 503 sends (max generator lag 40.0 ms)');
  });

  it('rejects errors beyond the budget, naming them', () => {
    const result = trialValidity(fakeLoadResult(latencies, { errors: 40, timeouts: 10, statusCounts: { '200': 470, '500': 30 } }), RULES);
    expect(result).toEqual({ valid: false, reasons: ['error ratio 8.00% exceeds the 5.00% budget (30x HTTP 500, 10 timeouts)'] });
  });

  it('ignores the rate rule in the closed model', () => {
    expect(trialValidity(fakeLoadResult(latencies, { model: 'closed', targetRps: null, achievedRps: 3 }), RULES)).toEqual({ valid: true });
  });
});

describe('trial validity in short trials', () => {
  it('tolerates a single late send, but not two, in a 20-request trial', () => {
    const twenty = Array.from({ length: 20 }, () => 10);
    expect(trialValidity(fakeLoadResult(twenty, { lateSends: 1 }), RULES)).toEqual({ valid: true });
    expect(trialValidity(fakeLoadResult(twenty, { lateSends: 2 }), RULES).valid).toBe(false);
  });
});
