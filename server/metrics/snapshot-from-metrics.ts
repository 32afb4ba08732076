import { histogramQuantile, histogramSeries, type HistogramSeries } from '../../prometheus/histogram.js';
import type { MetricFamily, MetricType } from '../../prometheus/parse-text.js';
import type { MetricsSnapshot, SectionSummary } from './section-stats.js';

export type SnapshotResult = { ok: true; snapshot: MetricsSnapshot } | { ok: false; error: string };

/** Histogram families that become table rows, and the label that names each row. */
const ROW_FAMILIES = [
  { family: 'section_duration_seconds', label: 'section' },
  { family: 'business_latency_seconds', label: 'operation' },
] as const;

/** Counter families, under the names the in-process snapshot (server/app.ts) uses. */
const COUNTERS = [
  { family: 'http_requests_total', counter: 'http_requests' },
  { family: 'json_encode_errors_total', counter: 'json_encode_error' },
  { family: 'work_loop_iterations_total', counter: 'loop_iterations' },
] as const;

/**
 * The `LogSnapshot` table from a scrape of /metrics instead of the process's memory: one row per
 * section and business operation, percentiles by histogram_quantile over the buckets. Absent
 * families give no rows; a family of the wrong type is an error (it is not our lab's /metrics).
 */
export function snapshotFromMetrics(families: ReadonlyMap<string, MetricFamily>): SnapshotResult {
  const sections: SectionSummary[] = [];
  for (const { family: name, label } of ROW_FAMILIES) {
    const family = families.get(name);
    if (family === undefined) continue;
    const wrong = wrongType(family, 'histogram');
    if (wrong !== null) return { ok: false, error: wrong };
    for (const series of histogramSeries(family)) sections.push(summarize(series.labels[label] ?? '', series));
  }
  sections.sort((a, b) => a.section.localeCompare(b.section));

  const counters: Record<string, number> = {};
  for (const { family: name, counter } of COUNTERS) {
    const family = families.get(name);
    if (family === undefined) continue;
    const wrong = wrongType(family, 'counter');
    if (wrong !== null) return { ok: false, error: wrong };
    counters[counter] = family.samples.reduce((total, sample) => total + sample.value, 0);
  }
  return { ok: true, snapshot: { source: 'prometheus-buckets', sections, counters } };
}

function summarize(section: string, series: HistogramSeries): SectionSummary {
  const { count, sum, buckets } = series;
  return {
    section,
    count,
    avgMs: count === 0 ? 0 : (sum / count) * 1000,
    p50Ms: histogramQuantile(0.5, buckets) * 1000,
    p95Ms: histogramQuantile(0.95, buckets) * 1000,
    p99Ms: histogramQuantile(0.99, buckets) * 1000,
  };
}

function wrongType(family: MetricFamily, expected: MetricType): string | null {
  return family.type === expected ? null : `${family.name}: expected TYPE ${expected}, found ${family.type}`;
}
