import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_METRIC_NAMES } from '../../bench/target/target-spec.js';
import { queryInstant, ruleHealth, type VectorSample } from '../../bench/observability/prometheus-api.js';
import { runnableConfig, SHIPPED_PROMETHEUS_CONFIG } from '../../bench/observability/prometheus-config.js';
import { prometheusVersion, startPrometheus, type PrometheusProcess } from '../../bench/observability/prometheus-process.js';
import { serverTrialMetrics, type ServerTrialMetrics } from '../../bench/results/server-metrics.js';
import { scrapeMetrics } from '../../bench/run/scrape.js';
import { HTTP_DURATION_BUCKETS_SECONDS, SECTION_BUCKETS_SECONDS } from '../../server/metrics/lab-metrics.js';
import { spawnLab, type SpawnedLab } from '../support/spawned-lab.js';

const hasPrometheus = prometheusVersion() !== null;

// Uniform 10-200 ms DB waits: requests spread over the 0.025 … 0.25 s buckets, p95 well inside
// (0.1, 0.25]. Bounded: WARMUP + LOAD requests, 8 at a time, about 4 s.
const WORK = '/api/work?db_min_ms=10&db_max_ms=200&loop_iterations=20000';
const WARMUP_REQUESTS = 20;
const LOAD_REQUESTS = 300;
const CONCURRENCY = 8;
const SCRAPE_INTERVAL_SECONDS = 1;

const SEED_QUERIES = {
  requestRate: 'rate(http_requests_total[1m])',
  requestP95: 'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))',
  dbQueryP99: 'histogram_quantile(0.99, sum(rate(section_duration_seconds_bucket{section="db_query"}[5m])) by (le))',
} as const;

/** Sends `count` GETs, `concurrency` at a time; resolves with how many answered 200. */
async function boundedLoad(url: string, count: number, concurrency: number): Promise<number> {
  let next = 0;
  let ok = 0;
  const deadline = Date.now() + 15_000;
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      next++;
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.text();
      if (response.status === 200) ok++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ok;
}

/** Index of the bucket (by upper bound) a value falls in: (bounds[i-1], bounds[i]]. */
function bucketIndex(valueSeconds: number, bounds: readonly number[]): number {
  const index = bounds.findIndex((bound) => valueSeconds <= bound);
  return index === -1 ? bounds.length : index;
}

