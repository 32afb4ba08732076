/**
 * Trial-to-trial noise of log values: robust to the odd noisy-neighbour trial, with fallbacks
 * so that a planning number exists even for tiny or heavily tied samples.
 */
import { medianAbsoluteDeviation, sampleVariance } from 'simple-statistics';

/** 1.4826·MAD is a consistent estimate of σ for normal data, and ignores a stray outlier. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * Robust σ pooled over groups (each around its own median), weighted by size − 1 like a pooled
 * variance. Groups with fewer than two values carry no dispersion information and are skipped;
 * null when no group has two values.
 */
export function pooledRobustSigma(groups: readonly (readonly number[])[]): number | null {
  return pooled(groups, (group) => (MAD_TO_SIGMA * medianAbsoluteDeviation(group)) ** 2);
}

/**
 * σ of log values for planning trial counts: pooled 1.4826·MAD; if that is 0 (over half the
 * values tied), the pooled standard deviation; with one value per side, |difference| / √2
 * (the difference of two draws has variance 2σ²); 0 when no dispersion is visible at all.
 */
export function planningSigmaLog(logBaseline: readonly number[], logCurrent: readonly number[]): number {
  const robust = pooledRobustSigma([logBaseline, logCurrent]);
  if (robust !== null && robust > 0) return robust;
  const classical = pooled([logBaseline, logCurrent], (group) => sampleVariance(group));
  if (classical !== null) return classical;
  return Math.abs((logCurrent[0] ?? 0) - (logBaseline[0] ?? 0)) / Math.SQRT2;
}

function pooled(groups: readonly (readonly number[])[], variance: (group: readonly number[]) => number): number | null {
  let weighted = 0;
  let degrees = 0;
  for (const group of groups) {
    if (group.length < 2) continue;
    weighted += (group.length - 1) * variance(group);
    degrees += group.length - 1;
  }
  return degrees === 0 ? null : Math.sqrt(weighted / degrees);
}
