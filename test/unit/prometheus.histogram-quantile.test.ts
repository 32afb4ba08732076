import { describe, expect, it } from 'vitest';
import { histogramQuantile, type Bucket } from '../../prometheus/histogram.js';

/** Buckets from `[le, count]` pairs, in the order given (histogramQuantile sorts). */
const b = (...pairs: Array<[number, number]>): Bucket[] => pairs.map(([upperBound, count]) => ({ upperBound, count }));

/** Close to `digits` decimals; NaN and ±Inf must match exactly. */
function expectQuantile(actual: number, expected: number, digits: number): void {
  if (Number.isFinite(expected)) expect(actual).toBeCloseTo(expected, digits);
  else expect(actual).toBe(expected);
}

// Expected values are Prometheus' own answers from promql/promqltest/testdata/histograms.test
// (the classic `_bucket` evaluations), quoted case by case. Series are loaded as `0+Nx10` and
// evaluated at 50m, i.e. each bucket holds 10·N; quantiles are scale-free, so the N's suffice.

// testhistogram_bucket{start="positive"}: le 0.1 → 5, .2 → 7, 1e0 → 11, +Inf → 12
const POSITIVE = b([0.1, 5], [0.2, 7], [1, 11], [Infinity, 12]);
// testhistogram_bucket{start="negative"}: le -.2 → 1, -0.1 → 2, 0.3 → 2, +Inf → 3
const NEGATIVE = b([-0.2, 1], [-0.1, 2], [0.3, 2], [Infinity, 3]);
// testhistogram3_bucket: no observations in +Inf
const POSITIVE3 = b([0, 0], [0.1, 5], [0.2, 7], [1, 11], [Infinity, 11]);
const NEGATIVE3 = b([-0.25, 0], [-0.2, 1], [-0.1, 2], [0.3, 2], [Infinity, 2]);
// testhistogram2_bucket: le 0 → 0, 2 → 1, 4 → 2, 6 → 3, +Inf → 3
const MIDDLES = b([0, 0], [2, 1], [4, 2], [6, 3], [Infinity, 3]);

describe('histogramQuantile matches Prometheus histogram_quantile on classic buckets', () => {
  it.each([
    // "Quantile too low." / "Quantile too high." / "Quantile invalid."
    ['q < 0 is -Inf', -0.1, POSITIVE, -Infinity],
    ['q < 0 is -Inf (negative start)', -0.1, NEGATIVE, -Infinity],
    ['q > 1 is +Inf', 1.01, POSITIVE, Infinity],
    ['q > 1 is +Inf (negative start)', 1.01, NEGATIVE, Infinity],
    ['q NaN is NaN', Number.NaN, POSITIVE, Number.NaN],
    // "Quantile value in lowest bucket."
    ['q 0, lowest bound positive: interpolates from 0', 0, POSITIVE, 0],
    ['q 0, lowest bound negative: returns that bound', 0, NEGATIVE, -0.2],
    // "Quantile value in highest bucket."
    ['q 1 in +Inf bucket: highest finite bound', 1, POSITIVE, 1],
    ['q 1 in +Inf bucket (negative start)', 1, NEGATIVE, 0.3],
    // "Finally some useful quantiles."
    ['q 0.2 positive', 0.2, POSITIVE, 0.048],
    ['q 0.2 negative', 0.2, NEGATIVE, -0.2],
    ['q 0.5 positive', 0.5, POSITIVE, 0.15],
    ['q 0.5 negative', 0.5, NEGATIVE, -0.15],
    ['q 0.8 positive', 0.8, POSITIVE, 0.72],
    ['q 0.8 negative', 0.8, NEGATIVE, 0.3],
    // "Test histogram_quantile, native and classic." (testhistogram3_bucket)
    ['testhistogram3 q 0 positive', 0, POSITIVE3, 0],
    ['testhistogram3 q 0 negative', 0, NEGATIVE3, -0.25],
    ['testhistogram3 q 0.25 positive', 0.25, POSITIVE3, 0.055],
    ['testhistogram3 q 0.25 negative', 0.25, NEGATIVE3, -0.225],
    ['testhistogram3 q 0.5 positive', 0.5, POSITIVE3, 0.125],
    ['testhistogram3 q 0.5 negative', 0.5, NEGATIVE3, -0.2],
    ['testhistogram3 q 0.75 positive', 0.75, POSITIVE3, 0.45],
    ['testhistogram3 q 0.75 negative', 0.75, NEGATIVE3, -0.15],
    ['testhistogram3 q 1 positive', 1, POSITIVE3, 1],
    ['testhistogram3 q 1 negative', 1, NEGATIVE3, -0.1],
    // "Want results exactly in the middle of the bucket." (testhistogram2_bucket)
    ['middle of bucket, q 1/6', 1 / 6, MIDDLES, 1],
    ['middle of bucket, q 1/2', 0.5, MIDDLES, 3],
    ['middle of bucket, q 5/6', 5 / 6, MIDDLES, 5],
  ])('%s', (_name, q, buckets, expected) => {
    expectQuantile(histogramQuantile(q, buckets), expected, 12);
  });

  // "Aggregated histogram": sum(rate(request_duration_seconds_bucket[10m])) by (le, …).
  // Per-series increments: job1/ins1 1,3,4; job1/ins2 2,5,6; job2/ins1 3,4,6; job2/ins2 4,7,9.
  it.each([
    ['everything in one, q 0.3', 0.3, b([0.1, 10], [0.2, 19], [Infinity, 25]), 0.075],
    ['everything in one, q 0.5', 0.5, b([0.1, 10], [0.2, 19], [Infinity, 25]), 0.1277777777777778],
    ['by instance ins1, q 0.5', 0.5, b([0.1, 4], [0.2, 7], [Infinity, 10]), 0.1333333333],
    ['by instance ins2, q 0.5', 0.5, b([0.1, 6], [0.2, 12], [Infinity, 15]), 0.125],
    ['by job job1, q 0.3', 0.3, b([0.1, 3], [0.2, 8], [Infinity, 10]), 0.1],
    ['by job job2, q 0.3', 0.3, b([0.1, 7], [0.2, 11], [Infinity, 15]), 0.0642857142857143],
    ['by job job1, q 0.5', 0.5, b([0.1, 3], [0.2, 8], [Infinity, 10]), 0.14],
    ['by job job2, q 0.5', 0.5, b([0.1, 7], [0.2, 11], [Infinity, 15]), 0.1125],
    ['job2/ins2 unaggregated, q 0.3', 0.3, b([0.1, 4], [0.2, 7], [Infinity, 9]), 0.0675],
    ['job1/ins2 unaggregated, q 0.5', 0.5, b([0.1, 2], [0.2, 5], [Infinity, 6]), 0.13333333333333333],
  ])('%s', (_name, q, buckets, expected) => {
    expect(histogramQuantile(q, buckets)).toBeCloseTo(expected, 9);
  });

  // "A histogram with nonmonotonic bucket counts" (nonmonotonic_bucket, eval_info cases):
  // le 0.1 → 2, 1 → 1, 10 → 5, 100 → 4, 1000 → 9, +Inf → 8; the envelope is taken.
  const NONMONOTONIC = b([0.1, 20], [1, 10], [10, 50], [100, 40], [1000, 90], [Infinity, 80]);
  it.each([
    [0.01, 0.0045],
    [0.5, 8.5],
    [0.99, 979.75],
  ])('nonmonotonic buckets, q %f -> %f', (q, expected) => {
    expect(histogramQuantile(q, NONMONOTONIC)).toBeCloseTo(expected, 12);
  });

  // "Buckets with different representations of the same upper bound." (mixed_bucket):
  // le "0.1" → 1, "0.2", "2e-1", "2.0e-1" → 1 each (coalesced to 3 at 0.2), "+Inf" → 4.
  const MIXED = b([0.1, 1], [0.2, 1], [2e-1, 1], [2.0e-1, 1], [Infinity, 4]);
  it.each([
    [0.5, 0.15],
    [0.75, 0.2],
    [1, 0.2],
  ])('equal bounds are coalesced, q %f -> %f', (q, expected) => {
    expect(histogramQuantile(q, MIXED)).toBeCloseTo(expected, 12);
  });

  it('"+inf" and "+Inf" are one bucket, so fewer than two buckets: NaN (mixed_bucket ins2)', () => {
    expect(histogramQuantile(0.5, b([Infinity, 0], [Infinity, 0]))).toBeNaN();
  });

  it('no observations: NaN (empty_bucket; const_histogram rate)', () => {
    expect(histogramQuantile(0.2, b([0.1, 0], [0.2, 0], [Infinity, 0]))).toBeNaN();
    expect(histogramQuantile(1, b([0, 0], [1, 0], [2, 0], [Infinity, 0]))).toBeNaN();
  });
});

