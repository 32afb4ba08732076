import { describe, expect, it } from 'vitest';
import { promqlMetricNames } from '../../bench/observability/promql-metric-names.js';

describe('promqlMetricNames: the metric names a PromQL expression selects', () => {
  it.each([
    ['rate(http_requests_total[1m])', ['http_requests_total']],
    [
      'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{job=~"$job", path="/api/work"}[$__rate_interval])) by (le))',
      ['http_request_duration_seconds_bucket'],
    ],
    [
      'sum by (kind) (rate(nodejs_gc_duration_seconds_sum{instance=~"${instance}"}[5m])) / 1e-6 + foo offset 5m',
      ['foo', 'nodejs_gc_duration_seconds_sum'],
    ],
    [
      '(sum by (job) (rate(http_errors_total[5m])) or vector(0)) / sum(rate(http_requests_total[1m30s]))',
      ['http_errors_total', 'http_requests_total'],
    ],
    ['1-job:http_errors:ratio_rate5m > bool 0.05 and on (job) up == 1', ['job:http_errors:ratio_rate5m', 'up']],
    ['sum without (instance) (x) atan2 y @ start()', ['x', 'y']],
    ['max_over_time(process_cpu_seconds_total[10m:1m]) unless ignoring (le) z', ['process_cpu_seconds_total', 'z']],
    ['sum(rate(a{le="0.25", path=~"/api/(work|x)"}[5m])) / sum(rate(a_count{s="}"}[5m]))', ['a', 'a_count']],
  ])('%s', (expr, names) => {
    expect(promqlMetricNames(expr)).toEqual(names);
  });

  it('finds nothing in an expression of numbers and functions only', () => {
    expect(promqlMetricNames('vector(1) + scalar(time()) * 2.5e3 - Inf')).toEqual([]);
  });
});