describe.skipIf(!hasPrometheus)('a real Prometheus scraping the lab under load', () => {
  let lab: SpawnedLab | undefined;
  let prometheus: PrometheusProcess | undefined;
  let tempDir: string | undefined;
  let window: { server: ServerTrialMetrics; startSeconds: number; endSeconds: number; sent: number };
  const numbers: Record<string, string> = {};

  const query = async (promql: string, atSeconds?: number): Promise<VectorSample[]> => {
    const result = await queryInstant(prometheus!.url, promql, atSeconds);
    if (result.status === 'error') throw new Error(`${promql}: ${result.error}`);
    return result.samples;
  };
  const single = async (promql: string, atSeconds?: number): Promise<number> => {
    const samples = await query(promql, atSeconds);
    expect(samples, promql).toHaveLength(1);
    return samples[0]!.value;
  };
  /** Waits until Prometheus' latest scrape shows `expected` /api/work requests. */
  const untilScraped = async (expected: number) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const samples = await query('sum(http_request_duration_seconds_count{path="/api/work"})');
      if (samples[0]?.value === expected) return;
      if (Date.now() > deadline) throw new Error(`Prometheus did not scrape ${expected} requests within 10 s (saw ${samples[0]?.value})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    lab = await spawnLab(['--pprof-port', 'off', '--log-level', 'warn']);
    tempDir = await mkdtemp(join(tmpdir(), 'metric-lab-prometheus-'));
    const shippedPath = resolve(SHIPPED_PROMETHEUS_CONFIG);
    const config = runnableConfig(await readFile(shippedPath, 'utf8'), {
      targets: [new URL(lab.appUrl).host],
      shippedPath,
      intervalSeconds: SCRAPE_INTERVAL_SECONDS,
    });
    if (!config.ok) throw new Error(config.reason);
    const configFile = join(tempDir, 'prometheus.yml');
    await writeFile(configFile, config.yaml);
    prometheus = await startPrometheus({ configFile, dataDir: join(tempDir, 'data'), listenAddress: '127.0.0.1:0' });

    const workUrl = `${lab.appUrl}${WORK}`;
    expect(await boundedLoad(workUrl, WARMUP_REQUESTS, 4)).toBe(WARMUP_REQUESTS);
    await untilScraped(WARMUP_REQUESTS);
    // Two more scrapes of the quiet lab, so a rate window opening just before the load sees it.
    await new Promise((r) => setTimeout(r, 2_000 * SCRAPE_INTERVAL_SECONDS));

    const startSeconds = Date.now() / 1000;
    const before = await scrapeMetrics(lab.appUrl);
    const sent = await boundedLoad(workUrl, LOAD_REQUESTS, CONCURRENCY);
    const after = await scrapeMetrics(lab.appUrl);
    await untilScraped(WARMUP_REQUESTS + sent);
    // Let the 1 s rule evaluation catch up with the last scrape.
    await new Promise((r) => setTimeout(r, 2_000 * SCRAPE_INTERVAL_SECONDS));
    window = { server: serverTrialMetrics(before, after, LAB_METRIC_NAMES), startSeconds, endSeconds: Date.now() / 1000, sent };
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    if (lab && lab.child.exitCode === null) {
      lab.child.kill('SIGTERM');
      await lab.exited;
    }
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    if (Object.keys(numbers).length > 0) {
      console.log(
        `seed queries against a real Prometheus (${prometheusVersion()}):\n${Object.entries(numbers)
          .map(([k, v]) => `  ${k} = ${v}`)
          .join('\n')}`,
      );
    }
  });

  it('every load request succeeded and the lab counted each once', () => {
    expect(window.sent).toBe(LOAD_REQUESTS);
    expect(window.server.requests?.count).toBe(LOAD_REQUESTS);
  });

  it('loads the shipped rules, and every rule evaluates without error', async () => {
    const rules = await ruleHealth(prometheus!.url);
    expect(rules.map((r) => r.rule).sort()).toEqual(
      expect.arrayContaining([
        'MetricLabSlowDbQuery',
        'MetricLabTailLatencyHigh',
        'MetricLabHighErrorRatio',
        'job_path:http_requests:rate1m',
      ]),
    );
    expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
  });

  it(`seed: ${SEED_QUERIES.requestRate} returns the /api/work rate`, async () => {
    const samples = await query(SEED_QUERIES.requestRate);
    const work = samples.find((s) => s.labels.path === '/api/work');
    expect(work?.value).toBeGreaterThan(0);
    numbers[`${SEED_QUERIES.requestRate}{path="/api/work"}`] = `${work?.value.toFixed(2)} req/s`;
  });

  it(`seed: ${SEED_QUERIES.requestP95} returns a latency inside the buckets`, async () => {
    const p95Seconds = await single(SEED_QUERIES.requestP95);
    expect(p95Seconds).toBeGreaterThan(0);
    expect(p95Seconds).toBeLessThanOrEqual(0.25);
    numbers[SEED_QUERIES.requestP95] = `${(p95Seconds * 1000).toFixed(1)} ms`;
  });

  it(`seed: ${SEED_QUERIES.dbQueryP99} lands in the bench's db_query p99 bucket`, async () => {
    const p99Seconds = await single(SEED_QUERIES.dbQueryP99);
    const benchP99Ms = window.server.sections.db_query?.p99Ms ?? Number.NaN;
    expect(bucketIndex(p99Seconds, SECTION_BUCKETS_SECONDS)).toBe(bucketIndex(benchP99Ms / 1000, SECTION_BUCKETS_SECONDS));
    numbers[SEED_QUERIES.dbQueryP99] = `${(p99Seconds * 1000).toFixed(1)} ms (bench, load window only: ${benchP99Ms.toFixed(1)} ms)`;
  });

  it('p95 over the exact load window equals the bench runner’s server-side p95', async () => {
    // The same two scrapes' worth of buckets: Prometheus' samples just before and after the load.
    const selector = 'http_request_duration_seconds_bucket{path="/api/work"}';
    const promql = `histogram_quantile(0.95, sum by (le) (${selector}) - sum by (le) (${selector} @ ${window.startSeconds.toFixed(3)}))`;
    const p95Seconds = await single(promql, window.endSeconds);
    const benchP95Ms = window.server.requests?.p95Ms ?? Number.NaN;
    expect(p95Seconds * 1000).toBeCloseTo(benchP95Ms, 6);
    numbers['p95 over the load window (Prometheus, exact deltas)'] =
      `${(p95Seconds * 1000).toFixed(2)} ms; bench serverTrialMetrics p95 ${benchP95Ms.toFixed(2)} ms`;
  });

  it('the seed-style rate() p95 over the load window falls in the same bucket as the bench p95', async () => {
    const windowSeconds = Math.ceil(window.endSeconds - window.startSeconds) + 1;
    const promql = `histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{path="/api/work"}[${windowSeconds}s])) by (le))`;
    const p95Seconds = await single(promql, window.endSeconds);
    const benchP95Seconds = (window.server.requests?.p95Ms ?? Number.NaN) / 1000;
    const bucket = bucketIndex(benchP95Seconds, HTTP_DURATION_BUCKETS_SECONDS);
    expect(bucketIndex(p95Seconds, HTTP_DURATION_BUCKETS_SECONDS)).toBe(bucket);
    const width = (HTTP_DURATION_BUCKETS_SECONDS[bucket] ?? Infinity) - (HTTP_DURATION_BUCKETS_SECONDS[bucket - 1] ?? 0);
    expect(Math.abs(p95Seconds - benchP95Seconds)).toBeLessThan(width);
    numbers[`rate()[${windowSeconds}s] p95 vs bench p95`] =
      `${(p95Seconds * 1000).toFixed(2)} ms vs ${(benchP95Seconds * 1000).toFixed(2)} ms`;
  });

  it('the recording rules hold the same request p95 bucket and the db_query p95', async () => {
    const recordedP95 = await single('job_path:http_request_duration_seconds:p95_5m{path="/api/work"}');
    const benchP95Seconds = (window.server.requests?.p95Ms ?? Number.NaN) / 1000;
    expect(bucketIndex(recordedP95, HTTP_DURATION_BUCKETS_SECONDS)).toBe(bucketIndex(benchP95Seconds, HTTP_DURATION_BUCKETS_SECONDS));
    const dbP95 = await single('job_section:section_duration_seconds:p95_5m{section="db_query"}');
    expect(dbP95).toBeGreaterThan(0.1);
    expect(dbP95).toBeLessThanOrEqual(0.25);
    expect(await single('job:http_errors:ratio_rate5m')).toBe(0);
    numbers['job_path:http_request_duration_seconds:p95_5m{path="/api/work"}'] = `${(recordedP95 * 1000).toFixed(1)} ms`;
    numbers['job_section:section_duration_seconds:p95_5m{section="db_query"}'] = `${(dbP95 * 1000).toFixed(1)} ms`;
  });

  it('every Grafana dashboard query is valid PromQL here, and the request-rate panel has data', async () => {
    const dashboard = JSON.parse(await readFile('observability/grafana/metric-lab.json', 'utf8')) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    const grafanaVariables = (expr: string) =>
      expr.replaceAll('$__rate_interval', '5s').replaceAll('$job', '.+').replaceAll('$instance', '.+');
    const exprs = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: grafanaVariables(target.expr) })),
    );
    expect(exprs.length).toBeGreaterThan(20);
    for (const { panel, expr } of exprs) {
      const result = await queryInstant(prometheus!.url, expr);
      expect(result, `${panel}: ${expr}`).toMatchObject({ status: 'ok' });
    }
    const rate = exprs.find((e) => e.panel === 'Request rate by path');
    expect((await query(rate?.expr ?? '')).map((s) => s.labels.path).sort()).toEqual(['/api/work', '/metrics']);
  });

  it('a healthy lab raises no alert, not even a pending one', async () => {
    expect(await query('ALERTS')).toEqual([]);
  });
});
