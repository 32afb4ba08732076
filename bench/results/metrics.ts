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
  /**
   * `exact`: computed from every observation (HDR histograms at microsecond resolution, sums and
   * counts). `bucket`: interpolated from Prometheus buckets, as `histogram_quantile` does — it
   * cannot move while the observations stay inside one bucket, so it is shown, never gated.
   */
  resolution: 'exact' | 'bucket';
  /** Which kind of scenario yields it: load scenarios, or micro-benchmark scenarios (`kind: micro`). */
  scope: 'load' | 'micro';
  /** The same run after run (instruction counts): the gate compares it directly, with no statistics. */
  deterministic: boolean;
}

const CLIENT_PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p999'] as const;
const SERVER_PERCENTILES = ['p50', 'p95', 'p99'] as const;
type ServerPercentile = (typeof SERVER_PERCENTILES)[number];

type LoadMetricInfo = Omit<MetricInfo, 'scope' | 'deterministic'>;
const load = (info: LoadMetricInfo): MetricInfo => ({ ...info, scope: 'load', deterministic: false });

const FIXED: readonly MetricInfo[] = (<LoadMetricInfo[]>[
  ...CLIENT_PERCENTILES.map((p) => ({
    key: `${p}_ms`,
    description: `client latency ${p} (from intended send time in the open model)`,
    unit: 'ms' as const,
    direction: 'lower-is-better' as const,
    resolution: 'exact' as const,
  })),
  { key: 'max_ms', description: 'client latency maximum', unit: 'ms', direction: 'lower-is-better', resolution: 'exact' },
  {
    key: 'error_ratio',
    description: 'errors (non-2xx, connection errors, timeouts) / requests sent',
    unit: 'ratio',
    direction: 'lower-is-better',
    resolution: 'exact',
  },
  { key: 'throughput_rps', description: 'completed responses per second', unit: 'rps', direction: 'higher-is-better', resolution: 'exact' },
  {
    key: 'server_mean_ms',
    description: 'server-side request duration, mean (http_request_duration_seconds _sum / _count: exact)',
    unit: 'ms',
    direction: 'lower-is-better',
    resolution: 'exact',
  },
  ...SERVER_PERCENTILES.map((p) => ({
    key: `server_bucket_${p}_ms`,
    description: `server-side request duration ${p}, interpolated from http_request_duration_seconds buckets (shown, not gated)`,
    unit: 'ms' as const,
    direction: 'lower-is-better' as const,
    resolution: 'bucket' as const,
  })),
  {
    key: 'server_cpu_ms_per_request',
    description: 'lab process CPU time per request (process_cpu_seconds_total delta / requests)',
    unit: 'ms',
    direction: 'lower-is-better',
    resolution: 'exact',
  },
]).map(load);

const DUET: readonly MetricInfo[] = (<LoadMetricInfo[]>[
  {
    key: 'duet.cpu_ms_per_request',
    description:
      'lab process CPU time per request in the duet after each trial (requests one at a time, alternating with the other side): the steadiest CPU signal',
    unit: 'ms',
    direction: 'lower-is-better',
    resolution: 'exact',
  },
]).map(load);

const FIXED_BY_KEY = new Map([...FIXED, ...DUET].map((m) => [m.key, m]));
const DUET_SECTION_KEY = /^duet\.section\.([a-z_][a-z0-9_]*)\.mean_ms$/;
const SECTION_KEY = /^section\.([a-z_][a-z0-9_]*)\.(mean|p50|p95|p99|bucket_p50|bucket_p95|bucket_p99)_ms$/;
/** Keys this project used before the bucket-interpolated figures were named as such. */
const RENAMED = new Map(SERVER_PERCENTILES.map((p) => [`server_${p}_ms`, `server_bucket_${p}_ms`]));

export type SectionStatistic = 'mean' | ServerPercentile | `bucket_${ServerPercentile}`;

/** Looks a metric key up: a fixed key, or `section.<name>.<statistic>_ms`. */
export function metricInfo(key: string): MetricInfo | null {
  const fixed = FIXED_BY_KEY.get(key);
  if (fixed) return fixed;
  const micro = parseMicroKey(key);
  if (micro) return microMetricInfo(key, micro.task, micro.statistic);
  const duet = DUET_SECTION_KEY.exec(key);
  if (duet) {
    return load({
      key,
      description: `server section "${duet[1]}" mean in the duet after each trial (_sum / _count: exact)`,
      unit: 'ms',
      direction: 'lower-is-better',
      resolution: 'exact',
    });
  }
  const parsed = parseSectionKey(key);
  if (!parsed) return null;
  const { section, statistic } = parsed;
  const bucket = statistic.startsWith('bucket_');
  const what =
    statistic === 'mean'
      ? 'mean (section_duration_seconds _sum / _count: exact)'
      : bucket
        ? `${statistic.slice('bucket_'.length)}, interpolated from section_duration_seconds buckets (shown, not gated)`
        : `${statistic} (the lab's HDR histograms, microsecond resolution: exact)`;
  return load({
    key,
    description: `server section "${section}" ${what}`,
    unit: 'ms',
    direction: 'lower-is-better',
    resolution: bucket ? 'bucket' : 'exact',
  });
}

