/**
 * Noise calibration: from an A/A run (or a known σ), the smallest regression the gate can
 * detect on this machine with a given number of trials.
 */
import type { Direction } from './comparison.js';
import { DEFAULT_ALPHA } from './defaults.js';
import { planningSigmaLog } from './noise.js';
import { DEFAULT_POWER, detectableShift, minimumTrialsForSignificance } from './power.js';
import { trialValuesProblem } from './trials.js';

export type NoiseSource =
  /** σ of log trial values, known from elsewhere. */
  | { readonly sigmaLog: number }
  /** Trial values of two runs of the same code (A/A): the noise is measured from them. */
  | { readonly aaBaseline: readonly number[]; readonly aaCurrent: readonly number[] };

export interface DetectableRegressionInput {
  readonly noise: NoiseSource;
  readonly trialsPerSide: number;
  /** Family-wise α; default DEFAULT_ALPHA. */
  readonly alpha?: number;
  /** Comparisons in a run: the most significant must reach α / familySize (Holm). Default 1. */
  readonly familySize?: number;
  /** Default DEFAULT_POWER (0.8). */
  readonly power?: number;
  /** Default lower-is-better (the answer is then a fractional increase). */
  readonly direction?: Direction;
}

export type DetectableRegression =
  | {
      readonly status: 'ok';
      /**
       * Smallest worsening, as a fraction (0.08 = +8% latency, or −8% throughput), that reaches
       * significance with the requested power. The gate also needs the estimate beyond the
       * allowed regression, so what it flags is at least that as well.
       */
      readonly minimumDetectableRegression: number;
      readonly sigmaLog: number;
      /** The per-comparison one-sided level used: α / familySize. */
      readonly alphaOneSided: number;
    }
  | {
      /** So few trials that even the most extreme ranking is not significant at this level. */
      readonly status: 'too-few-trials';
      readonly minimumTrialsPerSide: number;
      readonly alphaOneSided: number;
    }
  | { readonly status: 'error'; readonly reason: string };

export function minimumDetectableRegression(input: DetectableRegressionInput): DetectableRegression {
  const { trialsPerSide, alpha = DEFAULT_ALPHA, familySize = 1, power = DEFAULT_POWER, direction = 'lower-is-better' } = input;
  if (!Number.isInteger(trialsPerSide) || trialsPerSide < 1) {
    return { status: 'error', reason: `trialsPerSide: expected an integer ≥ 1, got ${String(trialsPerSide)}` };
  }
  if (!(alpha > 0 && alpha < 1)) return { status: 'error', reason: `alpha: expected a number in (0, 1), got ${String(alpha)}` };
  if (!Number.isInteger(familySize) || familySize < 1) {
    return { status: 'error', reason: `familySize: expected an integer ≥ 1, got ${String(familySize)}` };
  }
  if (!(power > 0 && power < 1)) return { status: 'error', reason: `power: expected a number in (0, 1), got ${String(power)}` };
  const sigma = noiseSigma(input.noise);
  if (typeof sigma === 'string') return { status: 'error', reason: sigma };

  const alphaOneSided = alpha / familySize;
  const minimumTrialsPerSide = minimumTrialsForSignificance(alphaOneSided);
  if (trialsPerSide < minimumTrialsPerSide) return { status: 'too-few-trials', minimumTrialsPerSide, alphaOneSided };
  const shift = detectableShift({ sigma, trialsPerSide, alphaOneSided, power });
  return {
    status: 'ok',
    minimumDetectableRegression: direction === 'lower-is-better' ? Math.expm1(shift) : -Math.expm1(-shift),
    sigmaLog: sigma,
    alphaOneSided,
  };
}

/** σ of log values, or a one-line problem. */
function noiseSigma(noise: NoiseSource): number | string {
  if ('sigmaLog' in noise) {
    return Number.isFinite(noise.sigmaLog) && noise.sigmaLog >= 0
      ? noise.sigmaLog
      : `noise.sigmaLog: expected a finite number ≥ 0, got ${String(noise.sigmaLog)}`;
  }
  const problem = trialValuesProblem('baseline', noise.aaBaseline) ?? trialValuesProblem('current', noise.aaCurrent);
  if (problem !== null) return `noise: ${problem}`;
  if (noise.aaBaseline.length + noise.aaCurrent.length < 3) {
    const total = noise.aaBaseline.length + noise.aaCurrent.length;
    return `noise: expected at least 3 A/A trials in all to estimate the noise, got ${total}`;
  }
  return planningSigmaLog(noise.aaBaseline.map(Math.log), noise.aaCurrent.map(Math.log));
}
