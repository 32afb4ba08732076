import type { ScenarioOutcome } from '../../bench/results/results.js';
import { metricInfo } from '../../bench/results/metrics.js';
import { minimumDetectableRegression } from '../stats/index.js';
import { planningSigmaLog } from '../stats/noise.js';
import { minimumTrialsForSignificance, trialsPerSideToDetect } from '../stats/power.js';

/** What an A/A run says about this machine's noise, per scenario and gated metric. */
export interface CalibrationRow {
  scenario: string;
  metric: string;
  /** Trial-to-trial noise: robust σ of log values (≈ coefficient of variation). */
  sigmaLog: number;
  trialsPerSide: number;
  /** Smallest worsening the gate detects with 80% power at these trials (fraction), or null if none can be. */
  minimumDetectableRegression: number | null;
  /** The scenario's allowed regression (fraction). */
  allowedRegression: number;
  /** Trials per side needed to detect a worsening equal to the allowed regression with 80% power. */
  trialsNeededForAllowed: number;
}

export interface CalibrationReport {
  alpha: number;
  /** Relative gate rules across the suite: the Holm family a real gate run tests. */
  familySize: number;
  rows: CalibrationRow[];
}

/** Calibration from two runs of the same code (pure). Absolute rules (error ratio) have no noise model and are left out. */
export function calibrate(pairs: ReadonlyArray<{ a: ScenarioOutcome; b: ScenarioOutcome }>, alpha: number): CalibrationReport {
  const rules = pairs.flatMap(({ b }) =>
    b.spec.gate.filter((r) => r.allowed.kind === 'relative').map((rule) => ({ scenario: b.name, rule })),
  );
  const familySize = Math.max(1, rules.length);
  const rows: CalibrationRow[] = [];
  for (const { a, b } of pairs) {
    for (const rule of b.spec.gate) {
      if (rule.allowed.kind !== 'relative') continue;
      const valuesOf = (outcome: ScenarioOutcome) =>
        outcome.trials
          .filter((t) => t.validity.valid)
          .flatMap((t) => (t.metrics[rule.metric] !== undefined ? [t.metrics[rule.metric] as number] : []));
      const aValues = valuesOf(a).filter((v) => v > 0);
      const bValues = valuesOf(b).filter((v) => v > 0);
      if (aValues.length < 2 || bValues.length < 2) continue;
      const trialsPerSide = Math.min(aValues.length, bValues.length);
      const sigmaLog = planningSigmaLog(aValues.map(Math.log), bValues.map(Math.log));
      const direction = metricInfo(rule.metric)?.direction ?? 'lower-is-better';
      const detectable = minimumDetectableRegression({ noise: { sigmaLog }, trialsPerSide, alpha, familySize, direction });
      rows.push({
        scenario: b.name,
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
