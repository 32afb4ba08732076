import { describe, expect, it } from 'vitest';
import { compareMetric, type CompareMetricInput } from '../../ci/stats/comparison.js';
import { decideVerdicts } from '../../ci/stats/verdict.js';

const good: CompareMetricInput = { baseline: [10, 11], current: [10, 12], allowedRegression: 0.05, direction: 'lower-is-better' };

const CASES: ReadonlyArray<[name: string, input: CompareMetricInput, reason: string]> = [
  ['empty baseline', { ...good, baseline: [] }, 'baseline: no trials (expected at least one value)'],
  ['empty current', { ...good, current: [] }, 'current: no trials (expected at least one value)'],
  ['zero', { ...good, current: [10, 0] }, 'current[1]: expected a positive finite number, got 0'],
  ['negative', { ...good, baseline: [-3, 10] }, 'baseline[0]: expected a positive finite number, got -3'],
  ['NaN', { ...good, current: [Number.NaN] }, 'current[0]: expected a positive finite number, got NaN'],
  ['Infinity', { ...good, baseline: [10, Number.POSITIVE_INFINITY] }, 'baseline[1]: expected a positive finite number, got Infinity'],
  ['allowed regression 0', { ...good, allowedRegression: 0 }, 'allowedRegression: expected a fraction in (0, 1) such as 0.05, got 0'],
  [
    'allowed regression as a percentage',
    { ...good, allowedRegression: 5 },
    'allowedRegression: expected a fraction in (0, 1) such as 0.05, got 5',
  ],
  ['confidence level 95', { ...good, confidenceLevel: 95 }, 'confidenceLevel: expected a number in (0, 1) such as 0.95, got 95'],
  [
    'unknown direction',
    { ...good, direction: 'up' as unknown as CompareMetricInput['direction'] },
    'direction: expected "lower-is-better" or "higher-is-better", got "up"',
  ],
];

describe('bad input is an error result naming the field, never a throw', () => {
  it.each(CASES)('%s', (_name, input, reason) => {
    const comparison = compareMetric(input);
    expect(comparison).toEqual({ status: 'error', reason });
    expect(decideVerdicts([comparison])).toEqual([{ verdict: 'invalid', reason }]);
  });
});
