/**
 * Wilcoxon's signed-rank test and the Hodges–Lehmann estimate for paired samples: trial k of the
 * baseline and trial k of the current side ran next to each other in time, so the machine's slow
 * drifts hit both; the differences d_k cancel what the pair shares. Measured on a 2-vCPU VM, A/A:
 * the paired differences of hot-loop client p95 had half the spread of an unpaired comparison,
 * mixed p95 a quarter (README, "Pairing").
 *
 * Exact by default: the null distribution is the sign-flip distribution of the observed
 * (mid)ranks, counted by dynamic programming over doubled ranks, so ties are handled exactly;
 * zero differences carry no sign and are dropped from the test (Wilcoxon's convention, R's
 * `wilcox.test`), but kept in the estimate.
 */
import { normalCdf, normalQuantile } from './normal.js';

/** Beyond this many non-zero pairs the normal approximation (with tie correction) is used. */
export const SIGNED_RANK_EXACT_MAX_PAIRS = 100;

export interface SignedRankResult {
  /** Sum of the ranks of |d| over positive differences (mid-ranks for ties). */
  readonly wPlus: number;
  /** Pairs with a non-zero difference: the test's sample size. */
  readonly nonZero: number;
  /** P(W+ ≥ observed) under symmetry about 0: small when differences are mostly positive. */
  readonly pGreater: number;
  /** P(W+ ≤ observed): small when differences are mostly negative. */
  readonly pLess: number;
  readonly method: 'exact' | 'normal';
}

export function signedRankTest(differences: readonly number[], options: { exactMaxPairs?: number } = {}): SignedRankResult {
  const nonZero = differences.filter((d) => d !== 0);
  const n = nonZero.length;
  if (n === 0) return { wPlus: 0, nonZero: 0, pGreater: 1, pLess: 1, method: 'exact' };
  const doubledRanks = doubledMidRanks(nonZero.map(Math.abs));
  const doubledWPlus = nonZero.reduce((sum, d, i) => (d > 0 ? sum + (doubledRanks[i] as number) : sum), 0);
  const wPlus = doubledWPlus / 2;
  if (n <= (options.exactMaxPairs ?? SIGNED_RANK_EXACT_MAX_PAIRS)) {
    const distribution = signFlipDistribution(doubledRanks);
    return {
      wPlus,
      nonZero: n,
      pGreater: tailAtLeast(distribution, doubledWPlus),
      pLess: tailAtMost(distribution, doubledWPlus),
      method: 'exact',
    };
  }
  // Normal approximation with the tie correction: Var = Σ r_i² / 4 over the (mid)ranks.
  const mean = doubledRanks.reduce((a, b) => a + b, 0) / 4;
  const sd = Math.sqrt(doubledRanks.reduce((a, r) => a + r * r, 0) / 16);
  const z = (value: number) => (sd === 0 ? 0 : (value - mean) / sd);
  return { wPlus, nonZero: n, pGreater: 1 - normalCdf(z(wPlus - 0.5)), pLess: normalCdf(z(wPlus + 0.5)), method: 'normal' };
}

export interface PairedShift {
  /** Hodges–Lehmann estimate: the median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j. */
  readonly shift: number;
  /** Confidence bounds; ∓Infinity when too few pairs bound the shift at this level. */
  readonly low: number;
  readonly high: number;
  /** Coverage the interval really has (exact intervals move in discrete steps, so ≥ the request). */
  readonly achievedConfidence: number;
  readonly method: 'exact' | 'normal';
}

/**
 * The shift and its distribution-free interval from the order statistics of the Walsh averages,
 * cut at the signed-rank critical value (Tukey's construction; R: `wilcox.test(conf.int = TRUE)`).
 * The cut assumes untied data; with ties the interval is slightly conservative.
 */
export function pairedShift(differences: readonly number[], options: { confidenceLevel: number; exactMaxPairs?: number }): PairedShift {
  const n = differences.length;
  if (n === 0) throw new RangeError('pairedShift needs at least one pair');
  const { confidenceLevel } = options;
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new RangeError(`confidenceLevel must be in (0, 1), got ${confidenceLevel}`);
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push(((differences[i] as number) + (differences[j] as number)) / 2);
  walsh.sort((a, b) => a - b);
  const count = walsh.length;
  const shift = ((walsh[(count - 1) >> 1] as number) + (walsh[count >> 1] as number)) / 2;
  const tail = (1 - confidenceLevel) / 2;
  const exact = n <= (options.exactMaxPairs ?? SIGNED_RANK_EXACT_MAX_PAIRS);
  const { k, achievedConfidence } = exact ? exactCut(n, tail) : normalCut(n, tail);
  return {
    shift,
    low: k === 0 ? Number.NEGATIVE_INFINITY : (walsh[k - 1] as number),
    high: k === 0 ? Number.POSITIVE_INFINITY : (walsh[count - k] as number),
    achievedConfidence,
    method: exact ? 'exact' : 'normal',
  };
}

/** Largest k with P(W+ ≤ k − 1) ≤ tail under no ties, so [W_(k), W_(M+1−k)] covers ≥ 1 − 2·tail. */
function exactCut(n: number, tail: number): { k: number; achievedConfidence: number } {
  const distribution = signFlipDistribution(Array.from({ length: n }, (_, i) => 2 * (i + 1)));
  let k = 0;
  let below = 0; // P(W+ ≤ k − 1), W+ on the doubled scale is 2·value
  for (let value = 0; ; value++) {
    const next = below + (distribution[2 * value] ?? 0);
    if (next > tail) break;
    below = next;
    k = value + 1;
  }
  return { k, achievedConfidence: k === 0 ? 1 : 1 - 2 * below };
}

function normalCut(n: number, tail: number): { k: number; achievedConfidence: number } {
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  const k = Math.max(0, Math.floor(mean + normalQuantile(tail) * sd + 0.5));
  return { k, achievedConfidence: k === 0 ? 1 : 1 - 2 * tail };
}

/**
 * P(Σ of a random subset of `doubledRanks` = s) for every s: each rank is in the subset (its pair
 * positive) with probability ½. Index = the doubled sum.
 */
export function signFlipDistribution(doubledRanks: readonly number[]): number[] {
  const total = doubledRanks.reduce((a, b) => a + b, 0);
  let ways = new Float64Array(total + 1);
  ways[0] = 1;
  let reach = 0;
  for (const rank of doubledRanks) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= reach; s++) {
      const w = ways[s] as number;
      if (w === 0) continue;
      next[s] = (next[s] as number) + w / 2;
      next[s + rank] = (next[s + rank] as number) + w / 2;
    }
    ways = next;
    reach += rank;
  }
  return Array.from(ways);
}

function tailAtLeast(distribution: readonly number[], doubledValue: number): number {
  let p = 0;
  for (let s = doubledValue; s < distribution.length; s++) p += distribution[s] as number;
  return Math.min(1, p);
}

function tailAtMost(distribution: readonly number[], doubledValue: number): number {
  let p = 0;
  for (let s = 0; s <= doubledValue && s < distribution.length; s++) p += distribution[s] as number;
  return Math.min(1, p);
}

/** 2 × mid-ranks (integers) of the values, ranking ascending; ties share the mean rank. */
function doubledMidRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && (order[end + 1] as { value: number }).value === (order[start] as { value: number }).value) end++;
    // ranks start+1 … end+1 share their mean; doubled: (start + 1 + end + 1)
    for (let i = start; i <= end; i++) ranks[(order[i] as { index: number }).index] = start + end + 2;
    start = end + 1;
  }
  return ranks;
}
