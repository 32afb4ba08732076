/**
 * Trial-to-trial noise of log values: robust to the odd noisy-neighbour trial, with fallbacks
 * so that a planning number exists even for tiny or heavily tied samples.
 */
import { medianAbsoluteDeviation, sampleVariance } from 'simple-statistics';
import { normalQuantile } from './normal.js';

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

/**
 * An upper confidence bound for σ estimated from `count` values (`count − 1` degrees of freedom):
 * σ·√(df / χ²_{1−level, df}), with Wilson–Hilferty's approximation of the χ² quantile (within
 * 0.2% of tables from df = 5). One A/A run's noise estimate is itself noisy — at 12 pairs the
 * 80% bound is 1.25× the estimate — so margins are planned on the bound, not on a lucky quiet run.
 */
export function sigmaUpperBound(sigma: number, count: number, level: number): number {
  if (!(Number.isInteger(count) && count >= 2)) throw new RangeError(`count must be an integer ≥ 2, got ${count}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const df = count - 1;
  const a = 2 / (9 * df);
  const chiSquare = df * Math.max(0, 1 - a + normalQuantile(1 - level) * Math.sqrt(a)) ** 3;
  return chiSquare > 0 ? sigma * Math.sqrt(df / chiSquare) : Number.POSITIVE_INFINITY;
}
