import { z } from 'zod';
import { exactSectionDeltas, exactSectionSchema, type HdrSnapshot } from './section-hdr.js';
import {
  findSeries,
  histogramDelta,
  histogramQuantile,
  histogramSeries,
  sumSeries,
  type Bucket,
  type HistogramSeries,
} from '../../prometheus/histogram.js';
import type { MetricFamily } from '../../prometheus/parse-text.js';
import type { ServerMetricNames } from '../target/target-spec.js';

export type Families = ReadonlyMap<string, MetricFamily>;

/**
 * A server-side histogram over one trial: the bucket deltas between two scrapes, kept so any
 * quantile can be recomputed or trials summed later. JSON-safe: the +Inf bound is implicit.
 */
export const serverHistogramSchema = z.object({
  count: z.number(),
  meanMs: z.number().nullable(),
  /** `histogram_quantile` over the deltas; null when nothing was observed. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** Finite bucket upper bounds, seconds. */
  boundsSeconds: z.array(z.number()),
  /** Cumulative counts per bound, then the +Inf bucket (one longer than `boundsSeconds`). */
  cumulativeCounts: z.array(z.number()),
  sumSeconds: z.number(),
});
export type ServerHistogram = z.infer<typeof serverHistogramSchema>;

export const serverTrialMetricsSchema = z.object({
  /** The request histogram (the lab's `http_request_duration_seconds` for its measured route, all methods); null without one. */
  requests: serverHistogramSchema.nullable(),
  /** The section histogram (the lab's `section_duration_seconds`) by section. */
  sections: z.record(z.string(), serverHistogramSchema),
  /** The CPU counter's delta (`process_cpu_seconds_total`; null when runtime metrics are off). */
  cpuSeconds: z.number().nullable(),
  cpuMsPerRequest: z.number().nullable(),
  loopIterations: z.number().nullable(),
  /** Sections from the lab's own HDR histograms (exact percentiles); empty for targets without them, and in older files. */
  exactSections: z.record(z.string(), exactSectionSchema).default({}),
});
export type ServerTrialMetrics = z.infer<typeof serverTrialMetricsSchema>;

/** The lab's HDR snapshots around a trial, when its diagnostics server offers them. */
export interface HdrReads {
  before: HdrSnapshot | null;
  after: HdrSnapshot | null;
}

/** A target without a metrics endpoint: nothing seen from the server's side. */
export const NO_SERVER_METRICS: ServerTrialMetrics = {
  requests: null,
  sections: {},
  cpuSeconds: null,
  cpuMsPerRequest: null,
  loopIterations: null,
  exactSections: {},
};

/** What the server recorded between two scrapes, read with the target's family names (pure). */
export function serverTrialMetrics(
  before: Families,
  after: Families,
  names: Pick<ServerMetricNames, 'requests' | 'sections' | 'cpuCounter'>,
  hdr: HdrReads = { before: null, after: null },
): ServerTrialMetrics {
  const requests = histogramDeltaFor(before, after, names.requests.histogram, names.requests.labels);
  const sections: Record<string, ServerHistogram> = {};
  const { histogram: sectionHistogram, label } = names.sections;
  const sectionFamily = after.get(sectionHistogram);
  if (sectionFamily?.type === 'histogram') {
    const sectionNames = [
      ...new Set(histogramSeries(sectionFamily).flatMap((s) => (s.labels[label] === undefined ? [] : [s.labels[label]]))),
    ].sort();
    for (const section of sectionNames) {
      const delta = histogramDeltaFor(before, after, sectionHistogram, { [label]: section });
      if (delta && delta.count > 0) sections[section] = delta;
    }
  }
  const cpuSeconds = counterDelta(before, after, names.cpuCounter);
  const loopIterations = counterDelta(before, after, 'work_loop_iterations_total');
  const cpuMsPerRequest = cpuSeconds !== null && requests && requests.count > 0 ? (cpuSeconds * 1000) / requests.count : null;
  const exactSections = hdr.after ? exactSectionDeltas(hdr.before, hdr.after) : {};
  return { requests, sections, cpuSeconds, cpuMsPerRequest, loopIterations, exactSections };
}

/** Summarises cumulative buckets (from a delta or a sum of deltas). */
export function summariseHistogram(
  boundsSeconds: readonly number[],
  cumulativeCounts: readonly number[],
  sumSeconds: number,
): ServerHistogram {
  const buckets: Bucket[] = [
    ...boundsSeconds.map((upperBound, i) => ({ upperBound, count: cumulativeCounts[i] ?? 0 })),
    { upperBound: Infinity, count: cumulativeCounts[boundsSeconds.length] ?? 0 },
  ];
  const count = cumulativeCounts[boundsSeconds.length] ?? 0;
  const quantileMs = (q: number) => (count > 0 ? histogramQuantile(q, buckets) * 1000 : null);
  return {
    count,
    meanMs: count > 0 ? (sumSeconds / count) * 1000 : null,
    p50Ms: quantileMs(0.5),
    p95Ms: quantileMs(0.95),
    p99Ms: quantileMs(0.99),
    boundsSeconds: [...boundsSeconds],
    cumulativeCounts: [...cumulativeCounts],
    sumSeconds,
  };
}

/** Adds histograms with identical bounds (trials of one scenario). */
export function sumServerHistograms(histograms: readonly ServerHistogram[]): ServerHistogram | null {
  const first = histograms[0];
  if (!first) return null;
  const counts = first.cumulativeCounts.map((_, i) => histograms.reduce((sum, h) => sum + (h.cumulativeCounts[i] ?? 0), 0));
  return summariseHistogram(
    first.boundsSeconds,
    counts,
    histograms.reduce((sum, h) => sum + h.sumSeconds, 0),
  );
}

function histogramDeltaFor(before: Families, after: Families, name: string, match: Record<string, string>): ServerHistogram | null {
  const afterSeries = selected(after, name, match);
  if (!afterSeries) return null;
  const beforeSeries = selected(before, name, match) ?? undefined;
  const delta = histogramDelta(beforeSeries, afterSeries);
  const finite = delta.buckets.filter((b) => b.upperBound !== Infinity);
  const inf = delta.buckets.find((b) => b.upperBound === Infinity);
  return summariseHistogram(
    finite.map((b) => b.upperBound),
    [...finite.map((b) => b.count), inf?.count ?? delta.count],
    delta.sum,
  );
}

function selected(families: Families, name: string, match: Record<string, string>): HistogramSeries | null {
  const family = families.get(name);
  if (family?.type !== 'histogram') return null;
  return sumSeries(findSeries(histogramSeries(family), match));
}

function counterDelta(before: Families, after: Families, name: string): number | null {
  const total = (families: Families) => {
    const family = families.get(name);
    return family ? family.samples.reduce((sum, s) => sum + s.value, 0) : null;
  };
  const a = total(after);
  const b = total(before);
  if (a === null) return null;
  // A counter that went down means a restart; the new value is then the delta.
  return b === null || a < b ? a : a - b;
}
