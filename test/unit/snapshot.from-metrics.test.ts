import { describe, expect, it } from 'vitest';
import { parsePrometheusText, type MetricFamily } from '../../prometheus/parse-text.js';
import { snapshotFromMetrics } from '../../server/metrics/snapshot-from-metrics.js';
import { formatSnapshotTable } from '../../server/metrics/snapshot-table.js';

function families(text: string): Map<string, MetricFamily> {
  const result = parsePrometheusText(text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return result.families;
}

/** `name_bucket` lines for a series, from cumulative counts at the given bounds. */
function buckets(name: string, labels: string, bounds: readonly string[], counts: readonly number[]): string {
  return bounds.map((le, i) => `${name}_bucket{le="${le}",${labels}} ${counts[i]}`).join('\n');
}

const SECTION_BOUNDS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2', '+Inf'];
const BUSINESS_BOUNDS = ['0.01', '0.05', '0.1', '0.25', '0.5', '1', '2', '5', '+Inf'];

const EXPOSITION = `# HELP http_requests_total Total number of HTTP requests, partitioned by method and path.
# TYPE http_requests_total counter
http_requests_total{method="GET",path="/api/work"} 3
http_requests_total{method="GET",path="unmatched"} 4

# TYPE section_duration_seconds histogram
${buckets('section_duration_seconds', 'section="loop"', SECTION_BOUNDS, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1])}
section_duration_seconds_sum{section="loop"} 0.002
section_duration_seconds_count{section="loop"} 1
${buckets('section_duration_seconds', 'section="db_query"', SECTION_BOUNDS, [0, 0, 0, 1, 4, 10, 10, 10, 10, 10])}
section_duration_seconds_sum{section="db_query"} 1.2
section_duration_seconds_count{section="db_query"} 10
${buckets('section_duration_seconds', 'section="slow"', SECTION_BOUNDS, [0, 0, 0, 0, 0, 0, 0, 0, 0, 2])}
section_duration_seconds_sum{section="slow"} 7
section_duration_seconds_count{section="slow"} 2

# TYPE business_latency_seconds histogram
${buckets('business_latency_seconds', 'operation="work_handler"', BUSINESS_BOUNDS, [0, 0, 2, 10, 10, 10, 10, 10, 10])}
business_latency_seconds_sum{operation="work_handler"} 1.5
business_latency_seconds_count{operation="work_handler"} 10

# TYPE work_loop_iterations_total counter
work_loop_iterations_total 5000
# TYPE json_encode_errors_total counter
json_encode_errors_total 0
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5
`;

describe('snapshotFromMetrics builds the LogSnapshot table from a scrape', () => {
  const result = snapshotFromMetrics(families(EXPOSITION));
  if (!result.ok) throw new Error(result.error);
  const { snapshot } = result;

  it('one row per section and business operation, sorted by name like the in-process snapshot', () => {
    expect(snapshot.source).toBe('prometheus-buckets');
    expect(snapshot.sections.map((s) => s.section)).toEqual(['db_query', 'loop', 'slow', 'work_handler']);
  });

  it('count, mean from _sum/_count, and histogram_quantile percentiles, all in ms', () => {
    const db = snapshot.sections.find((s) => s.section === 'db_query');
    expect(db?.count).toBe(10);
    expect(db?.avgMs).toBeCloseTo(120, 9);
    // rank 5 of 10 lies 1 of 6 observations into (0.1, 0.25]: 0.1 + 0.15 · 1/6 = 0.125 s
    expect(db?.p50Ms).toBeCloseTo(125, 9);
    expect(db?.p95Ms).toBeCloseTo(237.5, 9);
    expect(db?.p99Ms).toBeCloseTo(247.5, 9);

    const handler = snapshot.sections.find((s) => s.section === 'work_handler');
    expect(handler?.avgMs).toBeCloseTo(150, 9);
    expect(handler?.p50Ms).toBeCloseTo(156.25, 9);

    // Everything in the lowest bucket interpolates from 0; everything in +Inf reports the top bound.
    expect(snapshot.sections.find((s) => s.section === 'loop')?.p50Ms).toBeCloseTo(2.5, 9);
    expect(snapshot.sections.find((s) => s.section === 'slow')?.p99Ms).toBe(2000);
  });

  it('counters under the in-process names; http_requests sums every series; other families ignored', () => {
    expect(snapshot.counters).toEqual({ http_requests: 7, json_encode_error: 0, loop_iterations: 5000 });
  });

  it('prints through the same table as the in-process snapshot, saying where the percentiles come from', () => {
    const table = formatSnapshotTable(snapshot);
    expect(table).toMatch(/^section\s+count\s+avg_ms\s+p50_ms\s+p95_ms\s+p99_ms$/m);
    expect(table).toMatch(/^db_query\s+10\s+120\.000\s+125\.000\s+237\.500\s+247\.500$/m);
    expect(table).toMatch(/^loop_iterations\s+5000$/m);
    expect(table).toContain('interpolated from Prometheus buckets');
  });

  it('absent families give no rows and no counters', () => {
    const empty = snapshotFromMetrics(families('# TYPE other_total counter\nother_total 1\n'));
    expect(empty).toEqual({ ok: true, snapshot: { source: 'prometheus-buckets', sections: [], counters: {} } });
  });

  it('a lab family of the wrong type is an error naming it', () => {
    expect(snapshotFromMetrics(families('# TYPE section_duration_seconds gauge\nsection_duration_seconds 1\n'))).toEqual({
      ok: false,
      error: 'section_duration_seconds: expected TYPE histogram, found gauge',
    });
    expect(snapshotFromMetrics(families('work_loop_iterations_total 3\n'))).toEqual({
      ok: false,
      error: 'work_loop_iterations_total: expected TYPE counter, found untyped',
    });
  });
});
