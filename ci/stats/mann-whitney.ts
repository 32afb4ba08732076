/**
 * One-sided Mann–Whitney U (Wilcoxon rank-sum) test between a baseline and a current sample.
 *
 * Exact null distribution (ties handled through doubled mid-ranks) up to
 * `EXACT_MAX_TOTAL_TRIALS` pooled trials; beyond that the normal approximation with the tie
 * correction of the variance and a continuity correction, as in R's `wilcox.test(exact = FALSE)`.
 */
import { normalCdf, normalSurvival } from './normal.js';
import { doubledRankSumDistribution, probabilityAtLeast, probabilityAtMost } from './rank-sum-distribution.js';

/** Up to this many pooled trials (baseline + current) p-values come from the exact distribution. */
export const EXACT_MAX_TOTAL_TRIALS = 60;

export type TestMethod = 'exact' | 'normal';

export interface MannWhitneyResult {
  readonly baselineCount: number;
  readonly currentCount: number;
  /** Pairs (baseline i, current j) with current > baseline, ties counting ½; 0 … n·m. */
  readonly uCurrent: number;
  /** Rank sum of the current sample (mid-ranks for ties), 1-based ranks. */
  readonly rankSumCurrent: number;
  /** One-sided p-value against "current tends to be larger than baseline". */
  readonly pCurrentLarger: number;
  /** One-sided p-value against "current tends to be smaller than baseline". */
  readonly pCurrentSmaller: number;
  readonly method: TestMethod;
  readonly hasTies: boolean;
}

export interface MannWhitneyOptions {
  /** Default `EXACT_MAX_TOTAL_TRIALS`; 0 forces the normal approximation. */
  readonly exactMaxTotalTrials?: number;
}

/** Precondition: both samples non-empty and free of NaN (validated upstream). */
export function mannWhitney(baseline: readonly number[], current: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const n = baseline.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError(`mannWhitney needs two non-empty samples, got ${n} and ${m}`);
  const { doubledRanks, tieSizes } = doubledMidRanks([...baseline, ...current]);
  let doubledRankSumCurrent = 0;
  for (let j = 0; j < m; j++) doubledRankSumCurrent += doubledRanks[n + j] ?? 0;
  const rankSumCurrent = doubledRankSumCurrent / 2;
  const uCurrent = rankSumCurrent - (m * (m + 1)) / 2;
  const hasTies = tieSizes.some((size) => size > 1);
  const exactMax = options.exactMaxTotalTrials ?? EXACT_MAX_TOTAL_TRIALS;

  if (n + m <= exactMax) {
    const distribution = doubledRankSumDistribution(doubledRanks, m);
    return {
      baselineCount: n,
      currentCount: m,
      uCurrent,
      rankSumCurrent,
      pCurrentLarger: probabilityAtLeast(distribution, doubledRankSumCurrent),
      pCurrentSmaller: probabilityAtMost(distribution, doubledRankSumCurrent),
      method: 'exact',
      hasTies,
    };
  }

  const total = n + m;
  const tieTerm = tieSizes.reduce((sum, t) => sum + (t * t * t - t), 0) / (total * (total - 1));
  const sd = Math.sqrt(((n * m) / 12) * (total + 1 - tieTerm));
  const centred = uCurrent - (n * m) / 2;
  return {
    baselineCount: n,
    currentCount: m,
    uCurrent,
    rankSumCurrent,
    // All values tied: the statistic cannot move, so nothing is evidence of a shift.
    pCurrentLarger: sd === 0 ? 1 : normalSurvival((centred - 0.5) / sd),
    pCurrentSmaller: sd === 0 ? 1 : normalCdf((centred + 0.5) / sd),
    method: 'normal',
    hasTies,
  };
}

/** Doubled mid-ranks (integers) of `values` in input order, and the size of every tie group. */
export function doubledMidRanks(values: readonly number[]): { doubledRanks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const doubledRanks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1] ?? 0] === values[order[start] ?? 0]) end++;
    // 0-based positions start..end hold ranks start+1 … end+1; twice their mean is start+end+2.
    for (let k = start; k <= end; k++) doubledRanks[order[k] ?? 0] = start + end + 2;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { doubledRanks, tieSizes };
}
