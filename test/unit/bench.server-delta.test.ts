import { describe, expect, it } from 'vitest';
import { LAB_METRIC_NAMES } from '../../bench/target/target-spec.js';
import { parsePrometheusText } from '../../prometheus/parse-text.js';
import { serverTrialMetrics, sumServerHistograms } from '../../bench/results/server-metrics.js';

const families = (text: string) => {
  const parsed = parsePrometheusText(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.families;
};

/** A scrape with the lab's families: request buckets for GET and HEAD, one section, CPU. */
function scrape(opts: { get: number[]; head: number[]; loop: number[]; cpu: number; iterations: number }): string {
  const bounds = ['0.005', '0.01', '0.025', '+Inf'];
  const lines = ['# TYPE http_request_duration_seconds histogram'];
  for (const [method, counts] of [
    ['GET', opts.get],
    ['HEAD', opts.head],
  ] as const) {
    bounds.forEach((le, i) =>
      lines.push(`http_request_duration_seconds_bucket{le="${le}",method="${method}",path="/api/work"} ${counts[i]}`),
    );
    lines.push(`http_request_duration_seconds_sum{method="${method}",path="/api/work"} ${(counts[3] ?? 0) * 0.008}`);
    lines.push(`http_request_duration_seconds_count{method="${method}",path="/api/work"} ${counts[3]}`);
  }
  lines.push('http_request_duration_seconds_bucket{le="+Inf",method="GET",path="/metrics"} 999');
  lines.push('# TYPE section_duration_seconds histogram');
  bounds.forEach((le, i) => lines.push(`section_duration_seconds_bucket{le="${le}",section="loop"} ${opts.loop[i]}`));
  lines.push(`section_duration_seconds_sum{section="loop"} ${(opts.loop[3] ?? 0) * 0.006}`);
  lines.push(`section_duration_seconds_count{section="loop"} ${opts.loop[3]}`);
  lines.push('# TYPE process_cpu_seconds_total counter', `process_cpu_seconds_total ${opts.cpu}`);
  lines.push('# TYPE work_loop_iterations_total counter', `work_loop_iterations_total ${opts.iterations}`);
  return `${lines.join('\n')}\n`;
}

describe('server-side trial metrics from two scrapes', () => {
  const before = families(scrape({ get: [10, 20, 30, 30], head: [0, 0, 0, 0], loop: [5, 25, 30, 30], cpu: 1.5, iterations: 3e6 }));
  const after = families(scrape({ get: [10, 60, 110, 110], head: [0, 10, 10, 10], loop: [5, 105, 120, 120], cpu: 2.6, iterations: 12e6 }));
  const metrics = serverTrialMetrics(before, after, LAB_METRIC_NAMES);

  it('subtracts buckets, sums methods, and ignores other routes', () => {
    expect(metrics.requests?.count).toBe(90);
    expect(metrics.requests?.cumulativeCounts).toEqual([0, 50, 90, 90]);
    expect(metrics.requests?.boundsSeconds).toEqual([0.005, 0.01, 0.025]);
  });

  it("computes quantiles with histogram_quantile's interpolation, in ms", () => {
    // rank 0.5*90 = 45 lies in (0.005, 0.01]: 0.005 + 0.005 * 45/50 = 0.0095 s.
    expect(metrics.requests?.p50Ms).toBeCloseTo(9.5, 9);
    // rank 85.5 lies in (0.01, 0.025]: 0.01 + 0.015 * (85.5-50)/40.
    expect(metrics.requests?.p95Ms).toBeCloseTo(10 + (15 * 35.5) / 40, 9);
    expect(metrics.sections.loop?.count).toBe(90);
  });

  it('derives CPU per request and loop iterations from counter deltas', () => {
    expect(metrics.cpuSeconds).toBeCloseTo(1.1, 9);
    expect(metrics.cpuMsPerRequest).toBeCloseTo(1100 / 90, 9);
    expect(metrics.loopIterations).toBe(9e6);
  });

  it('treats a counter that went down as a restart (the new value is the delta)', () => {
    const restarted = families(scrape({ get: [1, 2, 3, 3], head: [0, 0, 0, 0], loop: [0, 3, 3, 3], cpu: 0.2, iterations: 300 }));
    const delta = serverTrialMetrics(after, restarted, LAB_METRIC_NAMES);
    expect(delta.requests?.count).toBe(3);
    expect(delta.cpuSeconds).toBeCloseTo(0.2, 9);
  });

  it('pools trials by adding buckets', () => {
    const pooled = sumServerHistograms([metrics.requests!, metrics.requests!]);
    expect(pooled?.count).toBe(180);
    expect(pooled?.p50Ms).toBeCloseTo(9.5, 9);
  });

  it('reports no data rather than zeros when the route saw nothing', () => {
    const none = serverTrialMetrics(before, before, LAB_METRIC_NAMES);
    expect(none.requests?.count).toBe(0);
    expect(none.requests?.p95Ms).toBeNull();
    expect(none.cpuMsPerRequest).toBeNull();
    expect(none.sections).toEqual({});
  });
});
