import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from '../../bench/scenario/load.js';
import { metricInfo } from '../../bench/results/metrics.js';

const scenario = (gate: string) => `description: t\nload: { rate_rps: 10, trials: 2, duration_seconds: 1 }\ngate:\n  ${gate}\n`;
const errors = (text: string) => {
  const result = parseScenario(text, 's.yaml');
  return result.ok ? [] : result.errors.map(formatScenarioError);
};

describe('gating on bucket-interpolated percentiles', () => {
  it('is refused with one line that names the exact alternatives', () => {
    expect(errors(scenario('section.loop.bucket_p95_ms: "+10%"'))).toEqual([
      's.yaml:4:31: gate.section.loop.bucket_p95_ms: section.loop.bucket_p95_ms is interpolated from Prometheus buckets and cannot move while observations stay inside one bucket, so it cannot gate; gate on section.loop.p95_ms or section.loop.mean_ms (exact)',
    ]);
    expect(errors(scenario('server_bucket_p95_ms: "+10%"'))[0]).toContain('so it cannot gate; gate on server_mean_ms (exact)');
  });

  it('accepts the exact section metrics, and bucket ones as thresholds', () => {
    expect(errors(scenario('section.loop.p95_ms: "+5%"\n  section.loop.mean_ms: "+5%"'))).toEqual([]);
    expect(errors(`description: t\nload: { rate_rps: 10 }\nthresholds:\n  section.loop.bucket_p95_ms: "< 25"\n`)).toEqual([]);
  });

  it('names the new key of a renamed metric', () => {
    expect(errors(scenario('server_p95_ms: "+10%"'))[0]).toContain('"server_p95_ms" is now "server_bucket_p95_ms"');
  });

  it('describes which figures are exact', () => {
    expect(metricInfo('section.loop.p95_ms')?.resolution).toBe('exact');
    expect(metricInfo('section.loop.mean_ms')?.resolution).toBe('exact');
    expect(metricInfo('section.loop.bucket_p99_ms')?.resolution).toBe('bucket');
    expect(metricInfo('server_mean_ms')?.resolution).toBe('exact');
    expect(metricInfo('server_bucket_p50_ms')?.resolution).toBe('bucket');
  });
});
