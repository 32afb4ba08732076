import { describe, expect, it } from 'vitest';
import { compareMetric, type Direction } from '../../ci/stats/comparison.js';
import { decideVerdicts } from '../../ci/stats/verdict.js';

const verdictOf = (baseline: number[], current: number[], direction: Direction = 'lower-is-better') =>
  decideVerdicts([compareMetric({ baseline, current, allowedRegression: 0.05, direction })])[0];

describe('zero variance on both sides: the constant values decide', () => {
  it('10 → 11 (+10%) with only 2 trials each is a regression, though no test could say so', () => {
    const verdict = verdictOf([10, 10], [11, 11]);
    expect(verdict).toMatchObject({ verdict: 'regression', basis: 'constant-values', ratio: 1.1 });
    expect(verdict?.verdict !== 'invalid' && verdict?.pWorse).toBeCloseTo(1 / 6, 15);
  });

  it('+4% is a pass, −10% an improvement', () => {
    expect(verdictOf([10, 10, 10], [10.4, 10.4, 10.4])).toMatchObject({ verdict: 'pass', basis: 'constant-values' });
    expect(verdictOf([10, 10, 10], [9, 9, 9])).toMatchObject({ verdict: 'improvement', basis: 'constant-values' });
  });

  it('exactly at the margin (+5%) is not beyond it', () => {
    expect(verdictOf([10, 10], [10.5, 10.5])).toMatchObject({ verdict: 'pass', ratio: 1.05 });
  });

  it('higher-is-better: 100 → 90 is a regression', () => {
    expect(verdictOf([100, 100], [90, 90], 'higher-is-better')).toMatchObject({ verdict: 'regression', ratio: 0.9 });
  });

  it('only one side constant goes through the test as usual', () => {
    expect(verdictOf([10, 10, 10], [9.8, 11.8, 10.9])).toMatchObject({ verdict: 'inconclusive', basis: 'undecided' });
  });
});
