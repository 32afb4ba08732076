import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramSeries } from '../../prometheus/histogram.js';
import { parsePrometheusText, type MetricFamily } from '../../prometheus/parse-text.js';
import { spawnLab, type SpawnedLab } from '../support/spawned-lab.js';

const REQUESTS = 120;
const CONCURRENCY = 6;
const LOOP_ITERATIONS = 1_000;
const SCRAPES = 6;

/** A GET on a fresh connection: node:cluster hands each new connection to the next worker. */
function getFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--workers 2: /metrics sums every worker', () => {
  let lab: SpawnedLab;
  let scrapes: Array<Map<string, MetricFamily>>;

  beforeAll(async () => {
    lab = await spawnLab(['--workers', '2', '--pprof-port', 'off']);
    const url = `${lab.appUrl}/api/work?db_min_ms=0&db_max_ms=2&loop_iterations=${LOOP_ITERATIONS}`;
    let sent = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < REQUESTS) {
          sent++;
          expect((await getFresh(url)).status).toBe(200);
        }
      }),
    );
    scrapes = [];
    for (let i = 0; i < SCRAPES; i++) {
      const { status, body } = await getFresh(`${lab.appUrl}/metrics`);
      expect(status).toBe(200);
      const parsed = parsePrometheusText(body);
      if (!parsed.ok) throw new Error(`/metrics line ${parsed.error.line}: ${parsed.error.message}`);
      scrapes.push(parsed.families);
    }
  });

  afterAll(async () => {
    if (lab.child.exitCode === null) {
      lab.child.kill('SIGTERM');
      await lab.exited;
    }
  });

  const workSamples = (families: Map<string, MetricFamily>, name: string) =>
    families
      .get(name)
      ?.samples.filter((s) => s.labels.path === '/api/work')
      .map((s) => s.value);

  it('the primary logs one listening line naming both workers', () => {
    const listening = lab.logLines
      .map((l) => JSON.parse(l) as { event?: string; workers?: unknown[] })
      .filter((e) => e.event === 'listening');
    expect(listening).toHaveLength(1);
    expect(listening[0]?.workers).toHaveLength(2);
  });

  it(`every scrape, whichever worker answers, counts all ${REQUESTS} requests`, () => {
    for (const families of scrapes) {
      expect(workSamples(families, 'http_requests_total')).toEqual([REQUESTS]);
      const histogram = histogramSeries(families.get('http_request_duration_seconds')!).filter((s) => s.labels.path === '/api/work');
      expect(histogram.map((s) => [s.count, s.buckets.at(-1)?.count])).toEqual([[REQUESTS, REQUESTS]]);
      expect(families.get('work_loop_iterations_total')?.samples.map((s) => s.value)).toEqual([REQUESTS * LOOP_ITERATIONS]);
    }
  });

  it('both workers served requests, and the aggregate is their sum (per-worker snapshots at shutdown)', async () => {
    lab.child.kill('SIGTERM');
    expect((await lab.exited).code).toBe(0);
    const snapshots = lab.logLines
      .map((l) => JSON.parse(l) as { event?: string; worker?: number; snapshot?: { sections: Array<{ section: string; count: number }> } })
      .filter((e) => e.event === 'snapshot');
    const perWorker = snapshots.map((s) => [s.worker, s.snapshot?.sections.find((x) => x.section === 'db_query')?.count ?? 0] as const);
    expect(perWorker.map(([worker]) => worker).sort()).toEqual([1, 2]);
    for (const [worker, count] of perWorker) expect(count, `worker ${worker}`).toBeGreaterThan(0);
    expect(perWorker.reduce((sum, [, count]) => sum + count, 0)).toBe(REQUESTS);
  });
});
