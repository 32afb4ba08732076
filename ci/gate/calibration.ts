import { z } from 'zod';
import { compareMetric, comparePairedMetric, minimumDetectableRegression } from '../stats/index.js';
import { proposeMargin } from '../stats/margin.js';
import { sigmaUpperBound } from '../stats/noise.js';
import { minimumTrialsForSignificance, trialsPerSideToDetect } from '../stats/power.js';
import { pairedValues } from './evaluate.js';
import type { ScenarioPair, SideData } from './types.js';

/** What an A/A run says about this machine's noise, per scenario and gated metric (stored in results.json). */
export const calibrationRowSchema = z.object({
  scenario: z.string(),
  metric: z.string(),
  /** Trial-to-trial noise: robust σ of log values (≈ coefficient of variation). */
  sigmaLog: z.number(),
  /** Its 80% upper confidence bound, which the proposed margin is planned on; null where no margin is proposed. */
  sigmaLogUpper: z.number().nullable().default(null),
  trialsPerSide: z.number(),
  /** Smallest worsening the gate detects with 80% power at these trials (fraction), or null if none can be. */
  minimumDetectableRegression: z.number().nullable(),
  /** The scenario's allowed regression (fraction). */
  allowedRegression: z.number(),
  /** Trials per side needed to detect a worsening equal to the allowed regression with 80% power. */
  trialsNeededForAllowed: z.number(),
  /** How the gate compares this metric: trial k with trial k (`paired`), or the two sides as samples. */
  design: z.enum(['paired', 'independent']).default('independent'),
  /**
   * The margin this noise supports at these trials (paired design only; ci/stats/margin.ts): the
   * smallest at which the unchanged code is decided `pass` in 95% of runs; null where not paired.
   */
  proposedMargin: z.number().nullable().default(null),
  /** The worsening that margin catches in 95% of runs (fraction); null where none can be. */
  caughtWithProposed: z.number().nullable().default(null),
});
export type CalibrationRow = z.infer<typeof calibrationRowSchema>;

export const calibrationReportSchema = z.object({
  alpha: z.number(),
  /** The level of the gate's first look, which proposed margins are planned for (α/2 with several looks). */
  firstLookAlpha: z.number().nullable().default(null),
  /** Relative gate rules across the suite: the Holm family a real gate run tests. */
  familySize: z.number(),
  rows: z.array(calibrationRowSchema),
});
export type CalibrationReport = z.infer<typeof calibrationReportSchema>;

/** Margins are planned on this upper confidence bound of the measured noise (ci/stats/noise.ts). */
export const MARGIN_NOISE_BOUND = 0.8;

/**
 * Calibration from two runs of the same code (pure): side A as the pair's baseline, B as its
 * current. The noise is what the gate's own comparison sees (paired log ratios where the trials
 * are paired). Absolute rules (error ratio) have no noise model and are left out.
 */
export function calibrate(pairs: readonly ScenarioPair[], alpha: number, firstLookAlpha: number = alpha): CalibrationReport {
  // Deterministic counts are compared directly, never tested: no noise, no place in the family.
  const tested = (rule: ScenarioPair['gate'][number]) => rule.allowed.kind === 'relative' && rule.deterministic !== true;
  const familySize = Math.max(1, pairs.flatMap((p) => p.gate.filter(tested)).length);
  const rows: CalibrationRow[] = [];
  for (const pair of pairs) {
    for (const rule of pair.gate) {
      if (!tested(rule) || rule.allowed.kind !== 'relative' || pair.baseline === null) continue;
      const valuesOf = (side: SideData) => side.trials.flatMap((t) => (t[rule.metric] !== undefined ? [t[rule.metric] as number] : []));
      const paired = pair.design === 'paired' ? pairedValues(pair, rule.metric) : null;
      const input = { allowedRegression: rule.allowed.fraction, direction: rule.direction };
      const comparison = paired
        ? comparePairedMetric({ ...input, ...paired })
        : compareMetric({ ...input, baseline: valuesOf(pair.baseline), current: valuesOf(pair.current) });
      if (comparison.status !== 'ok' || Math.min(comparison.baselineTrials, comparison.currentTrials) < 2) continue;
      const trialsPerSide = Math.min(comparison.baselineTrials, comparison.currentTrials);
      const sigmaLog = comparison.noiseSigmaLog;
      const direction = rule.direction;
      const sigmaLogUpper = paired ? sigmaUpperBound(sigmaLog, trialsPerSide, MARGIN_NOISE_BOUND) : null;
      const margin =
        sigmaLogUpper !== null && Number.isFinite(sigmaLogUpper)
          ? proposeMargin({
              sigmaLog: sigmaLogUpper,
              trialsPerSide,
              confidenceLevel: comparison.ratioInterval.confidenceLevel,
              alphaOneSided: firstLookAlpha / familySize,
            })
          : null;
      const detectable = minimumDetectableRegression({ noise: { sigmaLog }, trialsPerSide, alpha, familySize, direction });
      // Too few trials bound no interval (fewer than 6 pairs at 95%), and a margin must stay below 100%.
      const usable = margin && margin.marginFraction < 1 ? margin : null;
      rows.push({
        scenario: pair.scenario,
        metric: rule.metric,
        sigmaLog,
        sigmaLogUpper,
        trialsPerSide,
        minimumDetectableRegression: detectable.status === 'ok' ? detectable.minimumDetectableRegression : null,
        allowedRegression: rule.allowed.fraction,
        trialsNeededForAllowed: Math.max(
          trialsPerSideToDetect({
            sigma: sigmaLog,
            shift: Math.abs(Math.log(direction === 'lower-is-better' ? 1 + rule.allowed.fraction : 1 - rule.allowed.fraction)),
            alphaOneSided: alpha / familySize,
            power: 0.8,
          }),
          minimumTrialsForSignificance(alpha / familySize),
        ),
        design: paired ? 'paired' : 'independent',
        proposedMargin: usable ? usable.marginFraction : null,
        caughtWithProposed: usable && Number.isFinite(usable.caughtFraction) ? usable.caughtFraction : null,
      });
    }
  }
  return { alpha, firstLookAlpha, familySize, rows };
}
