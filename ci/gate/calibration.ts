import { z } from 'zod';
import { minimumDetectableRegression } from '../stats/index.js';
import { planningSigmaLog } from '../stats/noise.js';
import { minimumTrialsForSignificance, trialsPerSideToDetect } from '../stats/power.js';
import type { ScenarioPair, SideData } from './types.js';

/** What an A/A run says about this machine's noise, per scenario and gated metric (stored in results.json). */
export const calibrationRowSchema = z.object({
  scenario: z.string(),
  metric: z.string(),
  /** Trial-to-trial noise: robust σ of log values (≈ coefficient of variation). */
  sigmaLog: z.number(),
  trialsPerSide: z.number(),
  /** Smallest worsening the gate detects with 80% power at these trials (fraction), or null if none can be. */
  minimumDetectableRegression: z.number().nullable(),
  /** The scenario's allowed regression (fraction). */
  allowedRegression: z.number(),
  /** Trials per side needed to detect a worsening equal to the allowed regression with 80% power. */
  trialsNeededForAllowed: z.number(),
});
export type CalibrationRow = z.infer<typeof calibrationRowSchema>;

export const calibrationReportSchema = z.object({
  alpha: z.number(),
  /** Relative gate rules across the suite: the Holm family a real gate run tests. */
  familySize: z.number(),
  rows: z.array(calibrationRowSchema),
});
export type CalibrationReport = z.infer<typeof calibrationReportSchema>;

/**
 * Calibration from two runs of the same code (pure): side A as the pair's baseline, B as its
 * current. Absolute rules (error ratio) have no noise model and are left out.
 */
export function calibrate(pairs: readonly ScenarioPair[], alpha: number): CalibrationReport {
  const familySize = Math.max(1, pairs.flatMap((p) => p.gate.filter((r) => r.allowed.kind === 'relative')).length);
  const rows: CalibrationRow[] = [];
  for (const pair of pairs) {
    for (const rule of pair.gate) {
      if (rule.allowed.kind !== 'relative' || pair.baseline === null) continue;
      const valuesOf = (side: SideData) => side.trials.flatMap((t) => (t[rule.metric] !== undefined ? [t[rule.metric] as number] : []));
      const aValues = valuesOf(pair.baseline).filter((v) => v > 0);
      const bValues = valuesOf(pair.current).filter((v) => v > 0);
      if (aValues.length < 2 || bValues.length < 2) continue;
      const trialsPerSide = Math.min(aValues.length, bValues.length);
      const sigmaLog = planningSigmaLog(aValues.map(Math.log), bValues.map(Math.log));
      const direction = rule.direction;
      const detectable = minimumDetectableRegression({ noise: { sigmaLog }, trialsPerSide, alpha, familySize, direction });
      rows.push({
        scenario: pair.scenario,
        metric: rule.metric,
        sigmaLog,
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
      });
    }
  }
  return { alpha, familySize, rows };
}
