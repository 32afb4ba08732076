import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promqlMetricNames } from '../../bench/observability/promql-metric-names.js';
import { parsePrometheusText, type MetricFamily } from '../../prometheus/parse-text.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

const DASHBOARD = 'observability/grafana/metric-lab.json';
const RECORDING_RULES = 'observability/prometheus/rules/recording.rules.yml';

interface Panel {
  title?: string;
  type?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

interface Dashboard {
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: { query?: string } | string }> };
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;

/** Every PromQL query in the panels, with the panel it belongs to. */
function panelQueries(panels: readonly Panel[]): Array<{ panel: string; expr: string }> {
  return panels.flatMap((panel) => [
    ...(panel.targets ?? []).map((target) => ({ panel: panel.title ?? '?', expr: target.expr ?? '' })),
    ...panelQueries(panel.panels ?? []),
  ]);
}

/** The metric a `label_values(metric{…}, label)` variable query reads. */
function variableMetrics(): Array<{ variable: string; names: string[] }> {
  return dashboard.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => {
      const query = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      const selector = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(query)?.[1] ?? query;
      return { variable: v.name, names: promqlMetricNames(selector) };
    });
}

/** Series names a family exposes: a histogram `foo` is scraped as foo_bucket, foo_sum, foo_count. */
function seriesNames(family: MetricFamily): string[] {
  if (family.type === 'histogram') return ['_bucket', '_sum', '_count'].map((suffix) => `${family.name}${suffix}`);
  if (family.type === 'summary') return [family.name, `${family.name}_sum`, `${family.name}_count`];
  return [family.name];
}

describe(`${DASHBOARD}: every query names a metric the lab exports`, () => {
  let lab: RunningLab;
  let exported: Set<string>;
  const recorded = (parse(readFileSync(RECORDING_RULES, 'utf8')) as { groups: Array<{ rules: Array<{ record?: string }> }> }).groups
    .flatMap((group) => group.rules)
    .flatMap((rule) => (rule.record === undefined ? [] : [rule.record]));

  beforeAll(async () => {
    // Runtime metrics on, as `npm start` runs; one request so every lab family has series.
    lab = await startInProcessLab({ runtimeMetrics: true });
    const work = await fetch(`${lab.baseUrl}/api/work?db_min_ms=0&db_max_ms=1&loop_iterations=1000`);
    await work.text();
    const parsed = parsePrometheusText(await (await fetch(`${lab.baseUrl}/metrics`)).text());
    if (!parsed.ok) throw new Error(`/metrics line ${parsed.error.line}: ${parsed.error.message}`);
    exported = new Set([...parsed.families.values()].flatMap(seriesNames));
  });

  afterAll(() => lab?.close());

  const queries = panelQueries(dashboard.panels);

  it('has queries to check, and each names at least one metric', () => {
    expect(queries.length).toBeGreaterThan(20);
    for (const { panel, expr } of queries) expect(promqlMetricNames(expr), `${panel}: ${expr}`).not.toEqual([]);
  });

  it.each(queries)('$panel: $expr', ({ expr }) => {
    const unknown = promqlMetricNames(expr).filter((name) => !exported.has(name) && !recorded.includes(name));
    expect(unknown, 'not in a /metrics scrape of the lab nor a recording rule').toEqual([]);
  });

  it('the job and instance variables read a metric the lab exports', () => {
    const variables = variableMetrics();
    expect(variables.map((v) => v.variable)).toEqual(['job', 'instance']);
    for (const { variable, names } of variables) {
      expect(names, variable).toEqual(['http_requests_total']);
      expect(exported.has('http_requests_total')).toBe(true);
    }
  });

  it('covers RED, per-section latency, loop iterations vs CPU and Node runtime health', () => {
    const used = new Set(queries.flatMap(({ expr }) => promqlMetricNames(expr)));
    for (const name of [
      'http_requests_total',
      'http_errors_total',
      'http_request_duration_seconds_bucket',
      'section_duration_seconds_bucket',
      'work_loop_iterations_total',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_gc_duration_seconds_sum',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(used, name).toContain(name);
    }
  });
});
