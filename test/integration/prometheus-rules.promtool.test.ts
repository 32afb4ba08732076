import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HTTP_DURATION_BUCKETS_SECONDS, SECTION_BUCKETS_SECONDS } from '../../server/metrics/lab-metrics.js';

const DIR = 'observability/prometheus';
const RULE_FILES = [`${DIR}/rules/recording.rules.yml`, `${DIR}/rules/alerts.rules.yml`];
const TEST_FILES = [`${DIR}/tests/recording.test.yml`, `${DIR}/tests/alerts.test.yml`];
const CONFIGS = [`${DIR}/prometheus.yml`, `${DIR}/prometheus.instances.yml`];
const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).error === undefined;

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
interface RuleTest {
  name: string;
  promql_expr_test?: Array<{ expr: string }>;
  alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }>;
}

const rules = RULE_FILES.flatMap((file) =>
  (parse(readFileSync(file, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules),
);
const tests = TEST_FILES.flatMap((file) => (parse(readFileSync(file, 'utf8')) as { tests: RuleTest[] }).tests);
const recordingRules = rules.flatMap((r) => (r.record === undefined ? [] : [r.record]));
const alerts = rules.filter((r): r is Rule & { alert: string } => r.alert !== undefined);

const promtool = (args: string[]) => {
  const result = spawnSync('promtool', args, { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe('Prometheus rules and configs (observability/prometheus)', () => {
  it.skipIf(!hasPromtool)('promtool check rules accepts every rule file', () => {
    const { status, output } = promtool(['check', 'rules', ...RULE_FILES]);
    expect(status, output).toBe(0);
  });

  it.skipIf(!hasPromtool).each(CONFIGS)('promtool check config accepts %s (and the rule files it loads)', (config) => {
    const { status, output } = promtool(['check', 'config', config]);
    expect(status, output).toBe(0);
  });

  it.skipIf(!hasPromtool)('promtool test rules: every unit test passes', () => {
    const { status, output } = promtool(['test', 'rules', ...TEST_FILES]);
    expect(status, output).toBe(0);
    expect(output.match(/SUCCESS/g)).toHaveLength(TEST_FILES.length);
  });

  it.each(recordingRules)('recording rule %s has a promql_expr_test', (record) => {
    const tested = tests.some((t) => t.promql_expr_test?.some((e) => e.expr === record));
    expect(tested).toBe(true);
  });

  it.each(alerts.map((a) => a.alert))('alert %s has a test where it fires and one where it must not', (alert) => {
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []).filter((c) => c.alertname === alert);
    expect(cases.some((c) => (c.exp_alerts ?? []).length > 0)).toBe(true);
    expect(cases.some((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it('latency alerts put their threshold on a bucket edge of the histogram they read', () => {
    const bucketsOf: Record<string, readonly number[]> = {
      http_request_duration_seconds: HTTP_DURATION_BUCKETS_SECONDS,
      section_duration_seconds: SECTION_BUCKETS_SECONDS,
    };
    const latencyAlerts = alerts.flatMap((alert) => {
      const match = /^\s*[a-z_]+:([a-z_]+):p\d+_\d+m(?:\{[^}]*\})?\s*>\s*([0-9.]+)\s*$/.exec(alert.expr);
      const buckets = match?.[1] === undefined ? undefined : bucketsOf[match[1]];
      return buckets === undefined ? [] : [{ alert: alert.alert, threshold: Number(match?.[2]), buckets }];
    });
    expect(latencyAlerts.map((a) => a.alert).sort()).toEqual(['MetricLabSlowDbQuery', 'MetricLabTailLatencyHigh']);
    for (const { alert, threshold, buckets } of latencyAlerts) expect(buckets, alert).toContain(threshold);
  });
});
