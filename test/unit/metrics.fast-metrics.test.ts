import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabeledCounter, LabeledHistogram } from '../../server/metrics/fast-metrics.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];
const OBSERVATIONS: Array<[string, number]> = [
  ['loop', 0.003],
  ['loop', 0.005], // exactly on a bound: `le` is inclusive
  ['loop', 0.3],
  ['db_query', 0.07],
  ['db_query', 5], // beyond the last bound: only +Inf
  ['loop', 0],
];

describe('the hot-path metrics expose exactly what prom-client would', () => {
  it('histograms: same text exposition and JSON as prom-client.Histogram for the same observations', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({
      name: 'section_duration_seconds',
      help: 'h',
      labelNames: ['section'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    const fast = new LabeledHistogram({
      name: 'section_duration_seconds',
      help: 'h',
      labelNames: ['section'] as const,
      buckets: BUCKETS,
      registers: [ours],
    });
    for (const [section, value] of OBSERVATIONS) {
      reference.observe({ section }, value);
      fast.child({ section }).observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // JSON (what cluster aggregation reads) matches too, but for prom-client's exemplar slots.
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map((m) => ({
        ...m,
        values: m.values.map((v) => ({ labels: v.labels, value: v.value, metricName: (v as { metricName?: string }).metricName })),
      }));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(withoutExemplars(await theirs.getMetricsAsJSON()));
  });

  it('counters: same exposition as prom-client.Counter', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Counter({ name: 'http_requests_total', help: 'h', labelNames: ['method', 'path'], registers: [theirs] });
    const fast = new LabeledCounter({ name: 'http_requests_total', help: 'h', labelNames: ['method', 'path'] as const, registers: [ours] });
    for (const path of ['/api/work', '/healthz', '/api/work']) {
      reference.inc({ method: 'GET', path });
      fast.child({ method: 'GET', path }).inc();
    }
    reference.inc({ method: 'HEAD', path: '/healthz' }, 3);
    fast.inc({ method: 'HEAD', path: '/healthz' }, 3);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('reset zeroes series in place, so children held by callers keep counting', async () => {
    const registry = new Registry();
    const fast = new LabeledHistogram({
      name: 'x_seconds',
      help: 'h',
      labelNames: ['section'] as const,
      buckets: [1],
      registers: [registry],
    });
    const child = fast.child({ section: 'a' });
    child.observe(0.5);
    registry.resetMetrics();
    child.observe(2);
    expect(await registry.metrics()).toContain('x_seconds_bucket{le="1",section="a"} 0\nx_seconds_bucket{le="+Inf",section="a"} 1');
  });

  it('rejects what prom-client rejects: non-finite values, missing labels, bad buckets, counters going down', () => {
    const registry = new Registry();
    const fast = new LabeledHistogram({
      name: 'y_seconds',
      help: 'h',
      labelNames: ['section'] as const,
      buckets: [1, 2],
      registers: [registry],
    });
    expect(() => fast.child({ section: 'a' }).observe(Number.NaN)).toThrow(TypeError);
    expect(() => fast.child({} as { section: string })).toThrow('label "section" is missing');
    expect(() => new LabeledHistogram({ name: 'z', help: 'h', labelNames: [], buckets: [2, 1], registers: [] })).toThrow(RangeError);
    const counter = new LabeledCounter({ name: 'c_total', help: 'h', labelNames: ['k'] as const, registers: [registry] });
    expect(() => counter.inc({ k: 'a' }, -1)).toThrow(TypeError);
  });
});
