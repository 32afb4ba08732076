import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramSeries } from '../../prometheus/histogram.js';
import { parsePrometheusText, type MetricFamily, type MetricType } from '../../prometheus/parse-text.js';
import { LAB_METRIC_NAMES } from '../../server/metrics/lab-metrics.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

// The Go lab's families, spelled out here (not imported) so a changed definition fails this test.
const GO_DEF_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const GO_FAMILIES: ReadonlyArray<{ name: string; type: MetricType; labels: readonly string[]; buckets?: readonly number[] }> = [
  { name: 'http_requests_total', type: 'counter', labels: ['method', 'path'] },
  { name: 'http_errors_total', type: 'counter', labels: ['method', 'path', 'status'] },
  { name: 'http_request_duration_seconds', type: 'histogram', labels: ['method', 'path'], buckets: GO_DEF_BUCKETS },
  { name: 'section_duration_seconds', type: 'histogram', labels: ['section'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2] },
  { name: 'business_latency_seconds', type: 'histogram', labels: ['operation'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5] },
  { name: 'work_loop_iterations_total', type: 'counter', labels: [] },
  { name: 'json_encode_errors_total', type: 'counter', labels: [] },
];

const LOOP_ITERATIONS = [1_000, 2_000, 3_000];
const JUNK_REQUESTS = 3;
const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).error === undefined;

