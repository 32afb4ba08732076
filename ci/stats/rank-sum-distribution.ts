/**
 * Exact null distribution of the Wilcoxon rank sum, ties included.
 *
 * Under H0 every choice of which `chosen` of the N pooled trials belong to one side is equally
 * likely, so the rank sum's distribution is that of the sum of a random `chosen`-subset of the
 * pooled scores. With ties the scores are mid-ranks; doubling them makes them integers
 * (a tie group over ranks i..j scores i + j each), so a subset-sum count over integers is exact.
 */

/** P(S = s), P(S ≤ s) and P(S ≥ s) for S = the doubled rank sum of a random subset. */
export interface RankSumDistribution {
  /** Smallest attainable doubled rank sum; index 0 of the arrays below. */
  readonly minDoubledSum: number;
  readonly maxDoubledSum: number;
  readonly probability: Float64Array;
  /** atMost[i] = P(S ≤ minDoubledSum + i), summed from the lower end to keep tail precision. */
  readonly atMost: Float64Array;
  /** atLeast[i] = P(S ≥ minDoubledSum + i), summed from the upper end. */
  readonly atLeast: Float64Array;
}

const CACHE_LIMIT = 256;
// Same trial counts and tie pattern give the same distribution; simulations and CI intervals
// ask for the same few shapes over and over. Insertion-ordered Map as a small LRU.
const cache = new Map<string, RankSumDistribution>();

/**
 * Distribution of the sum of `chosen` scores drawn without replacement from `doubledScores`
 * (integers ≥ 0; in practice doubled mid-ranks). Cost O(N · chosen · maxSum), memoised.
 */
export function doubledRankSumDistribution(doubledScores: readonly number[], chosen: number): RankSumDistribution {
  if (!Number.isInteger(chosen) || chosen < 0 || chosen > doubledScores.length) {
    throw new RangeError(`chosen must be an integer in [0, ${doubledScores.length}], got ${chosen}`);
  }
  for (const score of doubledScores) {
    if (!Number.isInteger(score) || score < 0) throw new RangeError(`scores must be non-negative integers, got ${score}`);
  }
  const sorted = [...doubledScores].sort((a, b) => a - b);
  const key = `${chosen}:${sorted.join(',')}`;
  const cached = cache.get(key);
  if (cached !== undefined) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const distribution = computeDistribution(sorted, chosen);
  cache.set(key, distribution);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return distribution;
}

/** The distribution of twice the rank sum of `chosen` of `total` trials without ties. */
export function untiedDoubledRankSumDistribution(total: number, chosen: number): RankSumDistribution {
  return doubledRankSumDistribution(
    Array.from({ length: total }, (_, i) => 2 * (i + 1)),
    chosen,
  );
}

/** P(S ≤ doubledSum). */
export function probabilityAtMost(distribution: RankSumDistribution, doubledSum: number): number {
  const index = Math.floor(doubledSum) - distribution.minDoubledSum;
  if (index < 0) return 0;
  if (index >= distribution.atMost.length) return 1;
  return distribution.atMost[index] ?? 1;
}

/** P(S ≥ doubledSum). */
export function probabilityAtLeast(distribution: RankSumDistribution, doubledSum: number): number {
  const index = Math.ceil(doubledSum) - distribution.minDoubledSum;
  if (index <= 0) return 1;
  if (index >= distribution.atLeast.length) return 0;
  return distribution.atLeast[index] ?? 0;
}

function computeDistribution(sortedScores: readonly number[], chosen: number): RankSumDistribution {
  const n = sortedScores.length;
  let minSum = 0;
  let maxSum = 0;
  for (let i = 0; i < chosen; i++) {
    minSum += sortedScores[i] ?? 0;
    maxSum += sortedScores[n - 1 - i] ?? 0;
  }
  const width = maxSum + 1;
  // counts[k * width + s] = number of k-subsets of the items seen so far with score sum s.
  // Counts reach C(60, 30) ≈ 1.2e17 > 2^53; doubles keep ~1e-15 relative precision, and all
  // terms are positive, so nothing cancels.
  const counts = new Float64Array((chosen + 1) * width);
  counts[0] = 1;
  let reachable = 0;
  for (let item = 0; item < n; item++) {
    const score = sortedScores[item] ?? 0;
    reachable += score;
    const topK = Math.min(item + 1, chosen);
    for (let k = topK; k >= 1; k--) {
      const row = k * width;
      const previous = (k - 1) * width;
      const hi = Math.min(reachable, maxSum);
      for (let s = hi; s >= score; s--) {
        const from = counts[previous + s - score] ?? 0;
        if (from !== 0) counts[row + s] = (counts[row + s] ?? 0) + from;
      }
    }
  }
  const size = maxSum - minSum + 1;
  const probability = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) total += counts[chosen * width + minSum + i] ?? 0;
  for (let i = 0; i < size; i++) probability[i] = (counts[chosen * width + minSum + i] ?? 0) / total;
  const atMost = new Float64Array(size);
  const atLeast = new Float64Array(size);
  let running = 0;
  for (let i = 0; i < size; i++) {
    running += probability[i] ?? 0;
    atMost[i] = Math.min(1, running);
  }
  running = 0;
  for (let i = size - 1; i >= 0; i--) {
    running += probability[i] ?? 0;
    atLeast[i] = Math.min(1, running);
  }
  return { minDoubledSum: minSum, maxDoubledSum: maxSum, probability, atMost, atLeast };
}