const MICRO_KEY = /^micro\.([a-z][a-z0-9-]*)\.(instructions_per_op|ns_per_op)$/;
export type MicroStatistic = 'instructions_per_op' | 'ns_per_op';

/** `micro.<task>.instructions_per_op` or `micro.<task>.ns_per_op`. */
export function parseMicroKey(key: string): { task: string; statistic: MicroStatistic } | null {
  const match = MICRO_KEY.exec(key);
  return match ? { task: match[1] as string, statistic: match[2] as MicroStatistic } : null;
}

export const microKey = (task: string, statistic: MicroStatistic) => `micro.${task}.${statistic}`;

function microMetricInfo(key: string, task: string, statistic: MicroStatistic): MetricInfo {
  return statistic === 'instructions_per_op'
    ? {
        key,
        description: `CPU instructions one "${task}" operation executes, counted by callgrind (deterministic)`,
        unit: 'instructions',
        direction: 'lower-is-better',
        resolution: 'exact',
        scope: 'micro',
        deterministic: true,
      }
    : {
        key,
        description: `wall time of one "${task}" operation: the median of tinybench's samples in a trial`,
        unit: 'ns',
        direction: 'lower-is-better',
        resolution: 'exact',
        scope: 'micro',
        deterministic: false,
      };
}

export function parseSectionKey(key: string): { section: string; statistic: SectionStatistic } | null {
  const match = SECTION_KEY.exec(key);
  return match ? { section: match[1] as string, statistic: match[2] as SectionStatistic } : null;
}

/** What to say about an unknown key: a renamed one gets its new name. */
export function unknownMetricHint(key: string): string {
  const renamed = RENAMED.get(key);
  return renamed
    ? `"${key}" is now "${renamed}" (interpolated from Prometheus buckets)`
    : `unknown metric "${key}": expected ${METRIC_KEY_HELP}`;
}

export const METRIC_KEY_HELP = `one of ${[...FIXED, ...DUET].map((m) => m.key).join(', ')}, section.<name>.<mean|p50|p95|p99|bucket_p50|bucket_p95|bucket_p99>_ms, or duet.section.<name>.mean_ms`;

export const MICRO_METRIC_KEY_HELP = 'micro.<task>.instructions_per_op or micro.<task>.ns_per_op';

/** Percentiles of one server-side distribution; null when nothing was observed. */
interface Percentiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** The inputs every metric is computed from, for one trial or for pooled trials alike. */
export interface MetricSources {
  latency: { p50Ms: number; p90Ms: number; p95Ms: number; p99Ms: number; p999Ms: number; maxMs: number };
  errorRatio: number;
  throughputRps: number;
  /** The request histogram's bucket deltas (percentiles interpolated; the mean is exact). */
  serverRequests: (Percentiles & { meanMs: number | null }) | null;
  serverCpuMsPerRequest: number | null;
  /** Section histograms' bucket deltas (percentiles interpolated; the mean is exact). */
  sections: Readonly<Record<string, Percentiles & { meanMs: number | null }>>;
  /** Sections from the lab's own HDR histograms (exact percentiles); empty when the target has none. */
  exactSections: Readonly<Record<string, Percentiles>>;
  /** The duet after a trial (per-request cost, paired tightly with the other side); absent for pooled data. */
  duet?: { cpuMsPerRequest: number | null; sections: Readonly<Record<string, { meanMs: number | null }>> } | null;
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
  put('server_mean_ms', sources.serverRequests?.meanMs);
  for (const p of SERVER_PERCENTILES) put(`server_bucket_${p}_ms`, sources.serverRequests?.[`${p}Ms`]);
  put('server_cpu_ms_per_request', sources.serverCpuMsPerRequest);
  for (const [section, histogram] of Object.entries(sources.sections)) {
    put(`section.${section}.mean_ms`, histogram.meanMs);
    for (const p of SERVER_PERCENTILES) put(`section.${section}.bucket_${p}_ms`, histogram[`${p}Ms`]);
  }
  for (const [section, histogram] of Object.entries(sources.exactSections)) {
    for (const p of SERVER_PERCENTILES) put(`section.${section}.${p}_ms`, histogram[`${p}Ms`]);
  }
  if (sources.duet) {
    put('duet.cpu_ms_per_request', sources.duet.cpuMsPerRequest);
    for (const [section, stats] of Object.entries(sources.duet.sections)) put(`duet.section.${section}.mean_ms`, stats.meanMs);
  }
  return values;
}
