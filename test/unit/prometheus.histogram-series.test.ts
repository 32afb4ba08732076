import { describe, expect, it } from 'vitest';
import {
  findSeries,
  histogramDelta,
  histogramQuantile,
  histogramSeries,
  sumSeries,
  type HistogramSeries,
} from '../../prometheus/histogram.js';
import { parsePrometheusText, type MetricFamily } from '../../prometheus/parse-text.js';

function histogramFamily(text: string, name: string): MetricFamily {
  const result = parsePrometheusText(text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  const family = result.families.get(name);
  if (family === undefined) throw new Error(`no family ${name}`);
  return family;
}

// The same rates as histograms.test's request_duration_seconds_bucket, per job and instance.
const REQUESTS = `# TYPE request_duration_seconds histogram
request_duration_seconds_bucket{job="job1",instance="ins1",le="0.1"} 1
request_duration_seconds_bucket{job="job1",instance="ins1",le="0.2"} 3
request_duration_seconds_bucket{job="job1",instance="ins1",le="+Inf"} 4
request_duration_seconds_sum{job="job1",instance="ins1"} 0.55
request_duration_seconds_count{job="job1",instance="ins1"} 4
request_duration_seconds_bucket{job="job1",instance="ins2",le="0.1"} 2
request_duration_seconds_bucket{job="job1",instance="ins2",le="0.2"} 5
request_duration_seconds_bucket{job="job1",instance="ins2",le="+Inf"} 6
request_duration_seconds_sum{job="job1",instance="ins2"} 0.8
request_duration_seconds_count{job="job1",instance="ins2"} 6
request_duration_seconds_bucket{job="job2",instance="ins1",le="+Inf"} 6
request_duration_seconds_bucket{job="job2",instance="ins1",le="0.2"} 4
request_duration_seconds_bucket{job="job2",instance="ins1",le="0.1"} 3
request_duration_seconds_sum{job="job2",instance="ins1"} 0.7
request_duration_seconds_count{job="job2",instance="ins1"} 6
request_duration_seconds_bucket{job="job2",instance="ins2",le="0.1"} 4
request_duration_seconds_bucket{job="job2",instance="ins2",le="0.2"} 7
request_duration_seconds_bucket{job="job2",instance="ins2",le="+Inf"} 9
request_duration_seconds_sum{job="job2",instance="ins2"} 1.1
request_duration_seconds_count{job="job2",instance="ins2"} 9
`;

describe('histogramSeries groups a family’s samples into series', () => {
  const series = histogramSeries(histogramFamily(REQUESTS, 'request_duration_seconds'));

  it('one series per label set without le, buckets sorted by bound, with sum and count', () => {
    expect(series).toHaveLength(4);
    expect(series[2]).toEqual({
      labels: { job: 'job2', instance: 'ins1' },
      buckets: [
        { upperBound: 0.1, count: 3 },
        { upperBound: 0.2, count: 4 },
        { upperBound: Infinity, count: 6 },
      ],
      sum: 0.7,
      count: 6,
    });
  });

  it('falls back to the +Inf bucket for a missing _count, and NaN for a missing _sum', () => {
    const [only] = histogramSeries(histogramFamily('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 5\n', 'h'));
    expect(only?.count).toBe(5);
    expect(only?.sum).toBeNaN();
  });

  it('refuses a family that is not a histogram (a caller’s bug)', () => {
    expect(() => histogramSeries(histogramFamily('# TYPE c counter\nc 1\n', 'c'))).toThrow(/c is a counter, not a histogram/);
  });

  it('findSeries matches on a subset of labels', () => {
    expect(findSeries(series, { job: 'job1' }).map((s) => s.labels['instance'])).toEqual(['ins1', 'ins2']);
    expect(findSeries(series, { job: 'job2', instance: 'ins2' })).toHaveLength(1);
    expect(findSeries(series, { job: 'job3' })).toEqual([]);
    expect(findSeries(series, {})).toHaveLength(4);
  });

  it('sumSeries is sum(...) by (le): Prometheus’ aggregated answers come out (histograms.test)', () => {
    const all = sumSeries(series);
    expect(all?.buckets).toEqual([
      { upperBound: 0.1, count: 10 },
      { upperBound: 0.2, count: 19 },
      { upperBound: Infinity, count: 25 },
    ]);
    expect(all?.count).toBe(25);
    expect(all?.sum).toBeCloseTo(3.15, 12);
    expect(all?.labels).toEqual({});
    // histogram_quantile(0.5, sum(rate(request_duration_seconds_bucket[10m])) by (le)) = 0.1277777777777778
    expect(histogramQuantile(0.5, all?.buckets ?? [])).toBeCloseTo(0.1277777777777778, 12);
    // ... by (le, job): {job="job2"} 0.1125
    expect(histogramQuantile(0.5, sumSeries(findSeries(series, { job: 'job2' }))?.buckets ?? [])).toBeCloseTo(0.1125, 12);
  });

  it('sumSeries adds each bound over the series that have it, and is null for nothing', () => {
    const a: HistogramSeries = {
      labels: { x: 'a' },
      buckets: [
        { upperBound: 1, count: 2 },
        { upperBound: Infinity, count: 3 },
      ],
      sum: 2,
      count: 3,
    };
    const b: HistogramSeries = {
      labels: { x: 'b' },
      buckets: [
        { upperBound: 2, count: 1 },
        { upperBound: Infinity, count: 1 },
      ],
      sum: 1.5,
      count: 1,
    };
    expect(sumSeries([a, b])?.buckets).toEqual([
      { upperBound: 1, count: 2 },
      { upperBound: 2, count: 1 },
      { upperBound: Infinity, count: 4 },
    ]);
    expect(sumSeries([])).toBeNull();
  });
});

describe('histogramDelta is what happened between two scrapes', () => {
  const series = (counts: number[], sum: number): HistogramSeries => ({
    labels: { section: 'db_query' },
    buckets: [0.1, 0.25, Infinity].map((upperBound, i) => ({ upperBound, count: counts[i] ?? 0 })),
    sum,
    count: counts.at(-1) ?? 0,
  });

  it('subtracts bucket by bucket, with sum and count', () => {
    const delta = histogramDelta(series([2, 5, 6], 1.25), series([3, 9, 12], 2.75));
    expect(delta.buckets.map((b) => b.count)).toEqual([1, 4, 6]);
    expect(delta.count).toBe(6);
    expect(delta.sum).toBeCloseTo(1.5, 12);
    expect(delta.labels).toEqual({ section: 'db_query' });
  });

  it('a series that did not exist before counts from zero', () => {
    const after = series([1, 2, 2], 0.3);
    expect(histogramDelta(undefined, after)).toBe(after);
  });

  it('a count that went down means a restart: the later scrape is the delta, as rate() treats a reset', () => {
    const after = series([1, 1, 1], 0.05);
    expect(histogramDelta(series([3, 9, 12], 2.75), after)).toBe(after);
    // Only one bucket going down is enough, even when the total grew.
    const grew = series([1, 20, 30], 5);
    expect(histogramDelta(series([3, 9, 12], 2.75), grew)).toBe(grew);
  });

  it('a changed bucket layout means a different process: the later scrape is the delta', () => {
    const before: HistogramSeries = {
      labels: {},
      buckets: [
        { upperBound: 1, count: 1 },
        { upperBound: Infinity, count: 1 },
      ],
      sum: 0.5,
      count: 1,
    };
    const after = series([3, 9, 12], 2.75);
    expect(histogramDelta(before, after)).toBe(after);
  });
});
