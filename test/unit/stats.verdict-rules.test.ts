import { describe, expect, it } from 'vitest';
import { compareMetric, type Direction } from '../../ci/stats/comparison.js';
import { minimumTrialsForSignificance, trialsPerSideToDetect } from '../../ci/stats/power.js';
import { decideVerdicts, type MetricVerdict } from '../../ci/stats/verdict.js';

// Fixed standard-normal-looking draws, so each sample is "lognormal noise" yet hand-checkable.
const Z = [0.12, -0.85, 1.31, -0.4, 0.67, -1.12, 0.05, 0.93, -0.27, -0.44, 0.31, -0.06];
const trials = (median: number, sigmaLog: number, count = 10) => Z.slice(0, count).map((z) => median * Math.exp(sigmaLog * z));
const Z_OTHER = [-0.33, 0.54, -1.2, 0.88, 0.02, -0.61, 1.05, -0.19, 0.4, -0.9, 0.7, 0.27];
const otherTrials = (median: number, sigmaLog: number, count = 10) => Z_OTHER.slice(0, count).map((z) => median * Math.exp(sigmaLog * z));

function decideAlone(baseline: number[], current: number[], direction: Direction = 'lower-is-better'): MetricVerdict {
  const comparison = compareMetric({ baseline, current, allowedRegression: 0.05, direction });
  const [verdict] = decideVerdicts([comparison]);
  if (verdict === undefined) throw new Error('no verdict');
  return verdict;
}

describe('verdict rules (single comparison, allowed regression 5%, α = 0.05)', () => {
  it('regression: significantly worse and the estimate beyond +5%', () => {
    const verdict = decideAlone(trials(10, 0.03), otherTrials(11.5, 0.03));
    expect(verdict).toMatchObject({ verdict: 'regression', basis: 'significant-beyond-margin' });
    if (verdict.verdict === 'invalid') return;
    expect(verdict.ratio).toBeGreaterThan(1.1);
    expect(verdict.pWorseAdjusted).toBeLessThan(0.001);
  });

  it('improvement: significantly better and the estimate beyond −5%', () => {
    expect(decideAlone(trials(10, 0.03), otherTrials(8.5, 0.03))).toMatchObject({
      verdict: 'improvement',
      basis: 'significant-beyond-margin',
    });
  });

  it('pass: a real +2% change (significant) that is within the margin', () => {
    const verdict = decideAlone(trials(10, 0.002), otherTrials(10.2, 0.002));
    expect(verdict).toMatchObject({ verdict: 'pass', basis: 'significant-within-margin' });
    if (verdict.verdict === 'invalid') return;
    expect(verdict.pWorseAdjusted).toBeLessThan(0.05);
  });

  it('pass: no significant change and the whole interval is below +5%', () => {
    const verdict = decideAlone(trials(10, 0.01), otherTrials(10, 0.01));
    expect(verdict).toMatchObject({ verdict: 'pass', basis: 'interval-within-margin' });
    if (verdict.verdict === 'invalid') return;
    expect(verdict.ratioInterval.high).toBeLessThanOrEqual(1.05);
  });

  it('inconclusive: noise too large, with the trials per side that would decide it', () => {
    const baseline = trials(10, 0.15);
    const current = otherTrials(10.6, 0.15);
    const comparison = compareMetric({ baseline, current, allowedRegression: 0.05, direction: 'lower-is-better' });
    const [verdict] = decideVerdicts([comparison]);
    expect(verdict).toMatchObject({ verdict: 'inconclusive', basis: 'undecided' });
    if (verdict?.verdict !== 'inconclusive' || comparison.status !== 'ok') throw new Error('unexpected');
    // 80% power for a shift of ln 1.05 at α/1, from the observed robust σ of the logs.
    const expected = trialsPerSideToDetect({ sigma: comparison.noiseSigmaLog, shift: Math.log(1.05), alphaOneSided: 0.05 });
    expect(verdict.trialsNeededPerSide).toBe(Math.max(expected, minimumTrialsForSignificance(0.025), 11));
    expect(verdict.trialsNeededPerSide).toBeGreaterThan(10);
  });

  it('higher-is-better: a throughput drop is the regression, a rise the improvement', () => {
    const baseline = trials(1000, 0.02);
    const drop = decideAlone(baseline, otherTrials(880, 0.02), 'higher-is-better');
    const rise = decideAlone(baseline, otherTrials(1120, 0.02), 'higher-is-better');
    expect(drop).toMatchObject({ verdict: 'regression', regressionRatio: 0.95 });
    expect(rise).toMatchObject({ verdict: 'improvement' });
  });

  it('higher-is-better: a −3% throughput change is within a 5% allowance', () => {
    expect(decideAlone(trials(1000, 0.002), otherTrials(970, 0.002), 'higher-is-better')).toMatchObject({
      verdict: 'pass',
      basis: 'significant-within-margin',
    });
  });

  it('+4.9% with every current trial above every baseline trial: pass, the margin decides', () => {
    expect(decideAlone(trials(10, 0.001), otherTrials(10.49, 0.001)).verdict).toBe('pass');
  });
});