describe('GET /metrics exposes the Go lab’s families', () => {
  let lab: RunningLab;
  let contentType: string | null;
  let text: string;
  let families: Map<string, MetricFamily>;
  const junkIds = Array.from({ length: JUNK_REQUESTS }, () => randomUUID());

  beforeAll(async () => {
    // A logger that throws once, on the handler's first track() call, so one request takes the
    // real 500 path and http_errors_total gets a series whose labels can be checked.
    const logger = pino({ level: 'silent' });
    const isLevelEnabled = logger.isLevelEnabled.bind(logger);
    let failNext = false;
    logger.isLevelEnabled = (level) => {
      if (!failNext) return isLevelEnabled(level);
      failNext = false;
      throw new Error('injected fault');
    };
    // Runtime metrics on: the lab's families must stand out among prom-client's defaults.
    lab = await startInProcessLab({ logger, runtimeMetrics: true });
    const get = async (path: string, status: number) => {
      const response = await fetch(`${lab.baseUrl}${path}`);
      await response.text();
      expect(response.status, path).toBe(status);
    };
    for (const iterations of LOOP_ITERATIONS) await get(`/api/work?db_min_ms=0&db_max_ms=1&loop_iterations=${iterations}`, 200);
    failNext = true;
    await get('/api/work?db_min_ms=0&db_max_ms=1', 500);
    for (const id of junkIds) await get(`/api/work/${id}`, 404);

    const response = await fetch(`${lab.baseUrl}/metrics`);
    contentType = response.headers.get('content-type');
    text = await response.text();
    const parsed = parsePrometheusText(text);
    if (!parsed.ok) throw new Error(`/metrics line ${parsed.error.line}: ${parsed.error.message}`);
    families = parsed.families;
  });

  afterAll(() => lab.close());

  const family = (name: string): MetricFamily => {
    const found = families.get(name);
    if (found === undefined) throw new Error(`/metrics has no family ${name}`);
    return found;
  };

  it('is served with prom-client’s Content-Type (Prometheus 3 rejects anything else)', () => {
    expect(contentType).toBe(lab.lab.registry.contentType);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('LAB_METRIC_NAMES lists exactly the Go families', () => {
    expect([...LAB_METRIC_NAMES].sort()).toEqual(GO_FAMILIES.map((f) => f.name).sort());
  });

  it.each(GO_FAMILIES)('$name: TYPE $type with labels $labels', ({ name, type, labels }) => {
    const { samples, type: actualType, help } = family(name);
    expect(actualType).toBe(type);
    expect(help).not.toBe('');
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const names = Object.keys(sample.labels).filter((label) => !(sample.name.endsWith('_bucket') && label === 'le'));
      expect(names.sort(), `${sample.name}${JSON.stringify(sample.labels)}`).toEqual([...labels].sort());
    }
  });

  it.each(GO_FAMILIES.filter((f) => f.buckets !== undefined))(
    '$name: every series has the Go bucket edges and +Inf',
    ({ name, buckets }) => {
      const series = histogramSeries(family(name));
      expect(series.length).toBeGreaterThan(0);
      for (const s of series) {
        expect(
          s.buckets.map((b) => b.upperBound),
          JSON.stringify(s.labels),
        ).toEqual([...(buckets ?? []), Infinity]);
        expect(s.buckets.at(-1)?.count).toBe(s.count);
      }
    },
  );

  it('work_loop_iterations_total is the sum of loop_iterations requested', () => {
    expect(family('work_loop_iterations_total').samples.map((s) => s.value)).toEqual([LOOP_ITERATIONS.reduce((a, b) => a + b, 0)]);
  });

  it('json_encode_errors_total is exposed at 0', () => {
    expect(family('json_encode_errors_total').samples.map((s) => s.value)).toEqual([0]);
  });

  it('path is the route template, whatever the query string', () => {
    const work = family('http_requests_total').samples.filter((s) => s.labels['path'] === '/api/work');
    expect(work.map((s) => [s.labels['method'], s.value])).toEqual([['GET', LOOP_ITERATIONS.length + 1]]);
    expect(text).not.toContain('loop_iterations=');
  });

  it('junk URLs all land in one path="unmatched" series', () => {
    const paths = new Set(family('http_requests_total').samples.map((s) => s.labels['path']));
    expect([...paths].sort()).toEqual(['/api/work', 'unmatched']);
    const unmatched = family('http_requests_total').samples.filter((s) => s.labels['path'] === 'unmatched');
    expect(unmatched.map((s) => [s.labels['method'], s.value])).toEqual([['GET', JUNK_REQUESTS]]);
    for (const id of junkIds) expect(text).not.toContain(id);
  });

  it('a 500 is counted in http_errors_total with method, path and status', () => {
    expect(family('http_errors_total').samples).toEqual([
      { name: 'http_errors_total', labels: { method: 'GET', path: '/api/work', status: '500' }, value: 1 },
    ]);
  });

  it('sections db_query, loop, json_encode and work_total are recorded', () => {
    const sections = histogramSeries(family('section_duration_seconds')).map((s) => s.labels['section']);
    expect(sections).toEqual(expect.arrayContaining(['db_query', 'loop', 'json_encode', 'work_total']));
    const operations = histogramSeries(family('business_latency_seconds')).map((s) => s.labels['operation']);
    expect(operations).toEqual(['work_handler']);
  });

  it.skipIf(!hasPromtool)('promtool check metrics accepts the lab’s own families', () => {
    const labOnly = labFamiliesOnly(text);
    const parsed = parsePrometheusText(labOnly);
    expect(parsed.ok && [...parsed.families.keys()].sort()).toEqual([...LAB_METRIC_NAMES].sort());
    const check = spawnSync('promtool', ['check', 'metrics'], { input: labOnly, encoding: 'utf8', timeout: 10_000 });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
  });
});

/**
 * The exposition's lines that belong to the lab's families. prom-client's default metrics are left
 * out: promtool rejects some of them (gauges named *_total), which is not the lab's to fix.
 */
function labFamiliesOnly(text: string): string {
  const names: ReadonlySet<string> = new Set(LAB_METRIC_NAMES);
  const familyOf = (line: string): string | undefined => {
    const name = /^# (?:HELP|TYPE) (\S+)/.exec(line)?.[1] ?? /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)?.[1];
    if (name === undefined) return undefined;
    return names.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
  };
  return `${text
    .split('\n')
    .filter((line) => line !== '' && names.has(familyOf(line) ?? ''))
    .join('\n')}\n`;
}
