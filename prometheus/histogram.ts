import { parsePrometheusFloat, type MetricFamily } from './parse-text.js';

/** One classic-histogram bucket: observations <= `upperBound` (cumulative, as `le` is). */
export interface Bucket {
  upperBound: number;
  count: number;
}

export interface HistogramSeries {
  /** The series' labels without `le`. */
  labels: Readonly<Record<string, string>>;
  /** Sorted by upper bound; the last is +Inf in any well-formed exposition. */
  buckets: Bucket[];
  sum: number;
  count: number;
}

/**
 * The series of a histogram family, one per label set (without `le`). A series with no `_count`
 * sample takes its +Inf bucket's count; one with no `_sum` has sum NaN.
 */
export function histogramSeries(family: MetricFamily): HistogramSeries[] {
  if (family.type !== 'histogram') throw new TypeError(`${family.name} is a ${family.type}, not a histogram`);
  const byKey = new Map<string, { labels: Record<string, string>; buckets: Bucket[]; sum?: number; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...labels } = sample.labels;
    const key = labelKey(labels);
    let series = byKey.get(key);
    if (series === undefined) {
      series = { labels, buckets: [] };
      byKey.set(key, series);
    }
    if (sample.name === `${family.name}_bucket` && le !== undefined) {
      series.buckets.push({ upperBound: parsePrometheusFloat(le), count: sample.value });
    } else if (sample.name === `${family.name}_sum`) {
      series.sum = sample.value;
    } else if (sample.name === `${family.name}_count`) {
      series.count = sample.value;
    }
  }
  return [...byKey.values()].map(({ labels, buckets, sum, count }) => {
    buckets.sort((a, b) => a.upperBound - b.upperBound);
    const infBucket = buckets.at(-1);
    const fallbackCount = infBucket?.upperBound === Infinity ? infBucket.count : Number.NaN;
    return { labels, buckets, sum: sum ?? Number.NaN, count: count ?? fallbackCount };
  });
}

/** The series whose labels include every pair in `match`. */
export function findSeries(series: readonly HistogramSeries[], match: Readonly<Record<string, string>>): HistogramSeries[] {
  const wanted = Object.entries(match);
  return series.filter((s) => wanted.every(([name, value]) => s.labels[name] === value));
}

/**
 * PromQL's `sum(...) by (le)`: bucket counts added per upper bound (a bound only some series have
 * gets only their counts), sums and counts added. Null for no series.
 */
export function sumSeries(series: readonly HistogramSeries[]): HistogramSeries | null {
  if (series.length === 0) return null;
  const countsByBound = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const s of series) {
    for (const bucket of s.buckets) countsByBound.set(bucket.upperBound, (countsByBound.get(bucket.upperBound) ?? 0) + bucket.count);
    sum += s.sum;
    count += s.count;
  }
  const buckets = [...countsByBound.entries()]
    .map(([upperBound, c]) => ({ upperBound, count: c }))
    .sort((a, b) => a.upperBound - b.upperBound);
  return { labels: {}, buckets, sum, count };
}

/**
 * What happened between two scrapes of one series: `after − before` per bucket. If anything went
 * down, or the bucket layout changed, the process restarted in between; like `rate()` on a counter
 * reset, `after` itself is then the delta (everything it counted happened since the restart).
 */
export function histogramDelta(before: HistogramSeries | undefined, after: HistogramSeries): HistogramSeries {
  if (before === undefined || isReset(before, after)) return after;
  return {
    labels: after.labels,
    buckets: after.buckets.map((bucket, i) => ({ upperBound: bucket.upperBound, count: bucket.count - (before.buckets[i]?.count ?? 0) })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

function isReset(before: HistogramSeries, after: HistogramSeries): boolean {
  if (after.count < before.count) return true;
  if (before.buckets.length !== after.buckets.length) return true;
  return after.buckets.some((bucket, i) => {
    const old = before.buckets[i];
    return old === undefined || old.upperBound !== bucket.upperBound || bucket.count < old.count;
  });
}

/** Prometheus' smallDeltaTolerance: relative bucket differences below this are float noise. */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL_FLOAT64 = 2 ** -1022;

/**
 * PromQL's `histogram_quantile(q, …)` over classic buckets, with Prometheus' exact semantics
 * (promql/quantile.go, bucketQuantile): linear interpolation inside the bucket holding rank
 * q·count; 0 as the lower edge of a lowest bucket with a positive bound; a rank in the +Inf bucket
 * returns the highest finite bound. NaN for NaN q, no +Inf bucket, fewer than two buckets after
 * merging equal bounds, or no observations; -Inf for q < 0, +Inf for q > 1.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (buckets.length === 0) return Number.NaN;
  const sorted = buckets.map((b) => ({ ...b })).sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if (sorted.at(-1)?.upperBound !== Infinity) return Number.NaN;

  const merged = coalesce(sorted);
  ensureMonotonicIgnoringSmallDeltas(merged, SMALL_DELTA_TOLERANCE);
  if (merged.length < 2) return Number.NaN;
  const observations = merged.at(-1)?.count ?? 0;
  if (observations === 0) return Number.NaN;

  let rank = q * observations;
  const b = searchFirst(merged.length - 1, (i) => (merged[i]?.count ?? 0) >= rank);
  if (b === merged.length - 1) return merged[merged.length - 2]?.upperBound ?? Number.NaN;
  const bucket = merged[b] as Bucket;
  if (b === 0 && bucket.upperBound <= 0) return bucket.upperBound;

  let bucketStart = 0;
  let count = bucket.count;
  const previous = merged[b - 1];
  if (previous !== undefined) {
    bucketStart = previous.upperBound;
    count -= previous.count;
    rank -= previous.count;
  }
  return bucketStart + (bucket.upperBound - bucketStart) * (rank / count);
}

/** Adds up buckets that share an upper bound ("0.2", "2e-1" and "2.0e-1" are one bucket). */
function coalesce(sorted: readonly Bucket[]): Bucket[] {
  const merged: Bucket[] = [];
  for (const bucket of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && last.upperBound === bucket.upperBound) last.count += bucket.count;
    else merged.push({ ...bucket });
  }
  return merged;
}

/**
 * Counts must not decrease with the bound, but rule evaluation, remote write and float rounding
 * can make them. First tiny relative differences (either way) are ignored, then the envelope is
 * taken so every decrease is flattened to the previous count.
 */
function ensureMonotonicIgnoringSmallDeltas(buckets: Bucket[], tolerance: number): void {
  let previous = buckets[0]?.count ?? 0;
  for (const bucket of buckets.slice(1)) {
    const current = bucket.count;
    if (current === previous) continue;
    if (almostEqual(previous, current, tolerance) || current < previous) {
      bucket.count = previous;
      continue;
    }
    previous = current;
  }
}

/** Prometheus' util/almost.Equal: relative comparison, absolute near zero. */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL_FLOAT64) return diff < epsilon * MIN_NORMAL_FLOAT64;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Go's sort.Search: the smallest i in [0, n) with found(i), or n; binary, as Prometheus searches. */
function searchFirst(n: number, found: (i: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (found(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** A stable identity for a label set, whatever order the labels came in. */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
