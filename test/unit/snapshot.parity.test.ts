import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../prometheus/parse-text.js';
import { snapshotFromMetrics } from '../../server/metrics/snapshot-from-metrics.js';
import type { MetricsSnapshot } from '../../server/metrics/section-stats.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

const REQUESTS = 6;
const LOOP_ITERATIONS = 1_500;

describe('the /metrics snapshot and the in-process snapshot describe the same work', () => {
  let lab: RunningLab;
  let inMemory: MetricsSnapshot;
  let scraped: MetricsSnapshot;

  beforeAll(async () => {
    lab = await startInProcessLab();
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${lab.baseUrl}/api/work?db_min_ms=0&db_max_ms=2&loop_iterations=${LOOP_ITERATIONS}`);
      expect(response.status).toBe(200);
      await response.text();
    }
    inMemory = lab.lab.snapshot();
    const parsed = parsePrometheusText(await (await fetch(`${lab.baseUrl}/metrics`)).text());
    if (!parsed.ok) throw new Error(`line ${parsed.error.line}: ${parsed.error.message}`);
    const result = snapshotFromMetrics(parsed.families);
    if (!result.ok) throw new Error(result.error);
    scraped = result.snapshot;
  });

  afterAll(() => lab.close());

  it('has the same rows in the same order, with the same counts', () => {
    expect(scraped.sections.map((s) => [s.section, s.count])).toEqual(inMemory.sections.map((s) => [s.section, s.count]));
    expect(scraped.sections.map((s) => s.section)).toEqual(['db_query', 'json_encode', 'loop', 'work_handler', 'work_total']);
    expect(scraped.sections.every((s) => s.count === REQUESTS)).toBe(true);
  });

  it('has the same means: both sum the very same durations', () => {
    for (const row of scraped.sections) {
      const twin = inMemory.sections.find((s) => s.section === row.section);
      expect(row.avgMs).toBeCloseTo(twin?.avgMs ?? Number.NaN, 6);
    }
  });

  it('shares the counter names, with equal values', () => {
    expect(scraped.counters['loop_iterations']).toBe(REQUESTS * LOOP_ITERATIONS);
    expect(inMemory.counters['loop_iterations']).toBe(REQUESTS * LOOP_ITERATIONS);
    expect(scraped.counters['json_encode_error']).toBe(0);
    expect(scraped.counters['http_requests']).toBe(REQUESTS);
  });
});
