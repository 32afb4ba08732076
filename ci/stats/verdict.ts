/**
 * Verdicts for a whole run: Holm across every (scenario, metric) comparison, then a rule that
 * asks for both statistical evidence and a practically relevant effect.
 */
import type { TestMethod } from './mann-whitney.js';
import type { MetricComparison, MetricComparisonOk, RatioInterval } from './comparison.js';
import { DEFAULT_ALPHA } from './defaults.js';
import { holmAdjust } from './holm.js';
import { minimumTrialsForSignificance, trialsPerSideToDetect } from './power.js';

export type Verdict = 'pass' | 'regression' | 'improvement' | 'inconclusive' | 'invalid';

/** Why a verdict was reached, for reports to phrase. */
export type VerdictBasis =
  /** regression / improvement: Holm-significant and the estimate is beyond the margin. */
  | 'significant-beyond-margin'
  /** pass: a real (Holm-significant) change, but the estimate is within the margin. */
  | 'significant-within-margin'
  /** pass: the interval's worse end is within the margin. */
  | 'interval-within-margin'
  /** Both sides constant: the two values were compared directly with the margin. */
  | 'constant-values'
  /** inconclusive: none of the above. */
  | 'undecided';

export interface VerdictStatistics {
  /** current / baseline estimate (Hodges–Lehmann on logs); 1.10 = current 10% higher. */
  readonly ratio: number;
  readonly ratioInterval: RatioInterval;
  /** Ratio beyond which a change is a regression (1 + allowed, or 1 − allowed for higher-is-better). */
  readonly regressionRatio: number;
  /** Unadjusted one-sided p-value for "worse". */
  readonly pWorse: number;
  /** Unadjusted one-sided p-value for "better". */
  readonly pBetter: number;
  /** Holm-adjusted over all valid comparisons' `pWorse`; compare with α. */
  readonly pWorseAdjusted: number;
  /** Holm-adjusted over all valid comparisons' `pBetter`; compare with α. */
  readonly pBetterAdjusted: number;
  readonly method: TestMethod;
  readonly basis: VerdictBasis;
}

export type MetricVerdict =
  | ({ readonly verdict: 'pass' | 'regression' | 'improvement' } & VerdictStatistics)
  | ({
      readonly verdict: 'inconclusive';
      /**
       * Trials per side that would likely decide it: 80% power to detect a shift equal to the
       * margin at α / (number of comparisons), from the observed noise; always more than now.
       */
      readonly trialsNeededPerSide: number;
    } & VerdictStatistics)
  | { readonly verdict: 'invalid'; readonly reason: string };

export const DECISION_POWER = 0.8;

/**
 * One verdict per comparison, in the same order. Comparisons with `status: 'error'` become
 * `invalid` and are left out of the Holm family; `alpha` is the family-wise error rate.
 */
export function decideVerdicts(comparisons: readonly MetricComparison[], alpha: number = DEFAULT_ALPHA): MetricVerdict[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const valid = comparisons.filter((c): c is MetricComparisonOk => c.status === 'ok');
  const worseAdjusted = holmAdjust(valid.map((c) => c.pWorse));
  const betterAdjusted = holmAdjust(valid.map((c) => c.pBetter));
  let next = 0;
  return comparisons.map((comparison) => {
    if (comparison.status === 'error') return { verdict: 'invalid', reason: comparison.reason };
    const index = next++;
    return decideOne(comparison, worseAdjusted[index] ?? 1, betterAdjusted[index] ?? 1, alpha, valid.length);
  });
}

function decideOne(
  c: MetricComparisonOk,
  pWorseAdjusted: number,
  pBetterAdjusted: number,
  alpha: number,
  familySize: number,
): MetricVerdict {
  const lowerIsBetter = c.direction === 'lower-is-better';
  const worseThan = (ratio: number, limit: number) => (lowerIsBetter ? ratio > limit : ratio < limit);
  const betterThan = (ratio: number, limit: number) => (lowerIsBetter ? ratio < limit : ratio > limit);
  const beyondRegression = worseThan(c.ratio, c.regressionRatio);
  const beyondImprovement = betterThan(c.ratio, c.improvementRatio);
  const significantlyWorse = pWorseAdjusted <= alpha;
  const significantlyBetter = pBetterAdjusted <= alpha;
  const intervalWorseEnd = lowerIsBetter ? c.ratioInterval.high : c.ratioInterval.low;

  const statistics = (basis: VerdictBasis): VerdictStatistics => ({
    ratio: c.ratio,
    ratioInterval: c.ratioInterval,
    regressionRatio: c.regressionRatio,
    pWorse: c.pWorse,
    pBetter: c.pBetter,
    pWorseAdjusted,
    pBetterAdjusted,
    method: c.method,
    basis,
  });

  // Repeated identical values carry no noise to test against: the values themselves decide.
  if (c.constantValues) {
    const verdict = beyondRegression ? 'regression' : beyondImprovement ? 'improvement' : 'pass';
    return { verdict, ...statistics('constant-values') };
  }
  if (significantlyWorse && beyondRegression) return { verdict: 'regression', ...statistics('significant-beyond-margin') };
  if (significantlyBetter && beyondImprovement) return { verdict: 'improvement', ...statistics('significant-beyond-margin') };
  if (significantlyWorse || significantlyBetter) return { verdict: 'pass', ...statistics('significant-within-margin') };
  if (!worseThan(intervalWorseEnd, c.regressionRatio)) return { verdict: 'pass', ...statistics('interval-within-margin') };
  return { verdict: 'inconclusive', trialsNeededPerSide: trialsToDecide(c, alpha, familySize), ...statistics('undecided') };
}

function trialsToDecide(c: MetricComparisonOk, alpha: number, familySize: number): number {
  // Holm's first step is the strictest: plan for α / K.
  const alphaOneSided = alpha / Math.max(1, familySize);
  const marginShift = Math.abs(Math.log(c.regressionRatio));
  const intervalTail = (1 - c.ratioInterval.confidenceLevel) / 2;
  return Math.max(
    trialsPerSideToDetect({ sigma: c.noiseSigmaLog, shift: marginShift, alphaOneSided, power: DECISION_POWER }),
    minimumTrialsForSignificance(Math.min(alphaOneSided, intervalTail)),
    Math.max(c.baselineTrials, c.currentTrials) + 1,
  );
}
