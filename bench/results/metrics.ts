/**
 * The metrics a scenario can put thresholds and gate rules on, by key. One registry so the
 * scenario validator, the threshold evaluator, the reports and the gate agree on names, units
 * and which direction is better.
 */

import type { Direction, MetricUnit } from '../../ci/gate/types.js';

export type { Direction, MetricUnit };

export interface MetricInfo {
  key: string;
  description: string;
  unit: MetricUnit;
  direction: Direction;
}

const CLIENT_PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p999'] as const;
const SERVER_PERCENTILES = ['p50', 'p95', 'p99'] as const;

const FIXED: readonly MetricInfo[] = [
  ...CLIENT_PERCENTILES.map((p) => ({
    key: `${p}_ms`,
    description: `client latency ${p} (from intended send time in the open model)`,
    unit: 'ms' as const,
    direction: 'lower-is-better' as const,
  })),
  { key: 'max_ms', description: 'client latency maximum', unit: 'ms', direction: 'lower-is-better' },
  {
    key: 'error_ratio',
    description: 'errors (non-2xx, connection errors, timeouts) / requests sent',
    unit: 'ratio',
    direction: 'lower-is-better',
  },
  { key: 'throughput_rps', description: 'completed responses per second', unit: 'rps', direction: 'higher-is-better' },
  ...SERVER_PERCENTILES.map((p) => ({
    key: `server_${p}_ms`,
    description: `server-side request duration ${p} (http_request_duration_seconds, bucket-interpolated)`,
    unit: 'ms' as const,
    direction: 'lower-is-better' as const,
  })),
  {
    key: 'server_cpu_ms_per_request',
    description: 'lab process CPU time per request (process_cpu_seconds_total delta / requests)',
    unit: 'ms',
    direction: 'lower-is-better',
  },
];

const FIXED_BY_KEY = new Map(FIXED.map((m) => [m.key, m]));
const SECTION_KEY = /^section\.([a-z_][a-z0-9_]*)\.(p50|p95|p99)_ms$/;

/** Looks a metric key up: a fixed key, or `section.<name>.<p50|p95|p99>_ms`. */
export function metricInfo(key: string): MetricInfo | null {
  const fixed = FIXED_BY_KEY.get(key);
  if (fixed) return fixed;
  const match = SECTION_KEY.exec(key);
  if (!match) return null;
  return {
    key,
    description: `server section "${match[1]}" ${match[2]} (section_duration_seconds, bucket-interpolated)`,
    unit: 'ms',
    direction: 'lower-is-better',
  };
}

export function parseSectionKey(key: string): { section: string; percentile: 'p50' | 'p95' | 'p99' } | null {
  const match = SECTION_KEY.exec(key);
  return match ? { section: match[1] as string, percentile: match[2] as 'p50' | 'p95' | 'p99' } : null;
}

export const METRIC_KEY_HELP = `one of ${FIXED.map((m) => m.key).join(', ')}, or section.<name>.<p50|p95|p99>_ms`;

/** The inputs every metric is computed from, for one trial or for pooled trials alike. */
export interface MetricSources {
  latency: { p50Ms: number; p90Ms: number; p95Ms: number; p99Ms: number; p999Ms: number; maxMs: number };
  errorRatio: number;
  throughputRps: number;
  serverRequests: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null } | null;
  serverCpuMsPerRequest: number | null;
  sections: Readonly<Record<string, { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }>>;
}

/** Every metric value by key; metrics without data (no server histogram, say) are absent. */
export function metricValues(sources: MetricSources): Record<string, number> {
  const { latency } = sources;
  const values: Record<string, number> = {
    p50_ms: latency.p50Ms,
    p90_ms: latency.p90Ms,
    p95_ms: latency.p95Ms,
    p99_ms: latency.p99Ms,
    p999_ms: latency.p999Ms,
    max_ms: latency.maxMs,
    error_ratio: sources.errorRatio,
    throughput_rps: sources.throughputRps,
  };
  const put = (key: string, value: number | null | undefined) => {
    if (value !== null && value !== undefined && Number.isFinite(value)) values[key] = value;
  };
  put('server_p50_ms', sources.serverRequests?.p50Ms);
  put('server_p95_ms', sources.serverRequests?.p95Ms);
  put('server_p99_ms', sources.serverRequests?.p99Ms);
  put('server_cpu_ms_per_request', sources.serverCpuMsPerRequest);
  for (const [section, histogram] of Object.entries(sources.sections)) {
    put(`section.${section}.p50_ms`, histogram.p50Ms);
    put(`section.${section}.p95_ms`, histogram.p95Ms);
    put(`section.${section}.p99_ms`, histogram.p99Ms);
  }
  return values;
}