describe('histogramQuantile edge cases from quantile.go', () => {
  it('needs a +Inf bucket', () => {
    expect(histogramQuantile(0.5, b([0.1, 5], [0.2, 10]))).toBeNaN();
  });

  it('is NaN for no buckets at all', () => {
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });

  it('is NaN for a lone +Inf bucket', () => {
    expect(histogramQuantile(0.5, b([Infinity, 10]))).toBeNaN();
  });

  it('sorts buckets given out of order, without changing the caller’s array', () => {
    const buckets = b([Infinity, 12], [1, 11], [0.1, 5], [0.2, 7]);
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.15, 12);
    expect(buckets.map((x) => x.upperBound)).toEqual([Infinity, 1, 0.1, 0.2]);
  });

  it('ignores float-noise deltas (relative < 1e-12) instead of splitting a bucket on them', () => {
    // le 2 exceeds le 1 only by rounding noise. A rank of 10 + 5e-13 would otherwise land inside
    // (1, 2] at ~1.5; with le 2 read as 10, it moves on to (2, 3].
    const noisy = b([1, 10], [2, 10 + 1e-12], [3, 20], [Infinity, 20]);
    expect(histogramQuantile((10 + 5e-13) / 20, noisy)).toBeGreaterThan(2);
    expect(histogramQuantile((10 + 5e-13) / 20, noisy)).toBeLessThan(2 + 1e-9);
  });

  it('a real (non-noise) increase is kept', () => {
    expect(histogramQuantile(0.5, b([1, 10], [2, 10.5], [3, 20], [Infinity, 20]))).toBe(1);
    expect(histogramQuantile(0.51, b([1, 10], [2, 10.5], [3, 20], [Infinity, 20]))).toBeCloseTo(1 + 0.2 / 0.5, 12);
  });
});

describe('what bucket interpolation does to a uniform distribution (the reason for bucket-edge thresholds)', () => {
  it('uniform 50–200 ms with buckets .05 .1 .25: p95 0.23875 s, while the true p95 is 0.1925 s', () => {
    const observations = Array.from({ length: 15_000 }, (_, i) => 0.05 + (0.15 * (i + 0.5)) / 15_000);
    const bounds = [0.05, 0.1, 0.25, Infinity];
    const buckets = bounds.map((upperBound) => ({ upperBound, count: observations.filter((x) => x <= upperBound).length }));
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.23875, 12);
    const trueP95 = observations[Math.ceil(0.95 * observations.length) - 1] ?? Number.NaN;
    expect(trueP95).toBeCloseTo(0.1925, 4);
  });
});
